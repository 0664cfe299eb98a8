/**
 * The update journal in Redis, shared by every process: a record per update, a queue per user, one sorted set
 * of users with work left, and the dead letter. See core/update-journal.ts for the rules.
 */
import type { Redis } from 'ioredis';
import {
  parseUserMember,
  userMember,
  type JournalEntry,
  type ParkedUpdate,
  type QueuedUpdate,
  type UpdateJournal,
  type UserRef,
} from '../../core/update-journal.js';
import type { Keys } from './keys.js';
import { runScript } from './lua.js';

export interface JournalTimings {
  /** How long an accepted update may wait to be handled; Telegram itself keeps undelivered updates for 24 h. */
  queuedTtlSeconds: number;
  /** How long a handled update is remembered, so that redeliveries are recognised. */
  doneTtlSeconds: number;
}

const DONE = 'done';
const MAX_PARKED = 1000;

export const DEFAULT_JOURNAL_TIMINGS: JournalTimings = { queuedTtlSeconds: 24 * 3600, doneTtlSeconds: 24 * 3600 };

export class RedisUpdateJournal implements UpdateJournal {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly timings: JournalTimings = DEFAULT_JOURNAL_TIMINGS,
  ) {}

  async accept(update: QueuedUpdate, now: number): Promise<'accepted' | 'duplicate'> {
    const { message, dedupKey } = update;
    const entry: JournalEntry = { update, attempts: 0 };
    const accepted = await runScript(
      this.redis,
      'update-accept',
      [this.keys.update(dedupKey), this.keys.updateQueue(message.channel, message.userId), this.keys.updateDue()],
      [JSON.stringify(entry), this.timings.queuedTtlSeconds, userMember(message), now, dedupKey],
    );
    return accepted === 1 ? 'accepted' : 'duplicate';
  }

  async head(user: UserRef): Promise<JournalEntry | undefined> {
    const queue = this.keys.updateQueue(user.channel, user.userId);
    for (;;) {
      const key = await this.redis.lindex(queue, 0);
      if (key === null) return undefined;
      const raw = await this.redis.get(this.keys.update(key));
      if (raw !== null && raw !== DONE) return JSON.parse(raw) as JournalEntry;
      // Handled elsewhere or expired: not this user's work any more.
      await this.redis.lrem(queue, 1, key);
    }
  }

  async begin(dedupKey: string, entry: JournalEntry): Promise<number> {
    const attempts = entry.attempts + 1;
    await this.write(dedupKey, { ...entry, attempts });
    return attempts;
  }

  async answered(dedupKey: string, entry: JournalEntry): Promise<void> {
    await this.write(dedupKey, entry);
  }

  async finish(user: UserRef, dedupKey: string): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.update(dedupKey), DONE, 'EX', this.timings.doneTtlSeconds)
      .lrem(this.keys.updateQueue(user.channel, user.userId), 1, dedupKey)
      .exec();
  }

  async park(user: UserRef, parked: ParkedUpdate): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.update(parked.dedupKey), DONE, 'EX', this.timings.doneTtlSeconds)
      .lrem(this.keys.updateQueue(user.channel, user.userId), 1, parked.dedupKey)
      .lpush(this.keys.updateDeadLetters(), JSON.stringify(parked))
      .ltrim(this.keys.updateDeadLetters(), 0, MAX_PARKED - 1)
      .incr(this.keys.updateParkedTotal())
      .exec();
  }

  async dueAt(user: UserRef, at: number): Promise<void> {
    await this.redis.zadd(this.keys.updateDue(), at, userMember(user));
  }

  async settle(user: UserRef): Promise<boolean> {
    const empty = await runScript(
      this.redis,
      'update-settle',
      [this.keys.updateQueue(user.channel, user.userId), this.keys.updateDue()],
      [userMember(user)],
    );
    return empty === 1;
  }

  async due(now: number, limit: number): Promise<UserRef[]> {
    const members = await this.redis.zrangebyscore(this.keys.updateDue(), '-inf', now, 'LIMIT', 0, limit);
    return members.map(parseUserMember);
  }

  async parked(limit: number): Promise<{ total: number; recent: ParkedUpdate[] }> {
    const [total, recent] = await Promise.all([
      this.redis.get(this.keys.updateParkedTotal()),
      this.redis.lrange(this.keys.updateDeadLetters(), 0, limit - 1),
    ]);
    return { total: Number(total ?? 0), recent: recent.map((r) => JSON.parse(r) as ParkedUpdate) };
  }

  private async write(dedupKey: string, entry: JournalEntry): Promise<void> {
    await this.redis.set(this.keys.update(dedupKey), JSON.stringify(entry), 'EX', this.timings.queuedTtlSeconds);
  }
}
