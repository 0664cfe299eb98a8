/**
 * A grammY API transformer that retries 429 (after `retry_after`), 5xx and network failures a bounded
 * number of times with short waits, so a webhook request never hangs on a struggling Bot API.
 * (@grammyjs/auto-retry retries network errors without limit and starts 5xx backoff at 3 s: right for
 * background work, too slow for a user waiting on an answer.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, type Transformer } from 'grammy';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** First backoff for 5xx and network errors; doubles after each. */
  baseDelayMs: number;
  /** No single wait is longer; a larger retry_after is not waited for at all. */
  maxDelayMs: number;
}

export const REQUEST_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5000 };

/** How a retry waits: the real timer by default; tests pass one that records the delays asked for. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<unknown>;
const realSleep: Sleep = (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined);

export function boundedRetry(policy: RetryPolicy = REQUEST_RETRY, wait: Sleep = realSleep): Transformer {
  const backoff = (attempt: number) => Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return async (prev, method, payload, signal) => {
    // The polling loop retries getUpdates itself, with its own backoff and a status for /health.
    if (method === 'getUpdates') return prev(method, payload, signal);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= policy.maxAttempts;
      let delayMs: number;
      try {
        const res = await prev(method, payload, signal);
        if (res.ok || last) return res;
        const retryAfter = res.parameters?.retry_after;
        if (typeof retryAfter === 'number') {
          if (retryAfter * 1000 > policy.maxDelayMs) return res;
          delayMs = retryAfter * 1000;
        } else if (res.error_code >= 500) delayMs = backoff(attempt);
        else return res;
      } catch (err) {
        if (last || !(err instanceof HttpError) || signal?.aborted) throw err;
        delayMs = backoff(attempt);
      }
      await wait(delayMs, signal as AbortSignal | undefined);
    }
  };
}
