/** The update guard for a single process without Redis: the same rules, kept in memory. */
import type { ChannelName } from '../../core/conversation.js';
import {
  floodVerdict,
  KeyedQueue,
  type ClaimResult,
  type FloodLimit,
  type FloodVerdict,
  type UpdateGuard,
} from '../../core/update-guard.js';

const DONE_TTL_MS = 24 * 3600 * 1000;
const MAX_REMEMBERED = 100_000;

export class MemoryUpdateGuard implements UpdateGuard {
  private readonly updates = new Map<string, { state: 'processing' | 'done'; expiresAt: number }>();
  private readonly queue = new KeyedQueue();
  private readonly counts = new Map<string, number>();
  private countsWindow = -1;

  constructor(
    private readonly flood: FloodLimit,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(dedupKey: string): Promise<ClaimResult> {
    const entry = this.updates.get(dedupKey);
    if (entry && entry.expiresAt > this.now()) return entry.state === 'done' ? 'done' : 'in-flight';
    if (this.updates.size >= MAX_REMEMBERED) this.updates.delete(this.updates.keys().next().value!);
    this.updates.set(dedupKey, { state: 'processing', expiresAt: this.now() + 60_000 });
    return 'claimed';
  }

  async complete(dedupKey: string): Promise<void> {
    this.updates.delete(dedupKey); // Re-inserted last, so the oldest entries are evicted first.
    this.updates.set(dedupKey, { state: 'done', expiresAt: this.now() + DONE_TTL_MS });
  }

  async release(dedupKey: string): Promise<void> {
    this.updates.delete(dedupKey);
  }

  withUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(`${channel}:${userId}`, fn);
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
