/**
 * What /health reports for a chat platform, and the backoff both pollers use: how a channel receives updates
 * (webhook or polling), whether it is running, recovering from errors, or stopped for good, and the kind of
 * its last error (never its text: descriptions can carry user data).
 */
export type ChannelMode = 'webhook' | 'polling';
/** 'starting': set-up not yet done; 'recovering': failing and retrying with backoff; 'stopped': given up for good. */
export type ChannelState = 'starting' | 'running' | 'recovering' | 'stopped';
export type ErrorKind =
  | 'conflict'
  | 'network'
  | 'server'
  | 'rate_limited'
  | 'unauthorized'
  | 'not_found'
  | 'bad_request'
  | 'other';

export interface ChannelStatus {
  mode: ChannelMode;
  state: ChannelState;
  lastError?: ErrorKind;
  /** Epoch ms of the last error. */
  lastErrorAt?: number;
  /** Consecutive failures since the last success. */
  failures: number;
}

/** The part of an abort signal a wait needs (Node's own, or the abort-controller polyfill grammY's runner uses). */
export interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** How a backoff waits; tests pass one that records the delays instead of waiting. Rejects when aborted. */
export type Sleep = (ms: number, signal?: AbortLike) => Promise<void>;
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort);
  });

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** Both pollers: 1 s after the first failed poll, doubling to a minute. */
export const DEFAULT_POLL_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000 };

/** How a channel polls, where it does (tests inject the waits and the jitter). */
export interface PollingOptions {
  /** Long-poll wait per getUpdates call, in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Backoff between failed getUpdates calls (default 1 s doubling to 60 s, with jitter). */
  pollBackoff?: Backoff;
  /** How the backoff waits, and its jitter source. */
  sleep?: Sleep;
  random?: () => number;
  /** Updates handled at once, across users (default 100). */
  concurrency?: number;
}

/** A Bot API's HTTP status as an error kind; each platform maps its own error classes onto it. */
export function statusErrorKind(code: number): ErrorKind {
  if (code === 409) return 'conflict';
  if (code === 429) return 'rate_limited';
  if (code === 401) return 'unauthorized';
  if (code === 404) return 'not_found';
  if (code >= 500) return 'server';
  if (code === 400) return 'bad_request';
  return 'other';
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so replicas do not retry in step. */
export function backoffDelay(failures: number, { baseMs, maxMs }: Backoff, random: () => number = Math.random): number {
  const step = Math.min(baseMs * 2 ** Math.max(0, failures - 1), maxMs);
  return Math.round(step / 2 + (step / 2) * random());
}

export class StatusTracker {
  private current: ChannelStatus;

  constructor(
    mode: ChannelMode,
    private readonly now: () => number = Date.now,
  ) {
    this.current = { mode, state: 'starting', failures: 0 };
  }

  get status(): ChannelStatus {
    return { ...this.current };
  }

  ok(): void {
    this.current = { ...this.current, state: 'running', failures: 0 };
  }

  failed(kind: ErrorKind, state: 'recovering' | 'stopped' = 'recovering'): number {
    this.current = {
      ...this.current,
      state,
      lastError: kind,
      lastErrorAt: this.now(),
      failures: this.current.failures + 1,
    };
    return this.current.failures;
  }
}

/**
 * Wraps a start-up task (setWebhook, the first poll) so that its failures show in the channel's status; a refused
 * token (one of `fatal`) stops the channel for good and calls `giveUp`, since retrying cannot help.
 */
export function guardedStartup(
  task: () => Promise<void>,
  deps: {
    tracker: StatusTracker;
    errorKind: (err: unknown) => ErrorKind;
    fatal: ReadonlySet<ErrorKind>;
    log: { error(fields: object, message: string): void };
    channel: string;
    giveUp: () => void;
  },
): () => Promise<void> {
  return async () => {
    try {
      await task();
    } catch (err) {
      const kind = deps.errorKind(err);
      if (deps.fatal.has(kind)) {
        deps.tracker.failed(kind, 'stopped');
        deps.log.error({ error: kind }, `${deps.channel} token refused: channel stopped`);
        deps.giveUp();
      } else deps.tracker.failed(kind);
      throw err;
    }
  };
}
