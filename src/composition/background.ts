/**
 * Background work: with Redis, queues for the submission outbox (forwarding to BACKEND_WEBHOOK_URL) and for
 * announcement campaigns, built the same way by the server and by `ocop-bot worker`, which runs nothing else.
 * Without Redis, announcements are sent by this one process (core/broadcast/local-broadcaster.ts) from its
 * campaign store; there is no outbox then.
 */
import type { Config } from '../config.js';
import type { Logger } from '../core/logger.js';
import { parseQuietHours } from '../core/broadcast/quiet-hours.js';
import type { AnnouncementSender } from '../core/broadcast/sender.js';
import type { Broadcaster } from '../core/broadcast/broadcaster.js';
import { createBroadcaster } from '../adapters/redis/broadcaster.js';
import { createLocalBroadcaster } from '../core/broadcast/local-broadcaster.js';
import { MemoryCampaignStore } from '../adapters/memory/memory-campaign-store.js';
import { createSubmissionOutbox, type RunningSubmissionOutbox } from '../adapters/redis/submission-outbox.js';
import { createTelegramSender } from '../channels/telegram/telegram-sender.js';
import { createZaloSender } from '../channels/zalo/zalo-sender.js';
import { loadMessages } from '../adapters/files/load-files.js';
import { fromPackageRoot } from '../paths.js';
import type { Stores } from './stores.js';

export interface Background {
  outbox?: RunningSubmissionOutbox;
  broadcaster?: Broadcaster;
}

/** Something started once the process is ready and stopped at shutdown. */
export interface Service {
  start?(): Promise<void>;
  stop(): Promise<void>;
}

/** The background work's start and stop, in order: submission forwarding, then announcements. */
export function backgroundServices({ outbox, broadcaster }: Background): Service[] {
  return [
    ...(outbox ? [{ start: () => outbox.start(), stop: () => outbox.close() }] : []),
    ...(broadcaster ? [{ start: () => broadcaster.start(), stop: () => broadcaster.close() }] : []),
  ];
}

export function createBackground(config: Config, stores: Stores, logger: Logger): Background {
  const senders: AnnouncementSender[] = [
    ...(config.TELEGRAM_BOT_TOKEN ? [createTelegramSender(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT)] : []),
    ...(config.ZALO_BOT_TOKEN ? [createZaloSender(config.ZALO_BOT_TOKEN, config.ZALO_API_ROOT)] : []),
  ];
  const pace = (perSecond: number) => ({ perSecond, perChatIntervalMs: config.BROADCAST_PER_CHAT_INTERVAL_MS });
  const shared = {
    subscribers: stores.subscribers,
    submissions: stores.submissions,
    senders,
    frame: {
      sender: config.ANNOUNCEMENT_SENDER,
      footer: loadMessages(fromPackageRoot(config.PROMPTS_DIR)).announcement_footer,
    },
    limits: { telegram: pace(config.TELEGRAM_BROADCAST_PER_SECOND), zalo: pace(config.ZALO_BROADCAST_PER_SECOND) },
    quietHours: parseQuietHours(config.BROADCAST_QUIET_HOURS),
    concurrency: config.BROADCAST_CONCURRENCY,
    logger,
  };
  const redis = stores.redis;
  if (!redis) {
    // One process: it sends the announcements itself, whatever BROADCAST_WORKERS says (there is no other).
    const store = stores.campaigns ?? new MemoryCampaignStore();
    logger.info(
      { campaigns: stores.campaigns ? stores.kind : 'memory' },
      stores.sqlite && stores.campaigns
        ? `announcements are sent by this process; campaigns are kept in ${stores.sqlite.file}`
        : 'announcements are sent by this process; campaigns are kept in memory and lost on restart',
    );
    return { broadcaster: createLocalBroadcaster({ ...shared, store }) };
  }
  const outbox = config.BACKEND_WEBHOOK_URL
    ? createSubmissionOutbox({
        redis: redis.url,
        keys: redis.keys,
        url: config.BACKEND_WEBHOOK_URL,
        token: config.BACKEND_WEBHOOK_TOKEN,
        logger,
        store: stores.submissions,
      })
    : undefined;
  const broadcaster = createBroadcaster({
    ...shared,
    redisUrl: redis.url,
    keys: redis.keys,
    lockDurationMs: config.BROADCAST_STALL_SECONDS * 1000,
    runWorkers: config.BROADCAST_WORKERS,
  });
  return { outbox, broadcaster };
}
