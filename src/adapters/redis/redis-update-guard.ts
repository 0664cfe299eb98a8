/**
 * Per-user locks and flood counting in Redis, so that several processes behind a load balancer behave as one.
 * A lock is renewed while its holder works, so its time to live can be short: when a process dies holding a
 * user, that user's next update waits at most `lockTtlMs`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelName } from '../../core/conversation.js';
import {
  floodVerdict,
  KeyedQueue,
  type FloodCounter,
  type FloodLimit,
  type FloodVerdict,
  type HeldUserLock,
  type TryLockResult,
  type UpdateGuard,
} from '../../core/update-guard.js';
import type { Keys } from './keys.js';
import { runScript } from './lua.js';

export interface GuardTimings {
  /** How long a user's lock lives if its holder dies (renewed every third of it while the holder works). */
  lockTtlMs: number;
  /** How long `withUserLock` waits for a user's lock before giving up. */
  lockWaitMs: number;
}

export const DEFAULT_GUARD_TIMINGS: GuardTimings = { lockTtlMs: 10_000, lockWaitMs: 15_000 };

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

export class RedisUpdateGuard implements UpdateGuard {
  /** In-process FIFO per user, so updates that arrive at this process in order are handled in order. */
  private readonly local = new KeyedQueue();
  /** Users this process holds (or is about to take) the lock of. */
  private readonly held = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly flood: FloodLimit,
    private readonly timings: GuardTimings = DEFAULT_GUARD_TIMINGS,
  ) {}

  withUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(`${channel}:${userId}`, async () => {
      const lock = this.newLock(channel, userId);
      const deadline = Date.now() + this.timings.lockWaitMs;
      let pause = 5;
      while (!(await this.acquire(lock))) {
        if (Date.now() > deadline)
          throw new LockTimeoutError(`user lock not acquired within ${this.timings.lockWaitMs} ms`);
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 100);
      }
      return this.holding(`${channel}:${userId}`, lock, fn);
    });
  }

  async tryUserLock<T>(
    channel: ChannelName,
    userId: string,
    fn: (lock?: HeldUserLock) => Promise<T>,
    acquire?: (lock: HeldUserLock) => Promise<boolean>,
  ): Promise<TryLockResult<T>> {
    const id = `${channel}:${userId}`;
    if (this.held.has(id)) return { ran: false };
    this.held.add(id);
    const lock = this.newLock(channel, userId);
    let acquired = false;
    try {
      acquired = acquire ? await acquire(lock) : await this.acquire(lock);
    } finally {
      if (!acquired) this.held.delete(id);
    }
    if (!acquired) return { ran: false };
    return { ran: true, value: await this.holding(id, lock, fn) };
  }

  private newLock(channel: ChannelName, userId: string): HeldUserLock {
    return {
      key: this.keys.userLock(channel, userId),
      token: randomUUID(),
      ttlMs: this.timings.lockTtlMs,
      released: false,
    };
  }

  private async acquire({ key, token, ttlMs }: HeldUserLock): Promise<boolean> {
    return (await this.redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  private async holding<T>(id: string, lock: HeldUserLock, fn: (lock: HeldUserLock) => Promise<T>): Promise<T> {
    this.held.add(id);
    const { key, token } = lock;
    const renew = setInterval(() => {
      runScript(this.redis, 'extend-lock', [key], [token, this.timings.lockTtlMs]).catch(() => undefined);
    }, this.timings.lockTtlMs / 3);
    renew.unref();
    try {
      return await fn(lock);
    } finally {
      clearInterval(renew);
      this.held.delete(id);
      // Let go already by the function's last command (UpdateJournal.next), or let go now.
      if (!lock.released) await runScript(this.redis, 'release-lock', [key], [token]).catch(() => undefined);
    }
  }

  floodCounter(channel: ChannelName, userId: string): FloodCounter {
    const window = Math.floor(Date.now() / 1000 / this.flood.windowSeconds);
    return {
      key: this.keys.flood(channel, userId, window),
      ttlSeconds: this.flood.windowSeconds + 1,
      limit: this.flood,
    };
  }

  async hit(channel: ChannelName, userId: string): Promise<FloodVerdict> {
    const { key, ttlSeconds } = this.floodCounter(channel, userId);
    // MULTI, not a script: with Redis out of reach, a web chat message got its "try again shortly" after 1.5 s
    // this way and after 2.5 s with a script here (npm run bench -- outage; the cause is not yet understood).
    const result = await this.redis.multi().incr(key).expire(key, ttlSeconds).exec();
    const count = Number(result?.[0]?.[1] ?? 0);
    return floodVerdict(count, this.flood);
  }
}
