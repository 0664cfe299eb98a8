/** Masking of personal numbers in free text, shared by the logger and by anything the core stores. */

/** A Vietnamese phone number, national (0912 345 678) or international (+84 912.345.678) form. */
// Not inside a longer number or a reference code such as OCOP-CB-2026-000123.
export const PHONE_PATTERN = /(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}/g;

/** Seven digits or more in a row: a phone number without its prefix, an ID card or a bank account. */
const LONG_DIGIT_RUN = /\d{7,}/g;

export const MASK = '***';

/** The text with every phone number and long digit run replaced by `***`: nothing of the number is kept. */
export function maskNumbers(text: string): string {
  // Long runs first: the phone pattern alone would mask a 0… or 84… inside an ID number and leave its ends.
  return text.replace(LONG_DIGIT_RUN, MASK).replace(PHONE_PATTERN, MASK);
}
