/** The kinds of answer a question asks for, from its question words (vocabulary.ts ANSWER_TYPE_CUES). */
import type { Token } from './analyze.js';
import { ANSWER_TYPE_CUES, type AnswerType } from './vocabulary.js';

const CUES = (Object.keys(ANSWER_TYPE_CUES) as AnswerType[]).map((type) => ({ type, phrases: ANSWER_TYPE_CUES[type].map((p) => p.split(' ')) }));

function contains(words: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) if (phrase.every((w, k) => words[i + k] === w)) return true;
  return false;
}

/** Every kind of answer the question's words ask for, in the order of ANSWER_TYPE_CUES. */
export function readAnswerTypes(tokens: readonly Token[], text: string): AnswerType[] {
  const words = tokens.filter((t) => !t.label).map((t) => t.folded);
  const types = CUES.filter((c) => c.phrases.some((p) => contains(words, p))).map((c) => c.type);
  // "... không?" / "... chưa?" closing a question asks yes or no.
  const last = tokens.at(-1);
  if (!types.includes('yesno') && last && (last.folded === 'khong' || last.folded === 'chua') && (/\?\s*$/.test(text) || tokens.some((t) => t.folded === 'co' || t.folded === 'duoc'))) types.push('yesno');
  return types;
}
