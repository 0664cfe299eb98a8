/**
 * Matching phrases of the vocabulary, written with their accents, against a message's tokens: a word typed with
 * accents matches only the same accents ("cán bộ" is no "cần", "đầu" is no "đâu"); a word typed without them
 * matches on its letters, unless its reading restored from the context is clearly another word.
 */
import type { Token } from './analyze.js';
import { fold, tonedKey, words } from '../text/vietnamese.js';

export interface PhraseWord {
  folded: string;
  toned: string;
  accented: boolean;
  /** Written "!định": matched without accents only when the context restores them. */
  strict?: boolean;
  /** Matched without accents unless the context restores any other reading (cues that make the bot abstain). */
  cautious?: boolean;
}

export function phraseWords(phrase: string): PhraseWord[] {
  return phrase.split(' ').flatMap((raw) => {
    const strict = raw.startsWith('!');
    return words(raw).map((w) => ({
      folded: fold(w),
      toned: tonedKey(w),
      accented: fold(w) !== w,
      ...(strict ? { strict } : {}),
    }));
  });
}

/** A phrase whose unaccented words must not restore to anything else ("có đáng" is not "có đăng ký"). */
export function cautiousPhraseWords(phrase: string): PhraseWord[] {
  return phraseWords(phrase).map((w) => ({ ...w, cautious: true }));
}

/** A restored reading this clear may rule a phrase word out (below it, the letters decide). */
const RULES_OUT = 0.9;

/** Whether a token reads as a phrase word. */
export function sameWord(t: Token, w: PhraseWord): boolean {
  if (t.folded !== w.folded) return false;
  if (!w.accented) return true;
  if (t.accented) return t.toned === w.toned;
  if (w.strict) return t.restored === w.toned;
  if (w.cautious) return t.restored === undefined || t.restored === w.toned;
  return t.restored === undefined || (t.restoredConfidence ?? 0) < RULES_OUT || t.restored === w.toned;
}

/** Whether the phrase stands at position i. */
export function phraseAt(tokens: readonly Token[], i: number, phrase: readonly PhraseWord[]): boolean {
  return i + phrase.length <= tokens.length && phrase.every((w, k) => sameWord(tokens[i + k]!, w));
}

export type Span = [number, number];

/**
 * A list of phrases indexed by the letters of their first word, so that a message is matched in one pass over its
 * tokens rather than one pass per phrase (the vocabulary has hundreds of phrases; a message, a dozen words).
 */
export class PhraseSet {
  private readonly byFirst = new Map<string, (readonly PhraseWord[])[]>();

  constructor(phrases: readonly (readonly PhraseWord[])[]) {
    for (const phrase of phrases) {
      const first = phrase[0];
      if (!first) continue;
      const list = this.byFirst.get(first.folded);
      if (list) list.push(phrase);
      else this.byFirst.set(first.folded, [phrase]);
    }
  }

  /** The phrases as written in the vocabulary (with their accents), read by `read` (phraseWords by default). */
  static of(phrases: readonly string[], read: (phrase: string) => PhraseWord[] = phraseWords): PhraseSet {
    return new PhraseSet(phrases.map(read));
  }

  /** Where any of the phrases stands, as [start, end) spans, in the order of their starts. */
  spans(tokens: readonly Token[]): Span[] {
    const spans: Span[] = [];
    for (let i = 0; i < tokens.length; i++)
      for (const phrase of this.byFirst.get(tokens[i]!.folded) ?? [])
        if (phraseAt(tokens, i, phrase)) spans.push([i, i + phrase.length]);
    return spans;
  }

  /** Whether any of the phrases stands in the tokens, overlapping none of the `away` spans. */
  in(tokens: readonly Token[], away: readonly Span[] = []): boolean {
    for (let i = 0; i < tokens.length; i++)
      for (const phrase of this.byFirst.get(tokens[i]!.folded) ?? [])
        if (phraseAt(tokens, i, phrase) && !away.some(([s, e]) => i < e && s < i + phrase.length)) return true;
    return false;
  }
}
