/** Window counters in process memory: for one process without Redis, and for tests. */
import type { WindowCount, WindowCounter } from '../../core/window-counter.js';

/** Beyond this many live counters the expired ones are swept; beyond twice as many, all are dropped. */
const SWEEP_AT = 10_000;

export class MemoryWindowCounter implements WindowCounter {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(ids: readonly string[], windowMs: number): Promise<WindowCount> {
    const now = this.now();
    if (this.counters.size > SWEEP_AT) this.sweep(now);
    const counts = ids.map((id) => {
      const c = this.counters.get(id);
      if (!c || c.resetAt <= now) {
        this.counters.set(id, { count: 1, resetAt: now + windowMs });
        return 1;
      }
      c.count += 1;
      return c.count;
    });
    const first = ids[0] === undefined ? undefined : this.counters.get(ids[0]);
    return { counts, ttlMs: first ? first.resetAt - now : 0 };
  }

  private sweep(now: number): void {
    for (const [id, c] of this.counters) if (c.resetAt <= now) this.counters.delete(id);
    // Only a flood of distinct ids gets here: forgetting them lets a few through, never locks anyone out.
    if (this.counters.size > 2 * SWEEP_AT) this.counters.clear();
  }
}
