/**
 * The one masker of personal data and secrets in free text. The logger runs every string it writes through
 * it, the question log stores only what it returns, and the officers' "unanswered" list shows only that.
 *
 * Masked (replaced by `***`, nothing of the value kept):
 * - phone numbers in any common typing: `0912 345 678`, `0912.345.678`, `0912_345_678`, `0912–345–678`
 *   (any Unicode dash), `(+84) 912 345 678`, `+84 (0) 912 345 678`, `84912345678`, `0084…`, full-width or
 *   other Unicode digits, invisible characters between the digits, spaced or split over lines;
 * - any other run of 7 digits or more, whatever separates its groups: bank accounts (`1903 6543 2100 18`,
 *   `0071-000-123456`), ID card numbers, numbers without their prefix;
 * - e-mail addresses (`ten@gmail.com`, `Ten.Ho+ocop@mail.so.gov.vn`, `ten [at] gmail.com`);
 * - secrets: the secret half of a Telegram or Zalo bot token (`123456789:AAH…` → `123456789:***`, the bot id
 *   stays), the value of `access_token=`, `token=`, `secret=`, `api_key=`, `password=` and the like in URLs
 *   and text, `Bearer …`, a password in a URL (`redis://:pw@host`), OpenAI-style keys and JWTs.
 *
 * Kept, because Vietnamese OCOP questions are full of numbers: reference codes (`OCOP-CB-2026-000123`,
 * `TB-2026-000001`), dates (`16/6/2025`, `2025-06-16`), years and periods (`2021-2025`, `2019 – 2020`),
 * decision numbers (`QĐ 148/QĐ-TTg`, `1048/QĐ-UBND`, `05/2021/TT-BNNPTNT`), scores (`70 điểm`), money and
 * quantities (`12.000.000 đồng`, `1,5 tỷ`, `326.325`, `12000000 đồng`), IPv4 addresses and UUIDs. A number
 * shaped both ways (`84.912.345.678`) is masked: a leak costs more than a lost figure.
 *
 * How: detection runs on a shadow of the text in which every character is canonical (full-width and other
 * Unicode digits → 0-9, dashes → `-`, Unicode spaces → ` `, invisible format characters dropped), with the
 * original position of each shadow character, so what is replaced is exactly the original characters.
 */

export const MASK = '***';

/** A canonical copy of the text: one BMP character per kept code point, and where each starts in the original. */
interface Shadow {
  text: string;
  /**
   * starts[i]: the original UTF-16 offset of shadow character i; starts[text.length] is the original length.
   * Undefined when the text is its own shadow.
   */
  starts?: number[];
}

const IS_DIGIT = /\p{Nd}/u;
const IS_DASH = /[\p{Pd}\u2212\u2043\u00ad]/u;
const IS_SPACE = /\p{Zs}/u;
const IS_FORMAT = /\p{Cf}/u;
const EXTRA: Record<string, string> = {
  '\u00b7': '.', // middle dot
  '\u2024': '.', // one dot leader
  '\u3002': '.', // ideographic full stop
  '\uff61': '.', // half-width ideographic full stop
  '\u2215': '/', // division slash
  '\u2044': '/', // fraction slash
  '\ufe6b': '@', // small commercial at
};

/** The value 0-9 of a Unicode decimal digit. */
function digitValue(ch: string, cp: number): string {
  const compat = ch.normalize('NFKC');
  if (compat.length === 1 && compat >= '0' && compat <= '9') return compat;
  // Decimal digits come in runs that start at zero (and adjacent runs are whole tens).
  let zero = cp;
  while (zero > 0 && IS_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

/** Canonical forms of the non-ASCII characters seen (Vietnamese letters, mostly): computed once each. */
const CANONICAL = new Map<string, string>();

function canonical(ch: string, cp: number): string {
  if (cp < 0x80) return ch;
  let c = CANONICAL.get(ch);
  if (c === undefined) {
    c = canonicalOf(ch, cp);
    if (CANONICAL.size < 10_000) CANONICAL.set(ch, c);
  }
  return c;
}

function canonicalOf(ch: string, cp: number): string {
  if (IS_DIGIT.test(ch)) return digitValue(ch, cp);
  if (IS_DASH.test(ch)) return '-';
  if (IS_SPACE.test(ch)) return ' ';
  if (IS_FORMAT.test(ch)) return '';
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0); // full-width ASCII
  const extra = EXTRA[ch];
  if (extra) return extra;
  return cp > 0xffff ? '\ufffc' : ch;
}

function shadowOf(text: string): Shadow {
  // Plain ASCII (most log lines) is its own shadow.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range, control characters included
  if (/^[\x00-\x7f]*$/.test(text)) return { text };
  let out = '';
  const starts: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const c = canonical(ch, ch.codePointAt(0)!);
    if (c) {
      out += c;
      starts.push(offset);
    }
    offset += ch.length;
  }
  starts.push(offset);
  return { text: out, starts };
}

const FREE = 0;
const MASKED = 1;
const KEPT = 2;

/** What each shadow character is: free, to mask, or kept (never part of a number to mask). */
type Marks = Uint8Array;

function mark(marks: Marks, from: number, to: number, what: number): void {
  for (let i = from; i < to; i++) if (marks[i] === FREE) marks[i] = what;
}

/** Runs `pattern` over the shadow; `onMatch` marks what it wants from the match (with its groups' indices). */
function each(shadow: string, pattern: RegExp, onMatch: (m: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(shadow); m; m = pattern.exec(shadow)) {
    onMatch(m);
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

// --- Secrets --------------------------------------------------------------------------------------------

/**
 * Telegram (`123456789:AAH…`, 35 characters) and Zalo Bot (`12345689:abc-xyz`) tokens: bot id, colon, secret. A
 * token already masked (`123456789:***`) is recognised too, so masking twice changes nothing.
 */
const BOT_TOKEN = /(?<!\d)(\d{5,12}):((?=[\w-]*[A-Za-z])[\w-]{8,}|\*\*\*)/dg;
/** `access_token=…`, `api_key: …`, `"client_secret":"…"`, `X-Telegram-Bot-Api-Secret-Token: …` (a bot token: above). */
const NAMED_SECRET =
  /(?<![A-Za-z0-9])[\w.-]{0,40}?(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|apikey|signature|credentials?|mật\s*khẩu|mat\s*khau)"?\s*[=:]\s*"?(?!\d{5,12}:)([^\s&#"'<>,;]+)/dgiu;
const MAYBE_NAMED = /token|secret|passw|pwd|api[_-]?key|signature|credential|mật\s*khẩu|mat\s*khau/iu;
/** Query parameters (and assignments) that carry a secret under a short name. */
const QUERY_SECRET = /(?<![\w-])(?:key|code|sig|auth|pass|session|sid)=([^&#\s"'<>]+)/dgi;
const AUTH_SCHEME = /\b(?:Bearer|Basic|Token)\s+([\w.~+/=-]{8,})/dgi;
/** `scheme://user:password@host`. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s:@/]{0,64}:([^\s@/]+)@/dgi;
const KEY_SHAPES = /\bsk-[\w-]{16,}|\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g;

function markSecrets(s: string, marks: Marks): void {
  each(s, BOT_TOKEN, (m) => {
    const [id, secret] = [m.indices![1]!, m.indices![2]!];
    // The bot id is not a secret, and says which bot (a phone number typed like a token is still masked).
    mark(marks, id[0], id[1], isPhone(m[1]!) ? MASKED : KEPT);
    mark(marks, secret[0], secret[1], MASKED);
  });
  for (const pattern of [MAYBE_NAMED.test(s) ? NAMED_SECRET : undefined, QUERY_SECRET, AUTH_SCHEME, URL_PASSWORD]) {
    if (!pattern) continue;
    each(s, pattern, (m) => {
      const [from, to] = m.indices![1]!;
      mark(marks, from, to, MASKED);
    });
  }
  each(s, KEY_SHAPES, (m) => mark(marks, m.index, m.index + m[0].length, MASKED));
}

// --- E-mail addresses -----------------------------------------------------------------------------------

const AT = String.raw`(?:\s*@\s*|\s*[[(]at[\])]\s*)`;
const DOT = String.raw`(?:\.|\s*[[(]dot[\])]\s*)`;
const LABEL = String.raw`[\p{L}\p{M}\p{N}-]{1,63}`;
const EMAIL = new RegExp(
  String.raw`[\p{L}\p{M}\p{N}._%+-]{1,64}${AT}${LABEL}(?:${DOT}${LABEL}){0,8}${DOT}\p{L}{2,24}`,
  'giu',
);
const MAYBE_EMAIL = /@|\[at\]|\(at\)/i;

// --- Numbers that are kept ------------------------------------------------------------------------------

/** Not glued to more digits by a tight separator (a phone number typed with dots is not a date). */
const ALONE_BEFORE = String.raw`(?<![\p{N}]|\p{N}[._/-])`;
const ALONE_AFTER = String.raw`(?![\p{N}]|[._/-]\p{N})`;
const YEAR = String.raw`(?:19|20)\d{2}`;
/** `OCOP-CB-2026-000123`, `TB-2026-000001`. */
const REFERENCE_CODE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\p{L}{2,}(?:-\p{L}{2,})*-${YEAR}-\d{3,8}${ALONE_AFTER}`,
  'gu',
);
/** `16/6/2025`, `16-06-2025`, `16.6.2025`, `2025-06-16`, `2025/6/16`. */
const DATE = new RegExp(
  String.raw`${ALONE_BEFORE}(?:\d{1,2}[/.-]\d{1,2}[/.-]${YEAR}|${YEAR}([/-])\d{1,2}\1\d{1,2})${ALONE_AFTER}`,
  'gu',
);
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

function markKept(s: string, marks: Marks): void {
  for (const pattern of [REFERENCE_CODE, DATE, UUID]) {
    each(s, pattern, (m) => mark(marks, m.index, m.index + m[0].length, KEPT));
  }
}

// --- Runs of digits -------------------------------------------------------------------------------------

/**
 * Digits joined by what people put between the groups of a number: spaces (any number, line breaks too),
 * `. - _ / ,` (one or two, with spaces around), and brackets (`(+84)`, `(0)`, `(028)`).
 */
const RUN = /(?:\(\s*)?(?:\+\s*)?\d+(?:(?:\s*(?:[-._/,]{1,2}|\(\s*\+?|\)\s*[-._/]?)\s*|\s+)\d+)*(?:\s*\))?/g;

/** A Vietnamese phone number once separators are gone: 0 + 9 or 10 digits, or 84 / +84 / 0084 (+ a trunk 0). */
function isPhone(digits: string): boolean {
  let d = digits.startsWith('00') ? digits.slice(2) : digits;
  if (d.startsWith('84')) {
    d = d.slice(2);
    if (d.startsWith('0')) d = d.slice(1);
    return /^[1-9]\d{8,9}$/.test(d);
  }
  return /^0[1-9]\d{8,9}$/.test(d);
}

/** A money amount or quantity with its unit right after: `12 000 000 đồng`, `12000000đ`, `1.500 tấn`. */
const UNIT_AFTER =
  /^\s*(?:đồng(?!\s*ý)|đ|vnđ|vnd|₫|tỷ|tỉ|triệu|nghìn|ngàn|usd|\$|%|kg|tấn|tạ|ha|m2|m²|lít|hộ|người|sản phẩm|cây|con)(?![\p{L}\p{N}])/iu;

/** One number in a run that is kept, whole (192.168.1.10 is not 192.168 and more), and what separates two. */
const KEPT_ITEM = new RegExp(
  `(?:${[
    String.raw`\d{1,2}[/.-]\d{1,2}[/.-]${YEAR}`, // a date (next to other digits, so not protected before)
    String.raw`\d{1,5}/${YEAR}`, // 05/2021 (…/TT-BNNPTNT), 6/2025
    String.raw`[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?`, // 12.000.000
    String.raw`[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?`, // 12,000,000
    String.raw`(?:\d{1,3}\.){3}\d{1,3}`, // IPv4
    YEAR,
  ].join('|')})(?!\\d|[.,]\\d)`,
  'y',
);
const KEPT_SEPARATOR = /\s*[-,;/]\s*|\s+/y;

/** An amount of 9 digits or more that does not end in 000 (`912.345.678`) is more likely a number to hide. */
const looksRandom = (amount: string) => {
  const digits = amount.replace(/\D/g, '');
  return digits.length >= 9 && !digits.endsWith('000');
};
const MONEY_SHAPED = /^[1-9]\d{0,2}(?:[.,]\d{3})+(?:[.,]\d+)?$/;

/** Whether a run of digits is made of kept numbers only: dates, periods, decision numbers, money, IPs. */
function isKeptRun(run: string, after: string): boolean {
  const text = run.replace(/^\(\s*/, '').replace(/\s*\)$/, '');
  const withUnit = UNIT_AFTER.test(after);
  if (withUnit && /^(?:[1-9]\d{0,2}(?: \d{3})+|[1-9]\d*)$/.test(text) && !looksRandom(text)) return true;
  if (/^\d{1,3}(?:\s*[,;]\s*\d{1,3})+$/.test(text)) return true; // a list of small numbers: 50, 70, 90
  let at = 0;
  for (;;) {
    KEPT_ITEM.lastIndex = at;
    const item = KEPT_ITEM.exec(text);
    if (!item) return false;
    if (!withUnit && MONEY_SHAPED.test(item[0]) && looksRandom(item[0])) return false;
    at = KEPT_ITEM.lastIndex;
    if (at === text.length) return true;
    KEPT_SEPARATOR.lastIndex = at;
    if (!KEPT_SEPARATOR.exec(text)) return false;
    at = KEPT_SEPARATOR.lastIndex;
  }
}

function markRuns(s: string, marks: Marks): void {
  // Characters already masked or kept break runs.
  let free = s;
  if (marks.some((m) => m !== FREE)) {
    free = '';
    for (let i = 0; i < s.length; i++) free += marks[i] === FREE ? s[i] : '\u0000';
  }
  each(free, RUN, (m) => {
    const run = m[0];
    const digits = run.replace(/\D/g, '');
    if (digits.length < 7) return;
    if (!isPhone(digits) && isKeptRun(run, free.slice(m.index + run.length, m.index + run.length + 12))) return;
    let from = m.index;
    let to = m.index + run.length;
    // A bracket is masked with the number only when its partner is too: "(gọi 0912345678)" keeps both.
    // Brackets around the whole number stay: "anh Tú (0912345678)" → "anh Tú (***)".
    const opens = (run.match(/\(/g) ?? []).length;
    const closes = (run.match(/\)/g) ?? []).length;
    const wrapped = /^\(\s*[^()]*\)$/.test(run);
    if (run.startsWith('(') && (opens > closes || wrapped)) from = m.index + run.search(/\d|\+/);
    if (run.endsWith(')') && (closes > opens || wrapped)) to = m.index + run.search(/\d\s*\)$/) + 1;
    mark(marks, from, to, MASKED);
  });
}

// --- Assembly -------------------------------------------------------------------------------------------

/** Cheap test for text that cannot hold anything to mask. */
const MAYBE = /[\p{Nd}@＠﹫=:]|\[at\]|\(at\)|bearer|basic|token|sk-|eyJ/iu;

/** The text with every phone number, long number, e-mail address and secret replaced by `***`. */
export function maskPersonalData(text: string): string {
  if (!MAYBE.test(text)) return text;
  const shadow = shadowOf(text);
  const s = shadow.text;
  const marks: Marks = new Uint8Array(s.length);
  markSecrets(s, marks);
  if (MAYBE_EMAIL.test(s)) each(s, EMAIL, (m) => mark(marks, m.index, m.index + m[0].length, MASKED));
  markKept(s, marks);
  markRuns(s, marks);
  const start = (i: number) => (shadow.starts ? shadow.starts[i]! : i);
  let out = '';
  let copied = 0;
  for (let i = 0; i < s.length; i++) {
    if (marks[i] !== MASKED) continue;
    let j = i;
    while (j < s.length && marks[j] === MASKED) j++;
    out += text.slice(copied, start(i)) + MASK;
    copied = start(j);
    i = j - 1;
  }
  return out ? out + text.slice(copied) : text;
}

/**
 * For logs only: URLs and paths without their query string (`/api/x?access_token=…` → `/api/x`). Logs never
 * need a query string, and it is where tokens and personal data travel.
 */
export function withoutQueryStrings(text: string): string {
  return text.replace(
    /((?:\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s?#"'<>]*)|(?:^|(?<=[\s"'(=]))\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi,
    '$1',
  );
}
