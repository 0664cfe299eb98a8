/** The kinds of answer a question asks for, from its question words (vocabulary.ts ANSWER_TYPE_CUES). */
import type { Token } from './analyze.js';
import { PhraseSet } from './phrases.js';
import { tonedKey } from '../text/vietnamese.js';
import { ANSWER_TYPE_CUES, NOT_THE_ANSWER_TYPE, type AnswerType } from './vocabulary.js';

const GROUP_WORDS = new Set(['nhom', 'nganh', 'phan', 'loai']);
const LA = tonedKey('là');
/** Particles that may close "… là chương trình gì vậy ạ", folded. */
const CLOSING = new Set(['vay', 'the', 'a', 'ha', 'nhi', 'nhe', 'z', 'v', 'day', 'ak']);
const CUES = (Object.keys(ANSWER_TYPE_CUES) as AnswerType[]).map((type) => ({
  type,
  phrases: PhraseSet.of(ANSWER_TYPE_CUES[type]),
  not: PhraseSet.of(NOT_THE_ANSWER_TYPE[type] ?? []),
}));

/** Whether one of the cue phrases stands somewhere outside every phrase that only looks like one. */
function cueIn(words: readonly Token[], phrases: PhraseSet, not: PhraseSet): boolean {
  return phrases.in(words, not.spans(words));
}

/** Every kind of answer the question's words ask for, in the order of ANSWER_TYPE_CUES. */
export function readAnswerTypes(tokens: readonly Token[], text: string): AnswerType[] {
  const words = tokens.filter((t) => !t.label);
  const types = CUES.filter((c) => cueIn(words, c.phrases, c.not)).map((c) => c.type);
  // "thuộc nhóm sản phẩm OCOP nào", "ngành hàng gì": a group word with "nào" or "gì" a few words on.
  if (!types.includes('group')) {
    const at = words.findIndex(
      (t, i) =>
        GROUP_WORDS.has(t.folded) && words.slice(i + 1, i + 5).some((n) => n.folded === 'nao' || n.folded === 'gi'),
    );
    if (at >= 0) types.push('group');
  }
  // "OCOP là chương trình gì", "HTX là tổ chức gì": "là", a noun of one or two words, then "gì" closing the
  // clause asks what the subject is, as "là gì" does.
  if (!types.includes('definition')) {
    const defines = words.some((t, i) => {
      if (t.folded !== 'la' || (t.accented && t.toned !== LA)) return false;
      for (const n of [2, 3]) {
        const gi = words[i + n];
        const next = words[i + n + 1];
        if (gi?.folded === 'gi' && (!next || next.particle || CLOSING.has(next.folded)))
          return words.slice(i + 1, i + n).every((w) => !w.stop && !w.particle && w.folded !== 'cai');
      }
      return false;
    });
    if (defines) types.push('definition');
  }
  // "... không?" / "... chưa?" closing a question asks yes or no.
  const last = tokens.at(-1);
  if (
    !types.includes('yesno') &&
    last &&
    (last.folded === 'khong' || last.folded === 'chua') &&
    (/\?\s*$/.test(text) || tokens.some((t) => t.folded === 'co' || t.folded === 'duoc'))
  )
    types.push('yesno');
  return types;
}
