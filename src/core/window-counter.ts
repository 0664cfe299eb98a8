/**
 * Counters over a fixed window that starts with a counter's first hit: failed sign-ins per address and per
 * token prefix, requests per address. Redis-backed so that every process counts together, memory-backed
 * for one process.
 */
export interface WindowCount {
  /** Each counter's value after this hit, in the order asked. */
  counts: number[];
  /** Until the first counter's window ends, in milliseconds. */
  ttlMs: number;
}

export interface WindowCounter {
  /** Adds one to each counter (a window of `windowMs` starts at a counter's first hit). */
  hit(ids: readonly string[], windowMs: number): Promise<WindowCount>;
}
