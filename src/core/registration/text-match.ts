/**
 * Matching the words of a typed answer against phrases of the vocabulary: unaccented chat abbreviations
 * expanded, negation ("không phải htx") and one typo in a longer word tolerated. Shared by the field parsers and
 * the commune directory.
 */
import { fold, tonedKey, words } from '../text/vietnamese.js';
import { FORM_SHORTHAND, NEGATION_GAP, NEGATIONS as NEGATION_WORDS, SHORTHAND } from '../understanding/vocabulary.js';

// ---------------------------------------------------------------------------------------------------------
// Shared helpers

export interface Word {
  /** Lowercase, no diacritics, đ→d. */
  folded: string;
  /** Tone as a trailing digit, vowel shapes kept (see tonedKey). */
  toned: string;
  accented: boolean;
}

export function toWord(w: string): Word {
  const folded = fold(w);
  return { folded, toned: tonedKey(w), accented: folded !== w };
}

/** Words of a message; unaccented chat abbreviations are expanded ("htx" → hợp tác xã). */
export function wordsOf(text: string, extra: Readonly<Record<string, string>> = {}): Word[] {
  return words(text).flatMap((w) => {
    const word = toWord(w);
    const expansion = word.accented
      ? undefined
      : (extra[word.folded] ?? (EXPANDABLE.has(word.folded) ? SHORTHAND[word.folded] : undefined));
    return expansion ? words(expansion).map(toWord) : [word];
  });
}

/** Shorthand worth expanding when reading an answer (others, like "a" → anh, only add noise). */
const EXPANDABLE = new Set(FORM_SHORTHAND);

/**
 * A phrase word written with its accents ("hộ") matches an accented input word only with the same tone
 * ("họ" ≠ "hộ"); an unaccented input word matches on its folded form.
 */
export function wordMatches(input: Word, phrase: Word): boolean {
  if (input.folded !== phrase.folded) return false;
  return !input.accented || !phrase.accented || input.toned === phrase.toned;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early above `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------------------
// Phrase matching with negation and typo tolerance (owner type, raw material source)

export interface Phrase<T> {
  words: Word[];
  value: T;
  /** Folded words that must not follow this phrase ("ho so" is hồ sơ, not hộ). */
  notBefore?: readonly string[];
}

export function phrase<T>(text: string, value: T, notBefore?: readonly string[]): Phrase<T> {
  return { words: words(text).map(toWord), value, ...(notBefore ? { notBefore } : {}) };
}

const NEGATIONS = new Set(NEGATION_WORDS);
const GAP = new Set(NEGATION_GAP);

/** True when the words just before position i negate what follows ("không phải (là) htx", "không tự trồng"). */
export function negatedAt(tokens: readonly Word[], i: number): boolean {
  const window = tokens.slice(Math.max(0, i - 3), i).map((t) => t.folded);
  const neg = window.findIndex((w) => NEGATIONS.has(w));
  if (neg < 0) return false;
  return window.slice(neg + 1).every((w) => GAP.has(w));
}

/** Minimum length of a phrase word that may be matched with one typo. */
const TYPO_MIN_LENGTH = 4;

export interface PhraseHit<T> {
  value: T;
  start: number;
  length: number;
  typos: number;
  negated: boolean;
}

/**
 * Every phrase found as whole words, longest first and not overlapping; a phrase may carry one typo in a word
 * of at least four letters whose input word is not itself a different vocabulary word.
 */
export function findPhrases<T>(
  tokens: readonly Word[],
  phrases: readonly Phrase<T>[],
  vocabulary: ReadonlySet<string>,
): PhraseHit<T>[] {
  const sorted = [...phrases].sort((a, b) => b.words.length - a.words.length);
  const used = new Array<boolean>(tokens.length).fill(false);
  const hits: PhraseHit<T>[] = [];
  for (const allowTypos of [false, true]) {
    for (const p of sorted) {
      for (let i = 0; i + p.words.length <= tokens.length; i++) {
        if (used.slice(i, i + p.words.length).some(Boolean)) continue;
        let typos = 0;
        const ok = p.words.every((pw, k) => {
          const t = tokens[i + k]!;
          if (wordMatches(t, pw)) return true;
          if (!allowTypos || typos > 0 || pw.folded.length < TYPO_MIN_LENGTH || vocabulary.has(t.folded)) return false;
          if (editDistance(t.folded, pw.folded, 1) > 1) return false;
          typos++;
          return true;
        });
        if (!ok) continue;
        const next = tokens[i + p.words.length]?.folded;
        if (next !== undefined && p.notBefore?.includes(next)) continue;
        for (let k = 0; k < p.words.length; k++) used[i + k] = true;
        hits.push({ value: p.value, start: i, length: p.words.length, typos, negated: negatedAt(tokens, i) });
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

export function vocabularyOf(phrases: readonly Phrase<unknown>[]): Set<string> {
  return new Set(phrases.flatMap((p) => p.words.map((w) => w.folded)));
}
