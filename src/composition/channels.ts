/** The chat platforms configured: Telegram through grammY, Zalo through our own client. */
import type { Config } from '../config.js';
import type { Logger } from '../core/logger.js';
import type { Messages } from '../core/messages.js';
import type { SubscriberStore } from '../core/subscribers.js';
import type { Inbox } from '../channels/inbox.js';
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram/telegram-channel.js';
import { createZaloChannel, type ZaloChannel } from '../channels/zalo/zalo-channel.js';
import { ZaloClient } from '../channels/zalo/zalo-client.js';

export interface Channels {
  telegram?: TelegramChannel;
  zalo?: ZaloChannel;
}

export function createChannels(
  config: Config,
  deps: { inbox: Inbox; subscribers: SubscriberStore; messages: Messages; logger: Logger },
): Channels {
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        webhook: config.TELEGRAM_WEBHOOK_URL
          ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! }
          : undefined,
        ...deps,
      })
    : undefined;
  const zalo = config.ZALO_BOT_TOKEN
    ? createZaloChannel({
        client: new ZaloClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT, logger: deps.logger }),
        webhook: config.ZALO_WEBHOOK_URL
          ? { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET! }
          : undefined,
        ...deps,
      })
    : undefined;
  deps.logger.info({ telegram: telegram?.mode ?? 'off', zalo: zalo?.mode ?? 'off' }, 'chat channels');
  return { telegram, zalo };
}
