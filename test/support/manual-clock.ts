/**
 * A clock for code that takes one (core/broadcast/local-states.ts Clock): time moves only when the test says, and
 * timers fire in time order as it passes them. Real I/O (fake servers) still runs on real time meanwhile.
 */
export interface ManualClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Moves time forward by `ms`, firing every timer due on the way (and those they set), each at its own time. */
  advance(ms: number): Promise<void>;
  /** Moves time to `at` (never back). */
  advanceTo(at: number): Promise<void>;
}

const tick = () => new Promise((r) => setImmediate(r));

export function manualClock(start: number): ManualClock {
  let t = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ManualClock = {
    now: () => t,
    setTimeout(fn, ms) {
      timers.set(++seq, { at: t + Math.max(0, ms), fn });
      return seq;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance: (ms) => clock.advanceTo(t + ms),
    async advanceTo(end) {
      for (;;) {
        await tick();
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const e of timers) if (!next || e[1].at < next[1].at) next = e;
        if (!next || next[1].at > end) break;
        timers.delete(next[0]);
        t = Math.max(t, next[1].at);
        next[1].fn();
      }
      t = Math.max(t, end);
      await tick();
    },
  };
  return clock;
}
