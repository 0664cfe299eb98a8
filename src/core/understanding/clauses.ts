/**
 * Two questions in one message ("ocop là gì và đăng ký ở đâu", "4 sao bn điểm, với lại phần B có bao nhiêu
 * điểm"): the places where a message may be cut into two questions. Whether each part asks something is the
 * reader's to judge; this only proposes the cuts, first to last.
 */
import { QUESTION_JOINERS } from './vocabulary.js';

const AFTER_COMMA = QUESTION_JOINERS.afterComma.join('|');
/** "?", ";" or "," (optionally followed by a joiner), or a joiner between spaces. */
const CUT = new RegExp(
  `\\s*[?;,]\\s*(?:(?:${AFTER_COMMA})(?![\\p{L}\\p{N}])\\s*)?|\\s+(?:${QUESTION_JOINERS.alone.join('|')})\\s+`,
  'giu',
);

export function questionCuts(text: string): [string, string][] {
  const cuts: [string, string][] = [];
  for (const m of text.matchAll(CUT)) {
    const left = text.slice(0, m.index).trim();
    const right = text.slice(m.index + m[0].length).trim();
    if (left && right) cuts.push([left, right]);
  }
  return cuts;
}
