/** The update guard for a single process without Redis: the same rules, kept in memory. */
import type { ChannelName } from '../../core/conversation.js';
import {
  floodVerdict,
  KeyedQueue,
  type FloodLimit,
  type FloodVerdict,
  type TryLockResult,
  type UpdateGuard,
} from '../../core/update-guard.js';

export class MemoryUpdateGuard implements UpdateGuard {
  private readonly queue = new KeyedQueue();
  /** Users whose lock is held right now (tryUserLock does not queue behind them). */
  private readonly held = new Set<string>();
  private readonly counts = new Map<string, number>();
  private countsWindow = -1;

  constructor(
    private readonly flood: FloodLimit,
    private readonly now: () => number = Date.now,
  ) {}

  withUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T> {
    const id = `${channel}:${userId}`;
    return this.queue.run(id, async () => {
      this.held.add(id);
      try {
        return await fn();
      } finally {
        this.held.delete(id);
      }
    });
  }

  async tryUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<TryLockResult<T>> {
    const id = `${channel}:${userId}`;
    if (this.held.has(id)) return { ran: false };
    return { ran: true, value: await this.withUserLock(channel, userId, fn) };
  }

  async hit(channel: ChannelName, userId: string): Promise<FloodVerdict> {
    const window = Math.floor(this.now() / 1000 / this.flood.windowSeconds);
    if (window !== this.countsWindow) {
      this.counts.clear();
      this.countsWindow = window;
    }
    const id = `${channel}:${userId}`;
    const count = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, count);
    return floodVerdict(count, this.flood);
  }
}
