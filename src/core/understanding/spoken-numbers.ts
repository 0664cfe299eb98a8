/**
 * Numbers written out in words, as voice typing writes them ("hai nghìn không trăm hai mươi ba" → "2023",
 * "ba mươi sáu tháng" → "36 tháng"). Only a run of number words that holds a word of tens, hundreds or thousands
 * is read as a number: "năm", "ba" and "một" alone stay words.
 */
import { SPOKEN_NUMBER_WORDS } from './vocabulary.js';

const { digits, afterTens, ten, tens, hundred, thousand, zeroTens } = SPOKEN_NUMBER_WORDS;
const ALL = [...Object.keys(digits), ...Object.keys(afterTens), ten, tens, hundred, ...thousand, ...zeroTens];
const RUN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${ALL.join('|')})(?:\\s+(?:${ALL.join('|')}))*(?![\\p{L}\\p{N}])`, 'giu');
const SCALES = new Set([ten, tens, hundred, ...thousand]);

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
  return text.replace(RUN, (run) => {
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
