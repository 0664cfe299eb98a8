/** Short yes / no answers ("có ạ", "dạ không", "chưa anh ơi"), with the words of vocabulary.ts. */
import { fold, tonedKey, words } from '../text/vietnamese.js';
import { ANSWER_FILLERS, NO_WORDS, YES_WORDS } from './vocabulary.js';

interface Word {
  folded: string;
  toned: string;
  accented: boolean;
}

function toWord(w: string): Word {
  const folded = fold(w);
  return { folded, toned: tonedKey(w), accented: folded !== w };
}

/** A word written with accents matches only with the same tone ("họ" ≠ "hộ"); unaccented, on the folded form. */
function same(input: Word, phrase: Word): boolean {
  if (input.folded !== phrase.folded) return false;
  return !input.accented || !phrase.accented || input.toned === phrase.toned;
}

const YES = YES_WORDS.map((p) => words(p).map(toWord));
const NO = NO_WORDS.map((p) => words(p).map(toWord));
const FILLER = ANSWER_FILLERS.map(toWord);
/** Folded keywords: an unaccented "co" is "có", never the filler "cô". */
const KEYWORDS = new Set([...YES, ...NO].flat().map((w) => w.folded));

function isFiller(t: Word): boolean {
  if (!t.accented && KEYWORDS.has(t.folded)) return false;
  return FILLER.some((f) => same(t, f));
}

function equals(tokens: readonly Word[], list: readonly Word[][]): boolean {
  return list.some((p) => p.length === tokens.length && p.every((w, k) => same(tokens[k]!, w)));
}

/**
 * The meaning of a whole short answer: true for "có", "có ạ", "rồi", "ok", "vâng"; false for "không", "ko ạ",
 * "chưa có"; undefined for anything else, including "không biết" and "có lẽ".
 */
export function parseYesNo(input: string): boolean | undefined {
  const tokens = words(input)
    .map(toWord)
    .filter((t, i, all) => i === 0 || t.folded !== all[i - 1]!.folded || t.toned !== all[i - 1]!.toned);
  if (tokens.length === 0 || tokens.length > 8) return undefined;
  const meanings = new Set<boolean>();
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && !isFiller(tokens[i - 1]!)) break;
    for (let j = tokens.length; j > i; j--) {
      if (j < tokens.length && !isFiller(tokens[j]!)) break;
      const core = tokens.slice(i, j);
      if (equals(core, YES)) meanings.add(true);
      if (equals(core, NO)) meanings.add(false);
    }
  }
  return meanings.size === 1 ? [...meanings][0] : undefined;
}
