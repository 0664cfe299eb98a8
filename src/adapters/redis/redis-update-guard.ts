/**
 * Deduplication, per-user locks and flood counting in Redis, so that several processes behind a load
 * balancer behave as one: a redelivered update reaching another process is still recognised.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelName } from '../../core/conversation.js';
import {
  floodVerdict,
  KeyedQueue,
  type ClaimResult,
  type FloodLimit,
  type FloodVerdict,
  type UpdateGuard,
} from '../../core/update-guard.js';
import type { Keys } from './keys.js';
import { runScript } from './lua.js';

export interface GuardTimings {
  /** How long a claimed update may stay in flight before another delivery may take it over. */
  claimTtlMs: number;
  /** How long handled updates are remembered (Telegram keeps undelivered updates for 24 h). */
  doneTtlSeconds: number;
  /** How long a user's lock lives if its holder dies. */
  lockTtlMs: number;
  /** How long to wait for a user's lock before giving up. */
  lockWaitMs: number;
}

export const DEFAULT_GUARD_TIMINGS: GuardTimings = {
  claimTtlMs: 60_000,
  doneTtlSeconds: 24 * 3600,
  lockTtlMs: 60_000,
  lockWaitMs: 30_000,
};

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

export class RedisUpdateGuard implements UpdateGuard {
  /** In-process FIFO per user, so updates that arrive at this process in order are handled in order. */
  private readonly local = new KeyedQueue();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly flood: FloodLimit,
    private readonly timings: GuardTimings = DEFAULT_GUARD_TIMINGS,
  ) {}

  async claim(dedupKey: string): Promise<ClaimResult> {
    const key = this.keys.update(dedupKey);
    const ok = await this.redis.set(key, 'processing', 'PX', this.timings.claimTtlMs, 'NX');
    if (ok === 'OK') return 'claimed';
    return (await this.redis.get(key)) === 'done' ? 'done' : 'in-flight';
  }

  async complete(dedupKey: string): Promise<void> {
    await this.redis.set(this.keys.update(dedupKey), 'done', 'EX', this.timings.doneTtlSeconds);
  }

  async release(dedupKey: string): Promise<void> {
    await this.redis.del(this.keys.update(dedupKey));
  }

  withUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(`${channel}:${userId}`, () => this.withRedisLock(channel, userId, fn));
  }

  private async withRedisLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T> {
    const key = this.keys.userLock(channel, userId);
    const token = randomUUID();
    const deadline = Date.now() + this.timings.lockWaitMs;
    let pause = 5;
    while ((await this.redis.set(key, token, 'PX', this.timings.lockTtlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline)
        throw new LockTimeoutError(`user lock not acquired within ${this.timings.lockWaitMs} ms`);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 100);
    }
    try {
      return await fn();
    } finally {
      await runScript(this.redis, 'release-lock', [key], [token]).catch(() => undefined);
    }
  }

  async hit(channel: ChannelName, userId: string): Promise<FloodVerdict> {
    const window = Math.floor(Date.now() / 1000 / this.flood.windowSeconds);
    const key = this.keys.flood(channel, userId, window);
    const result = await this.redis
      .multi()
      .incr(key)
      .expire(key, this.flood.windowSeconds + 1)
      .exec();
    const count = Number(result?.[0]?.[1] ?? 0);
    return floodVerdict(count, this.flood);
  }
}
