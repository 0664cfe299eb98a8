/**
 * Parsers for the registration form's answers, as producers type them on phones: without diacritics, with
 * abbreviations ("htx", "ko", "sdt") and typos. Pure functions: each returns the normalised value, or undefined
 * when the answer cannot be read (the conversation then asks again). No user-facing text lives here.
 */
import { z } from 'zod';
import { fold, words } from '../text/vietnamese.js';
import type { Reading } from '../understanding/reading.js';
import {
  NAME_MIDDLE_WORDS,
  NOTHING_MARKS,
  NOTHING_NEGATIONS,
  NOTHING_WORDS,
  OWNER_TYPE_PHRASES,
  OWNER_TYPE_SHORTHAND,
  PHONE_LABELS as PHONE_LABEL_WORDS,
  RAW_MATERIAL_PHRASES,
  RAW_MATERIAL_SHORTHAND,
  SENTENCE_CONCEPTS,
  SETTING_SELF_WORDS,
} from '../understanding/vocabulary.js';
import { findPhrases, phrase, vocabularyOf, wordsOf, type Phrase } from './text-match.js';
import type { OwnerType, RawMaterialSource } from './types.js';

export { parseYesNo } from '../understanding/yes-no.js';

// ---------------------------------------------------------------------------------------------------------
// Phone

const PHONE_CANDIDATE = /\+?\(?\d(?:[\s.\-()]{0,3}\d)*\)?/g;
/** Digit runs shorter than this are other numbers in the message (an age, a house number), not a phone attempt. */
const MIN_PHONE_DIGITS = 7;

/** Labels that may touch the number: "sdt0912345678", "zalo0912345678". */
const PHONE_LABELS = new Set(PHONE_LABEL_WORDS);

function nationalForm(candidate: string): string | undefined {
  const plus = candidate.startsWith('+');
  let digits = candidate.replace(/\D/g, '');
  if (digits.startsWith('0084')) digits = digits.slice(2);
  if (plus && !digits.startsWith('84')) return undefined;
  if (digits.startsWith('840') && digits.length === 12)
    digits = digits.slice(3); // +84 (0) 912 345 678
  else if (digits.startsWith('84') && digits.length === 11) digits = digits.slice(2);
  else if (plus) return undefined;
  else if (digits.startsWith('0')) digits = digits.slice(1);
  else return undefined;
  const national = `0${digits}`;
  return /^0[35789]\d{8}$/.test(national) ? national : undefined;
}

/**
 * A Vietnamese mobile number in national form ("0912345678"), found in a message such as "sdt: +84 912 345 678".
 * Undefined for landlines, wrong lengths, digits run into letters, or two different numbers.
 */
export function normalizePhone(input: string): string | undefined {
  const text = input.normalize('NFC');
  const found = new Set<string>();
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const raw = m[0];
    const digitCount = raw.replace(/\D/g, '').length;
    const before = text[m.index - 1] ?? '';
    const after = text[m.index + raw.length] ?? '';
    if (digitCount < MIN_PHONE_DIGITS) continue;
    const label = fold(/\p{L}+$/u.exec(text.slice(0, m.index))?.[0] ?? '');
    const touchesLetter = (/\p{L}/u.test(before) && !PHONE_LABELS.has(label)) || /\p{L}/u.test(after);
    if (touchesLetter) return undefined; // "0912345678abc", "O912345678", "09l2345678"
    const national = nationalForm(raw.trim());
    if (!national) return undefined;
    found.add(national);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Email

const EMAIL = z.email();

/** A trimmed, lowercased e-mail address; undefined unless the whole answer is one address. */
export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase();
  return EMAIL.safeParse(email).success ? email : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Owner type

const OWNER_ABBREVIATIONS = OWNER_TYPE_SHORTHAND;
const OWNER_PHRASES: readonly Phrase<OwnerType>[] = OWNER_TYPE_PHRASES.map(([text, value, notBefore]) =>
  phrase(text, value, notBefore),
);
const OWNER_VOCABULARY = vocabularyOf(OWNER_PHRASES);

/**
 * The kind of producer in an answer such as "htx", "chúng tôi là hợp tác xã", "doanh nghep" (one typo),
 * "không phải htx, là hộ kinh doanh". Undefined when none or several different kinds are named.
 */
export function parseOwnerType(input: string): OwnerType | undefined {
  const tokens = wordsOf(input, OWNER_ABBREVIATIONS);
  const values = new Set(
    findPhrases(tokens, OWNER_PHRASES, OWNER_VOCABULARY)
      .filter((h) => !h.negated)
      .map((h) => h.value),
  );
  return values.size === 1 ? [...values][0] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Raw material source

type Cue = 'local' | 'outside' | 'partly';

const RAW_ABBREVIATIONS = RAW_MATERIAL_SHORTHAND;
const RAW_PHRASES: readonly Phrase<Cue>[] = RAW_MATERIAL_PHRASES.map(([text, value]) => phrase(text, value));
const RAW_VOCABULARY = vocabularyOf(RAW_PHRASES);

/**
 * Where the raw material comes from: "tự trồng", "tại địa phương" → local; "một phần", "vừa tự trồng vừa mua"
 * → partly_local; "mua ngoài", "nhập từ tỉnh khác", "không phải địa phương" → outside.
 */
export function parseRawMaterialSource(input: string): RawMaterialSource | undefined {
  const tokens = wordsOf(input, RAW_ABBREVIATIONS);
  const cues = new Set<Cue>();
  for (const hit of findPhrases(tokens, RAW_PHRASES, RAW_VOCABULARY)) {
    cues.add(hit.negated && hit.value === 'local' ? 'outside' : hit.value);
  }
  const folded = tokens.map((t) => t.folded);
  const firstVua = folded.indexOf('vua');
  if (firstVua >= 0 && folded.indexOf('vua', firstVua + 2) >= 0) cues.add('partly'); // vừa … vừa …
  if (cues.has('partly') || (cues.has('local') && cues.has('outside'))) return 'partly_local';
  if (cues.has('outside')) return 'outside';
  if (cues.has('local')) return 'local';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Answers that give nothing

const MARKS = new Set(NOTHING_MARKS);
const NOT = new Set(NOTHING_NEGATIONS.map(fold));
const NOTHING = new Set(NOTHING_WORDS.flatMap((w) => fold(w).split(' ')));
/** Longer than this, an answer says something even when its words are all of the list. */
const MAX_NOTHING_WORDS = 7;

/**
 * An answer that gives nothing: a mark ("-", "x", "n/a"), or a negation with only words of "having" and
 * "needing" around it ("ko", "k co", "khong co email", "ko can", "chưa cần hỗ trợ gì ạ"). The reading's words
 * are used, so chat spellings ("ko", "hong", "k") read as "không".
 */
export function saysNothing(typed: string, reading: Reading | undefined): boolean {
  const text = typed.normalize('NFC').trim().toLowerCase();
  if (MARKS.has(text)) return true;
  const tokens = reading?.tokens.map((t) => t.folded) ?? words(text).map(fold);
  if (!tokens.length || tokens.length > MAX_NOTHING_WORDS) return false;
  return tokens.some((w) => NOT.has(w)) && tokens.every((w) => NOT.has(w) || NOTHING.has(w));
}

// ---------------------------------------------------------------------------------------------------------
// Names, not sentences

const MIDDLE = new Set(NAME_MIDDLE_WORDS.map(fold));
const SELF = new Set(SETTING_SELF_WORDS);
const SENTENCE = new Set<string>(SENTENCE_CONCEPTS);

/**
 * The owner type a name starts with ("HTX Nông nghiệp Phia Đén", "Hộ kinh doanh Nông Văn Dũng", "Công ty TNHH
 * …"), when a name follows it. A lone "hộ" is not enough ("Hồ Văn Nam" typed without accents).
 */
export function leadingOwnerType(name: string): OwnerType | undefined {
  const tokens = wordsOf(name, OWNER_ABBREVIATIONS);
  const first = findPhrases(tokens, OWNER_PHRASES, OWNER_VOCABULARY)[0];
  if (first?.start !== 0 || first.negated || first.typos > 0 || first.length < 2) return undefined;
  return tokens.length > first.length ? first.value : undefined;
}

/**
 * Whether a name answer reads as a sentence: a request, a greeting or a question (a question word, "?", "cho em
 * hỏi"), a writer speaking of themselves ("tôi muốn …", "em chưa biết"), only filler words, or too many words for
 * a name. An answer shaped as a name ("Bế Thị Hoa", "HTX …") is taken even when one of its words means something.
 */
export function readsAsSentence(reading: Reading | undefined, maxWords: number, typed: string): boolean {
  if (!reading) return false;
  const tokens = reading.tokens;
  if (!tokens.length) return false;
  if (tokens.length > maxWords) return true;
  const nameShaped =
    (tokens.length >= 2 && tokens.length <= 5 && MIDDLE.has(tokens[1]!.folded) && !SELF.has(tokens[0]!.folded)) ||
    leadingOwnerType(typed) !== undefined;
  if (nameShaped) return /\?\s*$/.test(typed);
  if (reading.request.kind !== 'question') return true;
  if (reading.asks || reading.answerTypes.length > 0) return true;
  if (reading.request.concepts.some((c) => SENTENCE.has(c))) return true;
  // "em không hiểu", "mình đang làm bánh", "tôi là nông dân": the writer, then what they do or say.
  const self = tokens.findIndex((t) => SELF.has(t.folded));
  if (self >= 0 && self < tokens.length - 1 && tokens.slice(self + 1).some((t) => t.stop)) return true;
  return tokens.every((t) => t.stop || t.particle);
}
