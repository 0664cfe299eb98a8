/** The web chat's answers by message id in Redis, shared by every process (a retry may reach another one). */
import type { Redis } from 'ioredis';
import {
  WEB_REPLY_CLAIM_SECONDS,
  WEB_REPLY_TTL_SECONDS,
  type ReplyClaim,
  type WebReplyMemo,
} from '../../channels/web/reply-memo.js';

/** The value of a claimed message while it is being answered. */
const PENDING = 'pending';

export class RedisWebReplyMemo implements WebReplyMemo {
  /** @param keyOf the key of one message's answer (keys.ts webReply). */
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (userId: string, messageId: string) => string,
    private readonly ttlSeconds = WEB_REPLY_TTL_SECONDS,
  ) {}

  async claim(userId: string, messageId: string): Promise<ReplyClaim> {
    const key = this.keyOf(userId, messageId);
    // SET NX GET: claims the key, or returns what it holds, in one command.
    const claimFor = Math.min(this.ttlSeconds, WEB_REPLY_CLAIM_SECONDS);
    const previous = await this.redis.set(key, PENDING, 'EX', claimFor, 'NX', 'GET');
    if (previous === null) return { state: 'new' };
    return previous === PENDING ? { state: 'pending' } : { state: 'done', body: JSON.parse(previous) };
  }

  async save(userId: string, messageId: string, body: unknown): Promise<void> {
    await this.redis.set(this.keyOf(userId, messageId), JSON.stringify(body), 'EX', this.ttlSeconds);
  }

  async release(userId: string, messageId: string): Promise<void> {
    await this.redis.del(this.keyOf(userId, messageId));
  }
}
