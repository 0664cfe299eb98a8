/**
 * Vietnamese text normalisation for chat retrieval.
 *
 * Every syllable gets two keys:
 * - `folded`: no diacritics at all, đ→d ("sản phẩm" → "san pham"), for input typed without accents;
 * - `toned`: vowel shapes kept (â ă ê ô ơ ư đ) and the tone moved to a trailing digit ("hoà"/"hòa" → "hoa2",
 *   "thuý"/"thúy" → "thuy1"), so that tone-mark placement variants compare equal while "phân" ≠ "phần".
 * Telex and VNI leftovers ("nhuwngx", "vie6t5") are decoded and number formats ("326.325", "326,325",
 * "326 tỷ 325 triệu") reduced to one token. Reading a message (shorthand, filler, typos) is the language layer's
 * job: understanding/analyze.ts.
 */

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
    else if (ch === '6')
      out = out.replace(
        /([aeo])([^aeo]*)$/,
        (_m, v: string, rest: string) => ({ a: 'â', e: 'ê', o: 'ô' })[v as 'a'] + rest,
      );
    else if (ch === '7')
      out = out
        .replace(/uo([^uo]*)$/, 'ươ$1')
        .replace(/([ou])([^ou]*)$/, (_m, v: string, rest: string) => (v === 'o' ? 'ơ' : 'ư') + rest);
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
  out = out.replace(
    /(\d+)\s*(tỷ|tỉ|ty|ti)\s+(\d{1,3})\s*(triệu|trieu|tr)\b/giu,
    (_m, b: string, bw: string, m: string, mw: string) => `${b} ${bw} ${m} ${mw} ${b}${m.padStart(3, '0')}`,
  );
  return out;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits text into lowercase NFC words, after number normalisation. */
export function words(text: string): string[] {
  return normalizeNumbers(text.normalize('NFC').toLowerCase()).match(WORD) ?? [];
}

/** The text as one folded string ("Sản phẩm  HTX!" → "san pham htx"), for display-free comparisons. */
export function foldText(text: string): string {
  return words(text).map(fold).join(' ');
}
