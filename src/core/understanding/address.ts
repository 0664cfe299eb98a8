/**
 * How the writer speaks of themselves and of the bot ("cho em hỏi" → the writer is "em"; "chào em, chị cần tư
 * vấn" → the writer is "chị", the bot "em"), so that replies use the matching pair of pronouns.
 */
import type { Token } from './analyze.js';
import { fold, tonedKey } from '../text/vietnamese.js';
import { SELF_BEFORE, SELF_PRONOUNS, VOCATIVE_AFTER, VOCATIVE_BEFORE, type AddressForm } from './vocabulary.js';

const SELF_BEFORE_SET = new Set(SELF_BEFORE);
const VOCATIVE_BEFORE_SET = new Set(VOCATIVE_BEFORE);
const VOCATIVE_AFTER_SET = new Set(VOCATIVE_AFTER);
/** Folded pronoun → its toned spelling and form ("bac" → "bac1", bác). */
const PRONOUNS = new Map(Object.entries(SELF_PRONOUNS).map(([p, form]) => [fold(p), { toned: tonedKey(p), form }]));
/** Unaccented pronouns that are too often other words ("co": có, "ba": ba sao, "chu": chữ…). */
const NEEDS_ACCENTS = new Set(['co', 'chu', 'ba', 'ong', 'bac', 'chi', 'to']);

/** The address form the bot should answer in, or undefined when the message does not tell. */
export function readAddress(tokens: readonly Token[]): AddressForm | undefined {
  let self: AddressForm | undefined;
  let vocative: AddressForm | undefined;
  tokens.forEach((t, i) => {
    const pronoun = PRONOUNS.get(t.folded);
    if (pronoun === undefined || t.label) return;
    // "bạc" is no "bác", "cơ" no "cô"; an unaccented "bac", "co" is too often another word.
    if (t.accented ? t.toned !== pronoun.toned : NEEDS_ACCENTS.has(t.folded) && t.raw.length > 1) return;
    const form = pronoun.form;
    const before = tokens[i - 1]?.folded;
    const after = tokens[i + 1]?.folded;
    // "chào chị", "chị ơi", "… là gì vậy chị" (marked a particle by the analysis): the bot is called so.
    if (
      t.particle ||
      (before !== undefined && VOCATIVE_BEFORE_SET.has(before)) ||
      (after !== undefined && VOCATIVE_AFTER_SET.has(after))
    ) {
      vocative ??= form;
      return;
    }
    if (self === undefined && (i === 0 || (before !== undefined && SELF_BEFORE_SET.has(before)) || i < 3)) self = form;
  });
  if (self !== undefined) return self;
  // Called "em" by someone who names no pronoun of their own: answer them as "anh/chị".
  if (vocative === 'em') return 'anh_chi';
  if (vocative === 'anh' || vocative === 'chi') return 'em';
  return undefined;
}
