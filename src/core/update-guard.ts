/**
 * What every incoming update passes before the engine sees it: per-user locks (one update of a user at a time)
 * and a per-user flood limit. Redis-backed for several processes, memory-backed for one. Deduplication and
 * retries are the update journal's (update-journal.ts).
 */
import type { ChannelName } from './conversation.js';

/** What `tryUserLock` returns: the function's value, or 'busy' when another holder has the user now. */
export type TryLockResult<T> = { ran: true; value: T } | { ran: false };

/** A user lock held in a shared store: its key, its holder's token and time to live, and whether it was let go. */
export interface HeldUserLock {
  readonly key: string;
  readonly token: string;
  readonly ttlMs: number;
  released: boolean;
}

export interface UpdateGuard {
  /** Runs `fn` while holding the user's lock: one update per user at a time, across processes (waits for it). */
  withUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with the user's lock if nobody holds it now; never waits. A guard whose locks live in a shared store
   * hands `fn` the lock, so that the last command `fn` sends there may let it go too (UpdateJournal.next).
   */
  tryUserLock<T>(
    channel: ChannelName,
    userId: string,
    fn: (lock?: HeldUserLock) => Promise<T>,
    /** Takes the lock in the store instead of the guard, with the first command of the work (UpdateJournal.take). */
    acquire?: (lock: HeldUserLock) => Promise<boolean>,
  ): Promise<TryLockResult<T>>;
  /** Counts a message against the user's flood limit. */
  hit(channel: ChannelName, userId: string): Promise<FloodVerdict>;
  /**
   * The user's flood counter in the guard's shared store, for a journal of the same store to count it in its own
   * step (UpdateJournal.admit): counted exactly as `hit` counts. Optional.
   */
  floodCounter?(channel: ChannelName, userId: string): FloodCounter;
  close?(): Promise<void>;
}

/** 'ok': go on; 'warn': over the limit for the first time in this window (say so once); 'drop': ignore. */
export type FloodVerdict = 'ok' | 'warn' | 'drop';

export interface FloodLimit {
  maxMessages: number;
  windowSeconds: number;
}

/** A user's flood counter for the current window in a shared store: its key, its time to live, and the limit. */
export interface FloodCounter {
  readonly key: string;
  readonly ttlSeconds: number;
  readonly limit: FloodLimit;
}

export function floodVerdict(count: number, limit: FloodLimit): FloodVerdict {
  if (count <= limit.maxMessages) return 'ok';
  return count === limit.maxMessages + 1 ? 'warn' : 'drop';
}

/** Runs tasks one after another per key, in the order they were submitted (in this process). */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.tails.set(key, result);
    void result
      .catch(() => undefined)
      .finally(() => {
        if (this.tails.get(key) === result) this.tails.delete(key);
      });
    return result;
  }
}
