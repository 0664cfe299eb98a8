/**
 * What every incoming update passes before the engine sees it: deduplication (platforms deliver at least
 * once), per-user ordering, and a per-user flood limit. Redis-backed for several processes, memory-backed
 * for one.
 */
import type { ChannelName } from './conversation.js';

export type ClaimResult = 'claimed' | 'done' | 'in-flight';

export interface UpdateGuard {
  /** Claims an update for processing. 'done': it was handled before; 'in-flight': another worker has it. */
  claim(dedupKey: string): Promise<ClaimResult>;
  /** Marks a claimed update handled, so redeliveries are skipped. */
  complete(dedupKey: string): Promise<void>;
  /** Gives a claimed update back after a failure, so a redelivery is processed. */
  release(dedupKey: string): Promise<void>;
  /** Runs `fn` while holding the user's lock: one update per user at a time, across processes. */
  withUserLock<T>(channel: ChannelName, userId: string, fn: () => Promise<T>): Promise<T>;
  /** Counts a message against the user's flood limit. */
  hit(channel: ChannelName, userId: string): Promise<FloodVerdict>;
  close?(): Promise<void>;
}

/** 'ok': go on; 'warn': over the limit for the first time in this window (say so once); 'drop': ignore. */
export type FloodVerdict = 'ok' | 'warn' | 'drop';

export interface FloodLimit {
  maxMessages: number;
  windowSeconds: number;
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
