/**
 * Announcements on Zalo through our client, one attempt per call (the queue retries).
 * - Only evidence about this recipient (isUserUnreachable) counts them as blocked; a bot-level error (401, the
 *   403 Zalo documents as "Internal server error", 5xx) is retried or failed, and never deactivates anyone.
 * - 429 "Quota exceeded" carries no retry_after on Zalo: every worker of the channel waits an exponential,
 *   jittered delay that grows with each 429 in a row and resets after a success.
 */
import {
  PermanentSendError,
  RateLimitedError,
  type AnnouncementSender,
  type SendResult,
} from '../../core/broadcast/sender.js';
import { renderAnnouncement, type AnnouncementContent } from '../../core/broadcast/types.js';
import { backoffDelay, type Backoff } from '../channel-state.js';
import { splitText } from '../render.js';
import { isUserUnreachable, ZaloApiError, ZaloClient } from './zalo-client.js';
import { ZALO_TEXT_LIMIT } from './zalo-channel.js';

export const ZALO_QUOTA_BACKOFF: Backoff = { baseMs: 5_000, maxMs: 5 * 60_000 };

export interface ZaloSenderOptions {
  /** The jitter source, in [0, 1) (tests pin it). */
  random?: () => number;
  quotaBackoff?: Backoff;
}

export function createZaloSender(token: string, apiRoot: string, options: ZaloSenderOptions = {}): AnnouncementSender {
  const { random = Math.random, quotaBackoff = ZALO_QUOTA_BACKOFF } = options;
  const client = new ZaloClient({ token, apiRoot, maxAttempts: 1 });
  let quotaHits = 0;
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
        quotaHits = 0;
        return { outcome: 'sent' };
      } catch (err) {
        if (isUserUnreachable(err)) return { outcome: 'blocked', reason: (err as ZaloApiError).description };
        if (err instanceof ZaloApiError) {
          if (err.errorCode === 429) throw new RateLimitedError(backoffDelay(++quotaHits, quotaBackoff, random));
          // 403 is documented as a server error and 408 is a timeout: retried by the queue like a 5xx.
          if (err.errorCode >= 400 && err.errorCode < 500 && err.errorCode !== 403 && err.errorCode !== 408)
            throw new PermanentSendError(err.description);
        }
        throw err;
      }
    },
  };
}
