/** The web chat's answers by message id in process memory (one process without Redis, and tests). */
import {
  WEB_REPLY_CLAIM_SECONDS,
  WEB_REPLY_TTL_SECONDS,
  type ReplyClaim,
  type WebReplyMemo,
} from '../../channels/web/reply-memo.js';

/** Beyond this many entries the expired ones are swept; beyond twice as many, the oldest go. */
const SWEEP_AT = 10_000;

export class MemoryWebReplyMemo implements WebReplyMemo {
  private readonly entries = new Map<string, { body?: string; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds = WEB_REPLY_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(userId: string, messageId: string): Promise<ReplyClaim> {
    const key = JSON.stringify([userId, messageId]);
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now)
      return entry.body === undefined ? { state: 'pending' } : { state: 'done', body: JSON.parse(entry.body) };
    if (this.entries.size > SWEEP_AT) this.sweep(now);
    this.entries.set(key, { expiresAt: now + Math.min(this.ttlSeconds, WEB_REPLY_CLAIM_SECONDS) * 1000 });
    return { state: 'new' };
  }

  async save(userId: string, messageId: string, body: unknown): Promise<void> {
    this.entries.set(JSON.stringify([userId, messageId]), {
      body: JSON.stringify(body),
      expiresAt: this.now() + this.ttlSeconds * 1000,
    });
  }

  async release(userId: string, messageId: string): Promise<void> {
    this.entries.delete(JSON.stringify([userId, messageId]));
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    // Maps keep insertion order: the first keys are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= SWEEP_AT) break;
      this.entries.delete(key);
    }
  }
}
