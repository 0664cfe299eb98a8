/**
 * Restores the diacritics of words typed without them, from the knowledge base's own syllable statistics: how
 * often each accented syllable follows another in the curated text and example questions. "cho em hoi" reads
 * "cho em hỏi" and "hoi cho ocop" reads "hội chợ ocop", because those are the pairs the texts use.
 *
 * A bigram model decoded with Viterbi; each restored word carries a confidence (the share of the probability
 * mass of its best reading, given its neighbours), so callers act only on readings that are clear.
 */
import { fold, tonedKey, words } from '../text/vietnamese.js';

export interface Restoration {
  /** The toned key of the most likely reading ("hỏi" → "hoi3"), or the folded word when nothing is known. */
  toned: string;
  /** 0..1: how clearly this reading wins over the others, given its neighbours. */
  confidence: number;
}

/** Additive smoothing of the bigram estimate towards the unigram one. */
const SMOOTHING = 2;

export class DiacriticModel {
  /** Folded syllable → its toned readings with their counts. */
  private readonly readings = new Map<string, Map<string, number>>();
  /** "toned toned" → count. */
  private readonly pairs = new Map<string, number>();
  private readonly tonedTotals = new Map<string, number>();

  /** Builds the statistics from texts written with their accents (passages, headings, example questions). */
  constructor(texts: Iterable<string>) {
    for (const text of texts) {
      for (const sentence of text.split(/[.!?;:\n]+/)) {
        const ws = words(sentence);
        let previous: string | undefined;
        for (const w of ws) {
          const f = fold(w);
          const t = tonedKey(w);
          const counts = this.readings.get(f) ?? new Map<string, number>();
          counts.set(t, (counts.get(t) ?? 0) + 1);
          this.readings.set(f, counts);
          this.tonedTotals.set(t, (this.tonedTotals.get(t) ?? 0) + 1);
          if (previous !== undefined) this.pairs.set(`${previous} ${t}`, (this.pairs.get(`${previous} ${t}`) ?? 0) + 1);
          previous = t;
        }
      }
    }
  }

  /** Whether the texts write the folded syllable with this reading ("dang" as "đăng"). */
  knows(folded: string, toned: string): boolean {
    return this.readings.get(folded)?.has(toned) ?? false;
  }

  /** The known readings of a folded syllable, most frequent first. */
  readingsOf(folded: string): string[] {
    const r = this.readings.get(folded);
    return r ? [...r.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t) : [];
  }

  /** P(reading | folded), from the unigram counts. */
  private prior(folded: string, toned: string): number {
    const r = this.readings.get(folded);
    if (!r) return 1;
    let total = 0;
    for (const c of r.values()) total += c;
    return ((r.get(toned) ?? 0) + 0.1) / (total + 0.1 * r.size);
  }

  /** P(next | previous) smoothed towards the prior of `next`. */
  private transition(previous: string | undefined, folded: string, toned: string): number {
    const prior = this.prior(folded, toned);
    if (previous === undefined) return prior;
    const pair = this.pairs.get(`${previous} ${toned}`) ?? 0;
    const from = this.tonedTotals.get(previous) ?? 0;
    return (pair + SMOOTHING * prior) / (from + SMOOTHING);
  }

  /**
   * The most likely accented reading of every word. `fixed[i]` is the toned key of a word the writer accented
   * (kept as it is); undefined marks a word to restore.
   */
  restore(folded: readonly string[], fixed: readonly (string | undefined)[]): Restoration[] {
    const n = folded.length;
    const options = folded.map((f, i) => {
      const given = fixed[i];
      if (given !== undefined) return [given];
      const known = this.readingsOf(f);
      return known.length ? known.slice(0, 6) : [f];
    });
    // Forward pass (sum, for the confidences) and Viterbi (max, for the best path), in log space for the max.
    const forward: number[][] = [];
    const best: number[][] = [];
    const back: number[][] = [];
    for (let i = 0; i < n; i++) {
      const fw: number[] = [];
      const bs: number[] = [];
      const bk: number[] = [];
      options[i]!.forEach((t) => {
        if (i === 0) {
          const p = this.transition(undefined, folded[i]!, t);
          fw.push(p);
          bs.push(Math.log(p));
          bk.push(-1);
          return;
        }
        let sum = 0;
        let max = -Infinity;
        let arg = 0;
        options[i - 1]!.forEach((prev, k) => {
          const p = this.transition(prev, folded[i]!, t);
          sum += forward[i - 1]![k]! * p;
          const v = best[i - 1]![k]! + Math.log(p);
          if (v > max) {
            max = v;
            arg = k;
          }
        });
        fw.push(sum);
        bs.push(max);
        bk.push(arg);
      });
      // Normalise the forward row so long messages do not underflow.
      const z = fw.reduce((a, b) => a + b, 0) || 1;
      forward.push(fw.map((x) => x / z));
      best.push(bs);
      back.push(bk);
    }
    // Backward pass for the posterior of each reading.
    const backward: number[][] = new Array(n);
    for (let i = n - 1; i >= 0; i--) {
      if (i === n - 1) {
        backward[i] = options[i]!.map(() => 1);
        continue;
      }
      const row = options[i]!.map((t) =>
        options[i + 1]!.reduce((s, next, k) => s + this.transition(t, folded[i + 1]!, next) * backward[i + 1]![k]!, 0),
      );
      const z = row.reduce((a, b) => a + b, 0) || 1;
      backward[i] = row.map((x) => x / z);
    }
    const path: number[] = new Array(n).fill(0);
    if (n > 0) {
      const last = best[n - 1]!;
      path[n - 1] = last.indexOf(Math.max(...last));
      for (let i = n - 1; i > 0; i--) path[i - 1] = back[i]![path[i]!]!;
    }
    return options.map((opts, i) => {
      const posterior = opts.map((_, k) => forward[i]![k]! * backward[i]![k]!);
      const z = posterior.reduce((a, b) => a + b, 0) || 1;
      const k = path[i]!;
      return { toned: opts[k]!, confidence: fixed[i] !== undefined ? 1 : posterior[k]! / z };
    });
  }
}
