/**
 * Vietnamese text normalisation for chat retrieval.
 *
 * Every syllable gets two keys:
 * - `folded`: no diacritics at all, đ→d ("sản phẩm" → "san pham"), for input typed without accents;
 * - `toned`: vowel shapes kept (â ă ê ô ơ ư đ) and the tone moved to a trailing digit ("hoà"/"hòa" → "hoa2",
 *   "thuý"/"thúy" → "thuy1"), so that tone-mark placement variants compare equal while "phân" ≠ "phần".
 * Telex and VNI leftovers ("nhuwngx", "vie6t5") are decoded, chat abbreviations ("htx", "sp", "dk") expanded,
 * and number formats ("326.325", "326,325", "326 tỷ 325 triệu") reduced to one token.
 */
import {
  ABBREVIATIONS, AMBIGUOUS_FOLDED, KNOWLEDGE_ACRONYMS, LABEL_WORDS, MISSPELLINGS, STOPWORDS, STOP_PHRASES,
} from './lexicon.js';

export interface Token {
  /** No diacritics, lowercase, đ→d. */
  folded: string;
  /** Vowel shapes kept, tone as a trailing digit 1-5 (sắc, huyền, hỏi, ngã, nặng). */
  toned: string;
  /** True when the writer typed (or we decoded) the accents, so `toned` can be trusted. */
  accented: boolean;
  /** Filler or question word: ignored for retrieval and confidence. */
  stop: boolean;
  /** A name or a figure the question hinges on: written capitalised mid-sentence, or a number of 2+ digits. */
  salient?: boolean;
}

const TONE_MARKS: Readonly<Record<string, number>> = {
  '\u0301': 1, // sắc
  '\u0300': 2, // huyền
  '\u0309': 3, // hỏi
  '\u0303': 4, // ngã
  '\u0323': 5, // nặng
};

/** Lowercase, NFC, diacritics removed, đ→d. */
const foldedWords = new Map<string, string>();

export function fold(text: string): string {
  // Words recur endlessly (every question, every menu value): short inputs are remembered.
  if (text.length > 24) return foldUncached(text);
  let folded = foldedWords.get(text);
  if (folded === undefined) {
    if (foldedWords.size >= 50_000) foldedWords.clear();
    folded = foldUncached(text);
    foldedWords.set(text, folded);
  }
  return folded;
}

function foldUncached(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().normalize('NFC');
}

/** "hoà" → "hoa2"; "thúy" → "thuy1"; "phần" → "phân2"; syllables without a tone are returned unchanged. */
export function tonedKey(syllable: string): string {
  let tone = 0;
  let base = '';
  for (const ch of syllable.toLowerCase().normalize('NFD')) {
    const t = TONE_MARKS[ch];
    if (t !== undefined) tone = t;
    else base += ch;
  }
  base = base.normalize('NFC');
  return tone ? base + tone : base;
}

function hasDiacritics(word: string): boolean {
  return fold(word) !== word.toLowerCase();
}

const VOWELS = 'aăâeêioôơuưy';
const SYLLABLE = new RegExp(
  `^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?[${VOWELS}]{1,3}(ch|ng|nh|c|m|n|p|t)?$`,
);

/** True for a plausible Vietnamese syllable written without tone marks (shapes allowed). */
export function isSyllableShape(base: string): boolean {
  return SYLLABLE.test(base);
}

const TELEX_TONES: Readonly<Record<string, number>> = { s: 1, f: 2, r: 3, x: 4, j: 5 };

/**
 * Decodes a Telex leftover ("nhuwngx" → "nhưng4", "buowcs" → "bươc1", "ddaay" → "đây") into a toned key.
 * Returns undefined when the token does not read as Telex.
 */
export function decodeTelex(token: string): string | undefined {
  if (!/^[a-z]+$/.test(token) || token.length < 2) return undefined;
  let tone = 0;
  let word = token;
  // A tone letter right after the vowel nucleus (before an optional final consonant), or at the very end.
  const atEnd = /^(.*[aeiouyw](?:ch|ng|nh|c|m|n|p|t)?)([sfrxj])$/.exec(word);
  const inside = /^(.*?[aeiouyw])([sfrxj])(ch|ng|nh|c|m|n|p|t)$/.exec(word);
  if (atEnd) {
    tone = TELEX_TONES[atEnd[2]!]!;
    word = atEnd[1]!;
  } else if (inside) {
    tone = TELEX_TONES[inside[2]!]!;
    word = inside[1]! + inside[3]!;
  }
  let base = word
    .replace(/dd/g, 'đ')
    .replace(/uow/g, 'ươ')
    .replace(/aa/g, 'â')
    .replace(/aw/g, 'ă')
    .replace(/ee/g, 'ê')
    .replace(/oo/g, 'ô')
    .replace(/ow/g, 'ơ')
    .replace(/uw/g, 'ư')
    .replace(/w/g, 'ư');
  if (base === token || !isSyllableShape(base)) return undefined;
  base = base.replace(/uơ/g, 'ươ');
  return tone ? base + tone : base;
}

/** Decodes a VNI leftover ("vie6t5" → "việt" as "viêt5", "d9a6u" → "đâu"). Undefined when it is not VNI. */
export function decodeVni(token: string): string | undefined {
  if (!/^[a-z][a-z0-9]*$/.test(token) || !/[a-z][1-9]/.test(token) || /\d{2}/.test(token)) return undefined;
  let tone = 0;
  let out = '';
  for (const ch of token) {
    if (ch >= '1' && ch <= '5') tone = Number(ch);
    else if (ch === '6') out = out.replace(/([aeo])([^aeo]*)$/, (_m, v: string, rest: string) => ({ a: 'â', e: 'ê', o: 'ô' })[v as 'a'] + rest);
    else if (ch === '7') out = out.replace(/uo([^uo]*)$/, 'ươ$1').replace(/([ou])([^ou]*)$/, (_m, v: string, rest: string) => (v === 'o' ? 'ơ' : 'ư') + rest);
    else if (ch === '8') out = out.replace(/a([^a]*)$/, 'ă$1');
    else if (ch === '9') out = out.replace(/d/, 'đ');
    else if (ch >= 'a' && ch <= 'z') out += ch;
    else return undefined;
  }
  if (!isSyllableShape(out)) return undefined;
  return tone ? out + tone : out;
}

/** "326.325" / "326,325" → "326325"; "326 tỷ 325 triệu" → "326 tỷ 325 triệu 326325"; "1.000.000" → "1000000". */
export function normalizeNumbers(text: string): string {
  let out = text.replace(/(\d)[.,](?=\d{3}(?!\d))/g, '$1');
  out = out.replace(/(\d+)\s*(tỷ|tỉ|ty|ti)\s+(\d{1,3})\s*(triệu|trieu|tr)\b/giu, (_m, b: string, bw: string, m: string, mw: string) =>
    `${b} ${bw} ${m} ${mw} ${b}${m.padStart(3, '0')}`);
  return out;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits text into lowercase NFC words, after number normalisation. */
export function words(text: string): string[] {
  return normalizeNumbers(text.normalize('NFC').toLowerCase()).match(WORD) ?? [];
}

function toToken(word: string): Token {
  if (hasDiacritics(word)) {
    const folded = fold(word);
    return { folded, toned: tonedKey(word), accented: true, stop: false };
  }
  return { folded: word, toned: word, accented: false, stop: false };
}

export interface AnalyzeOptions {
  /** Folded syllables known to the knowledge base: tokens found here are never re-read as Telex. */
  vocabulary?: ReadonlySet<string>;
  /**
   * `chat` (user input): every chat abbreviation, Telex and VNI leftovers.
   * `knowledge` (curated text): only the acronyms that curated text also uses (UBND, HTX, QĐ...).
   */
  mode?: 'chat' | 'knowledge';
}

function expansionFor(word: string, previous: string | undefined, mode: 'chat' | 'knowledge'): string | undefined {
  if (hasDiacritics(word.replace(/đ/g, 'd'))) return undefined;
  const key = fold(word);
  if (mode === 'knowledge') return KNOWLEDGE_ACRONYMS.has(key) ? ABBREVIATIONS[key] : undefined;
  if (key.length === 1 && previous !== undefined && LABEL_WORDS.has(fold(previous))) return undefined;
  return ABBREVIATIONS[key] ?? (word.includes('đ') ? undefined : MISSPELLINGS[key]);
}

/**
 * Turns a message or a passage into tokens: `analyze(text, { mode: 'chat', vocabulary })` for user input,
 * `analyze(text, { mode: 'knowledge' })` for curated text.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Token[] {
  const { vocabulary, mode = 'knowledge' } = options;
  const tokens: Token[] = [];
  const raw = normalizeNumbers(text.normalize('NFC')).match(WORD) ?? [];
  const allCaps = text === text.toUpperCase();
  const list = raw.map((w) => w.toLowerCase());
  list.forEach((word, i) => {
    const salient = /^\d{2,}$/.test(word) || (!allCaps && i > 0 && /^\p{Lu}\p{Ll}/u.test(raw[i]!));
    const start = tokens.length;
    const known = vocabulary?.has(fold(word)) ?? false;
    const expansion = known && word.length > 3 ? undefined : expansionFor(word, list[i - 1], mode);
    if (expansion) {
      for (const w of words(expansion)) tokens.push(toToken(w));
      return;
    }
    if (mode === 'chat' && !known && !hasDiacritics(word) && !/^\d+$/.test(word)) {
      const decoded = decodeTelex(word) ?? decodeVni(word);
      if (decoded) {
        tokens.push({ folded: fold(decoded.replace(/\d$/, '')), toned: decoded, accented: true, stop: false });
        return;
      }
    }
    tokens.push(toToken(word));
    if (salient) for (let k = start; k < tokens.length; k++) tokens[k]!.salient = true;
  });
  markStopwords(tokens);
  return tokens;
}

const STOP_PHRASE_WORDS = STOP_PHRASES.map((p) => p.split(' '));
const STOP_TONED = new Set(STOPWORDS.map(tonedKey));
const STOP_FOLDED = new Set(STOPWORDS.map(fold).filter((w) => !AMBIGUOUS_FOLDED.has(w)));

const STOP_FOLDED_ANY = new Set(STOPWORDS.map(fold));

/** True when an unaccented word may be a filler word in one of its readings ("toi": tôi / tỏi). */
export function couldBeStopword(folded: string): boolean {
  return STOP_FOLDED_ANY.has(folded);
}

/** True for a filler token: judged on its accents when it has them, on the folded form otherwise. */
export function isStopword(token: Pick<Token, 'folded' | 'toned' | 'accented'>): boolean {
  return token.accented ? STOP_TONED.has(token.toned) : STOP_FOLDED.has(token.folded);
}

function markStopwords(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isStopword(t)) t.stop = true;
    for (const phrase of STOP_PHRASE_WORDS) {
      if (phrase.every((w, k) => tokens[i + k]?.folded === w)) {
        for (let k = 0; k < phrase.length; k++) tokens[i + k]!.stop = true;
      }
    }
  }
}

/** The text as one folded string ("Sản phẩm  HTX!" → "san pham htx"), for display-free comparisons. */
export function foldText(text: string): string {
  return words(text).map(fold).join(' ');
}
