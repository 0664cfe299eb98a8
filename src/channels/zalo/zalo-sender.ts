/** Announcements on Zalo through our client, one attempt per call (the queue retries). */
import {
  PermanentSendError,
  RateLimitedError,
  type AnnouncementSender,
  type SendResult,
} from '../../core/broadcast/sender.js';
import { renderAnnouncement, type AnnouncementContent } from '../../core/broadcast/types.js';
import { splitText } from '../render.js';
import { ZaloApiError, ZaloClient } from './zalo-client.js';
import { ZALO_TEXT_LIMIT } from './zalo-channel.js';

export function createZaloSender(token: string, apiRoot: string): AnnouncementSender {
  const client = new ZaloClient({ token, apiRoot, maxAttempts: 1 });
  return {
    channel: 'zalo',
    async send(chatId: string, content: AnnouncementContent): Promise<SendResult> {
      const text = renderAnnouncement(content);
      try {
        if (content.imageUrl && text.length <= ZALO_TEXT_LIMIT) await client.sendPhoto(chatId, content.imageUrl, text);
        else {
          if (content.imageUrl) await client.sendPhoto(chatId, content.imageUrl);
          for (const piece of splitText(text, ZALO_TEXT_LIMIT)) await client.sendMessage(chatId, piece);
        }
        return { outcome: 'sent' };
      } catch (err) {
        if (err instanceof ZaloApiError) {
          if (err.errorCode === 403) return { outcome: 'blocked', reason: 'send refused (403)' };
          if (err.errorCode === 429) throw new RateLimitedError((err.retryAfterSeconds ?? 5) * 1000);
          if (err.errorCode >= 400 && err.errorCode < 500) throw new PermanentSendError(err.description);
        }
        throw err;
      }
    },
  };
}
