/**
 * A typed answer to a question with options: its number ("2", "2.", "số 2"), or words of one option typed with or
 * without diacritics ("chua co", "htx", "da cong bo"). The option whose words the answer covers best, when no other
 * comes close; undefined when unsure (the question is asked again).
 */
import { SHORTHAND } from '../understanding/vocabulary.js';
import { foldText } from '../text/vietnamese.js';

const NUMBER = /^\s*(?:số|so|câu|cau|muc|mức)?\s*(\d{1,2})\s*[.)]?\s*$/iu;

function wordsOf(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => SHORTHAND_FOLDED.get(w) ?? w)
    .flatMap((w) => w.split(' '));
}

const TOO_COMMON = new Set(['khong', 'co', 'chua', 'da', 'roi', 'duoc', 'va', 'la', 'nhung', 'hoac', 'cua']);

/** Shorthand ("htx", "ko", "dc") → its words, folded. */
const SHORTHAND_FOLDED = new Map(Object.entries(SHORTHAND).map(([k, v]) => [foldText(k), foldText(v)]));

export function matchOption(typed: string, labels: readonly string[]): number | undefined {
  const number = NUMBER.exec(typed);
  if (number) {
    const n = Number(number[1]);
    return n >= 1 && n <= labels.length ? n - 1 : undefined;
  }
  const typedWords = wordsOf(typed);
  if (!typedWords.length) return undefined;
  const folded = typedWords.join(' ');
  // "ko", "có", "chưa": words every option may hold decide nothing alone.
  if (typedWords.length === 1 && TOO_COMMON.has(folded)) return undefined;
  // The whole answer inside exactly one option ("chua co" in "Chưa có"; "htx" in "Hợp tác xã (HTX)").
  const containing = labels
    .map((l, i) => ({ i, words: ` ${wordsOf(l).join(' ')} ` }))
    .filter((l) => l.words.includes(` ${folded} `));
  if (containing.length === 1) return containing[0]!.i;
  // Otherwise the share of the answer's words each option has; a clear best wins.
  const scores = labels.map((l) => {
    const own = new Set(wordsOf(l));
    return typedWords.filter((w) => own.has(w)).length / typedWords.length;
  });
  // The one option that has every word typed, where the others lack one ("hộ đã có đăng ký" is not "chưa có").
  const whole = scores.flatMap((s, i) => (s === 1 ? [i] : []));
  if (whole.length === 1 && typedWords.length >= 2) return whole[0];
  const best = Math.max(...scores);
  const second = Math.max(...scores.filter((_, i) => i !== scores.indexOf(best)), 0);
  if (best >= 0.6 && best - second >= 0.25) return scores.indexOf(best);
  // Among several options containing the answer, the shortest (the answer is all of it: "Chưa có").
  if (containing.length > 1) {
    const exact = containing.filter((c) => c.words.trim() === folded);
    if (exact.length === 1) return exact[0]!.i;
  }
  return undefined;
}
