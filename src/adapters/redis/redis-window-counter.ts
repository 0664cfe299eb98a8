/** Window counters in Redis (one script call for all the counters of a hit), shared by every process. */
import type { Redis } from 'ioredis';
import type { WindowCount, WindowCounter } from '../../core/window-counter.js';
import { runScript } from './lua.js';

export class RedisWindowCounter implements WindowCounter {
  /** @param keyOf the Redis key of a counter id (from keys.ts). */
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (id: string) => string,
  ) {}

  async hit(ids: readonly string[], windowMs: number): Promise<WindowCount> {
    if (!ids.length) return { counts: [], ttlMs: 0 };
    const result = (await runScript(
      this.redis,
      'count-in-window',
      ids.map((id) => this.keyOf(id)),
      [Math.max(1, Math.round(windowMs))],
    )) as number[];
    return { counts: result.slice(0, ids.length).map(Number), ttlMs: Math.max(0, Number(result[ids.length])) };
  }
}
