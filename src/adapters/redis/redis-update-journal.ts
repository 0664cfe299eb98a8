/**
 * The update journal in Redis, shared by every process: a record per update (with its attempt counter beside it),
 * a queue per user, one sorted set of users with work left, and the dead letter. See core/update-journal.ts for
 * the rules. Beginning the next update and finishing the last one are one script, one round trip; so are taking
 * the user's lock and beginning the first, and finishing the last one and letting the lock go.
 */
import type { Redis } from 'ioredis';
import {
  type AdmitResult,
  parseUserMember,
  userMember,
  type JournalEntry,
  type ParkedUpdate,
  type QueuedUpdate,
  type UpdateJournal,
  type UserRef,
} from '../../core/update-journal.js';
import { floodVerdict, type FloodCounter, type HeldUserLock } from '../../core/update-guard.js';
import type { Keys } from './keys.js';
import { runScript } from './lua.js';

export interface JournalTimings {
  /** How long an accepted update may wait to be handled; Telegram itself keeps undelivered updates for 24 h. */
  queuedTtlSeconds: number;
  /** How long a handled update is remembered, so that redeliveries are recognised. */
  doneTtlSeconds: number;
}

const DONE = 'done';

/** What is stored of a queued update: the update, and its answer once computed (attempts are counted apart). */
type StoredUpdate = Pick<JournalEntry, 'update' | 'replies'>;
const MAX_PARKED = 1000;

export const DEFAULT_JOURNAL_TIMINGS: JournalTimings = { queuedTtlSeconds: 24 * 3600, doneTtlSeconds: 24 * 3600 };

export class RedisUpdateJournal implements UpdateJournal {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly timings: JournalTimings = DEFAULT_JOURNAL_TIMINGS,
  ) {}

  async accept(update: QueuedUpdate, dueAt: number): Promise<'accepted' | 'duplicate'> {
    const { message, dedupKey } = update;
    const record: StoredUpdate = { update };
    const accepted = await runScript(
      this.redis,
      'update-accept',
      [this.keys.update(dedupKey), this.keys.updateQueue(message.channel, message.userId), this.keys.updateDue()],
      [JSON.stringify(record), this.timings.queuedTtlSeconds, userMember(message), dueAt, dedupKey],
    );
    return accepted === 1 ? 'accepted' : 'duplicate';
  }

  async admit(update: QueuedUpdate, dueAt: number, flood: FloodCounter, lock?: HeldUserLock): Promise<AdmitResult> {
    const { message, dedupKey } = update;
    const record: StoredUpdate = { update };
    const found = (await runScript(
      this.redis,
      'update-admit',
      [
        flood.key,
        this.keys.update(dedupKey),
        this.keys.updateQueue(message.channel, message.userId),
        this.keys.updateDue(),
        ...(lock ? [lock.key] : []),
      ],
      [
        flood.ttlSeconds,
        flood.limit.maxMessages,
        JSON.stringify(record),
        this.timings.queuedTtlSeconds,
        userMember(message),
        dueAt,
        dedupKey,
        ...(lock ? [lock.token, lock.ttlMs, this.keys.update('')] : []),
      ],
    )) as number | 'duplicate' | 'accepted' | 'busy' | [string, number] | null;
    if (typeof found === 'number') {
      const verdict = floodVerdict(found, flood.limit);
      // The script counts as the guard does: over the limit means not 'ok'.
      return { outcome: 'flooded', verdict: verdict === 'ok' ? 'drop' : verdict };
    }
    if (found === 'duplicate') return { outcome: 'duplicate' };
    if (found === 'accepted' || !lock) return { outcome: 'accepted' };
    if (found === 'busy') return { outcome: 'accepted', taken: 'busy' };
    return { outcome: 'accepted', taken: { entry: this.begun(found, lock) } };
  }

  async next(user: UserRef, finished?: string, lock?: HeldUserLock): Promise<JournalEntry | undefined> {
    const found = (await runScript(
      this.redis,
      'update-next',
      [this.keys.updateQueue(user.channel, user.userId), this.keys.updateDue(), ...(lock ? [lock.key] : [])],
      [
        userMember(user),
        this.keys.update(''),
        finished ?? '',
        this.timings.doneTtlSeconds,
        this.timings.queuedTtlSeconds,
        ...(lock ? [lock.token] : []),
      ],
    )) as [string, number] | null;
    return this.begun(found, lock);
  }

  async take(user: UserRef, lock: HeldUserLock): Promise<'busy' | JournalEntry | undefined> {
    const found = (await runScript(
      this.redis,
      'update-take',
      [lock.key, this.keys.updateQueue(user.channel, user.userId), this.keys.updateDue()],
      [lock.token, lock.ttlMs, userMember(user), this.keys.update(''), this.timings.queuedTtlSeconds],
    )) as 'busy' | [string, number] | null;
    return found === 'busy' ? 'busy' : this.begun(found, lock);
  }

  /** The entry a script began, or undefined when nothing was left (and the lock, if given, was let go). */
  private begun(found: [string, number] | null, lock: HeldUserLock | undefined): JournalEntry | undefined {
    if (!found) {
      if (lock) lock.released = true;
      return undefined;
    }
    const [raw, attempts] = found;
    return { ...(JSON.parse(raw) as StoredUpdate), attempts: Number(attempts) };
  }

  async answered(dedupKey: string, { update, replies }: JournalEntry): Promise<void> {
    const record: StoredUpdate = { update, replies };
    await this.redis.set(this.keys.update(dedupKey), JSON.stringify(record), 'EX', this.timings.queuedTtlSeconds);
  }

  async park(user: UserRef, parked: ParkedUpdate): Promise<void> {
    const key = this.keys.update(parked.dedupKey);
    await this.redis
      .multi()
      .set(key, DONE, 'EX', this.timings.doneTtlSeconds)
      .del(`${key}:n`)
      .lrem(this.keys.updateQueue(user.channel, user.userId), 1, parked.dedupKey)
      .lpush(this.keys.updateDeadLetters(), JSON.stringify(parked))
      .ltrim(this.keys.updateDeadLetters(), 0, MAX_PARKED - 1)
      .incr(this.keys.updateParkedTotal())
      .exec();
  }

  async dueAt(user: UserRef, at: number): Promise<void> {
    await this.redis.zadd(this.keys.updateDue(), at, userMember(user));
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
}
