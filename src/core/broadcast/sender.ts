/** Sending one announcement to one chat, as the broadcast worker sees it: done, blocked, or an error to retry. */
import type { AnnouncementContent, BroadcastChannel } from './types.js';

export type SendResult = { outcome: 'sent' } | { outcome: 'blocked'; reason: string };

/** The platform asked us to wait (429): retried after `retryAfterMs` without counting an attempt. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
  }
}

/** Retrying cannot help (bad request, chat not found): the recipient is counted as failed at once. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}

/** Any other error (5xx, network) is retried with backoff. */
export interface AnnouncementSender {
  readonly channel: BroadcastChannel;
  send(chatId: string, content: AnnouncementContent): Promise<SendResult>;
}
