/**
 * Numbers written out in words, as voice typing writes them ("hai nghìn không trăm hai mươi ba" → "2023",
 * "ba mươi sáu tháng" → "36 tháng"). Only a run of number words that holds a word of tens, hundreds or thousands
 * is read as a number: "năm", "ba" and "một" alone stay words.
 */
import { SPOKEN_DOCUMENT_WORDS as DOCUMENT_WORDS, SPOKEN_NUMBER_WORDS } from './vocabulary.js';

const { digits, afterTens, ten, tens, hundred, thousand, zeroTens } = SPOKEN_NUMBER_WORDS;
const ALL = [...Object.keys(digits), ...Object.keys(afterTens), ten, tens, hundred, ...thousand, ...zeroTens];
const RUN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${ALL.join('|')})(?:\\s+(?:${ALL.join('|')}))*(?![\\p{L}\\p{N}])`, 'giu');
const SCALES = new Set([ten, tens, hundred, ...thousand]);
/**
 * A decision's number read out digit by digit ("quyết định một bốn tám chín" → "quyết định 1489"): only after the
 * word for a decision, a resolution or a number, two to five digits in a row, and no word of tens or thousands
 * after them ("quyết định năm hai nghìn …" is another number).
 */
const DIGIT_WORDS = Object.keys(digits).join('|');
const DIGIT_BY_DIGIT = new RegExp(
  `(?<![\\p{L}\\p{N}])(${DOCUMENT_WORDS.join('|')})\\s+((?:${DIGIT_WORDS})(?:\\s+(?:${DIGIT_WORDS})){1,4})(?![\\p{L}\\p{N}])(?!\\s+(?:${[...SCALES].join('|')}))`,
  'giu',
);

/** The value of a run of number words, or undefined when they do not spell one number. */
function numberOf(words: readonly string[]): number | undefined {
  let total = 0;
  let below = 0;
  let digit: number | undefined;
  let previous = '';
  for (const w of words) {
    const d = digits[w] ?? (previous === tens || previous === ten ? afterTens[w] : undefined);
    if (d !== undefined) {
      if (digit !== undefined) return undefined; // "năm hai": two numbers, or a word and a number.
      digit = d;
    } else if (w === ten) {
      if (digit !== undefined) return undefined;
      below += 10;
    } else if (w === tens) {
      if (digit === undefined) return undefined;
      below += digit * 10;
      digit = undefined;
    } else if (w === hundred) {
      if (digit === undefined) return undefined;
      below += digit * 100;
      digit = undefined;
    } else if (thousand.includes(w)) {
      total += (below + (digit ?? 0) || 1) * 1000;
      below = 0;
      digit = undefined;
    } else if (!zeroTens.includes(w)) return undefined;
    previous = w;
  }
  return total + below + (digit ?? 0);
}

/** Replaces numbers written in words by their digits; everything else is left as typed. */
export function spokenNumbersToDigits(text: string): string {
  const spelt = text.replace(DIGIT_BY_DIGIT, (_m, word: string, run: string) => {
    const number = run
      .toLowerCase()
      .split(/\s+/)
      .map((w) => digits[w])
      .join('');
    return `${word} ${number}`;
  });
  return spelt.replace(RUN, (run) => {
    const words = run.toLowerCase().split(/\s+/);
    if (words.length < 2 || !words.some((w) => SCALES.has(w))) return run;
    // A run may start with a word that is not part of the number ("năm hai nghìn …": the year, then 2000 …).
    for (let from = 0; from < words.length - 1; from++) {
      const value = numberOf(words.slice(from));
      if (value !== undefined) return [...run.split(/\s+/).slice(0, from), String(value)].join(' ');
    }
    return run;
  });
}
