/**
 * An independent detector of phone numbers and e-mail addresses in log lines, for the check that a debug log
 * of the integration tests holds none (test/support/log-check.setup.ts). It shares nothing with the masker
 * (src/core/text/mask.ts), so a form the masker misses is found here: separators between digits are dropped,
 * Unicode digits normalised, and what is left is searched for a Vietnamese number.
 */

/** What can sit between the digits of a number, once NFKC has made full-width forms ASCII. */
const BETWEEN_DIGITS = /(?<=[\d+])[\s._/()·\p{Pd}\u2212]+(?=[\d(+])/gu;
/** Mobile (0 + 9 digits) and landline (0 + 10 digits) numbers, national or with 84 / +84 / 0084 and a trunk 0. */
const PHONE = /(?<!\d)(?:(?:\+|00)?84|0)0?(?:[35789]\d{8}|2\d{9})(?!\d)/g;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** Every phone number and e-mail address in a text. */
export function findInText(text: string): string[] {
  const plain = text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));
  const joined = plain.replace(BETWEEN_DIGITS, '');
  return [...(joined.match(PHONE) ?? []), ...(plain.match(EMAIL) ?? [])];
}

/** The strings of a JSON value: keys and string leaves (numbers, such as pino's `time`, are not text). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  return out;
}

/** Every phone number and e-mail address in a log line (pino JSON; a line that is not JSON is read as text). */
export function findPersonalData(line: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return findInText(line);
  }
  return strings(parsed).flatMap(findInText);
}
