/**
 * Named things a message hinges on: document numbers (QĐ 148), periods (2019–2020) and years, star levels,
 * parts of the criteria (A/B/C), points, ordinals ("bước thứ 3"), provinces, reference codes, a named person, and
 * whether the present is asked about ("hiện nay"). Each comes with its span in the message, so that a follow-up
 * ("còn giai đoạn 2021-2025 thì sao?") can put its own value in the place of the previous one.
 */
import { fold, normalizeNumbers } from '../text/vietnamese.js';
import { spokenNumbersToDigits } from './spoken-numbers.js';
import { escapeRegExp, wholeWords } from '../text/regexp.js';
import {
  DOCUMENT_PREFIXES,
  HOME_PROVINCE,
  NUMBER_WORDS,
  ORDINAL_NOUNS,
  ORDINAL_WORDS,
  PERSON_MIDDLE_NAMES,
  PERSON_SURNAMES,
  PERSON_TITLES,
  PERSON_TITLES_UNACCENTED,
  PROVINCE_ALIASES,
  SPOKEN_OCOP,
  EMOJI_WORDS,
  HEARD_AS,
  VOICE_FILLERS,
  EARLIEST_CUES,
  MARKET_BEFORE_PROVINCE,
  GLUED_BEFORE_NUMBER,
  NOT_RECENCY,
  MARKET_LINKS,
  PROVINCE_NOT_AFTER,
  PROVINCE_PREFIXES,
  PROVINCES,
  RECENCY_CUES,
  SCOPE_WORDS,
} from './vocabulary.js';

export interface Span {
  start: number;
  end: number;
}

export interface DocumentRef extends Span {
  /** "QĐ", "NQ", "KH", "NĐ"… */
  kind: string;
  number: string;
}

export interface Period extends Span {
  from: number;
  to: number;
}

/** A period as one comparable key ("2021-2025"). */
export const periodKey = (p: Pick<Period, 'from' | 'to'>) => `${p.from}-${p.to}`;

export interface Entities {
  documents: DocumentRef[];
  /** Forms by number ("biểu số 01", "mẫu 02"). */
  forms: (Span & { form: number })[];
  periods: Period[];
  /**
   * Years; `through` when the figure asked or given runs up to it ("hết năm 2023", "tính đến cuối năm 2023"),
   * `within` when it is the year's own ("riêng năm 2023").
   */
  years: (Span & { year: number; through?: boolean; within?: boolean })[];
  stars: (Span & { stars: number })[];
  parts: (Span & { part: 'A' | 'B' | 'C' })[];
  /** Points ("72 điểm"), or a band of them ("từ 50 đến dưới 70 điểm": 50 to 70). */
  points: (Span & { points: number; to?: number })[];
  ordinal?: Span & { n: number; noun?: string };
  /** Provinces other than Cao Bằng, by their canonical names. */
  /** `market`: named as where the writer sells ("đại lý ở Hà Nội"), not as the place asked about. */
  provinces: (Span & { name: string; market?: boolean })[];
  /** Cao Bằng is named. */
  home: boolean;
  /** The whole country or the home province, where named ("cả nước", "Cao Bằng mình"). */
  scopes: (Span & { scope: 'national' | 'home' })[];
  referenceCodes: (Span & { code: string })[];
  /** A person named with a title ("ông Nông Văn Tư", "chị Lan"). */
  persons: (Span & { name: string })[];
  /** The present is asked about ("hiện nay", "hiện có", "mới nhất"). */
  recency: boolean;
  /** The first of its kind is asked about ("lần đầu", "đầu tiên"). */
  earliest?: boolean;
}

export type EntityKind =
  | 'documents'
  | 'forms'
  | 'periods'
  | 'years'
  | 'stars'
  | 'parts'
  | 'points'
  | 'ordinal'
  | 'provinces'
  | 'scopes';

/** Any of the phrases, as whole words, anywhere, in any case. */
const wordsRe = (phrases: readonly string[]) => wholeWords(phrases, 'giu');
const SPOKEN_OCOP_RE = wordsRe(SPOKEN_OCOP);
const HEARD_AS_RE = wordsRe(Object.keys(HEARD_AS));
const EMOJI_RE = new RegExp(Object.keys(EMOJI_WORDS).map(escapeRegExp).join('|'), 'gu');
const FILLER_RE = wordsRe(VOICE_FILLERS.anywhere);
const START_FILLER_RE = new RegExp(`^(?:\\s*(?:${VOICE_FILLERS.start.join('|')})(?![\\p{L}\\p{N}]))+`, 'iu');

/**
 * The text the spans refer to: NFC, numbers normalised ("1.048" → "1048"). Folding keeps every character's
 * position (each letter folds to one letter), so folded matches give spans in this text.
 */
const GLUED_RE = new RegExp(`(?<![\\p{L}\\p{N}])(${GLUED_BEFORE_NUMBER.join('|')})(\\d{2,4})(?![\\p{L}])`, 'giu');

export function normalizedText(text: string): string {
  // Stars typed as symbols read as words: "5⭐" → "5 sao".
  return (
    normalizeNumbers(spokenNumbersToDigits(text.normalize('NFC')))
      .replace(/(\d)\s*(?:⭐|★|🌟)+/gu, '$1 sao')
      .replace(/(?:⭐|★|🌟)+/gu, ' sao ')
      .replace(EMOJI_RE, (m) => ` ${EMOJI_WORDS[m]} `)
      .replace(SPOKEN_OCOP_RE, 'OCOP')
      .replace(HEARD_AS_RE, (m) => HEARD_AS[m.toLowerCase()] ?? m)
      .replace(START_FILLER_RE, '')
      .replace(FILLER_RE, '')
      // "b5 trong chu trình": step 5; "88đ", "45d": 88 points (an amount of money is written larger).
      .replace(/(?<![\p{L}\p{N}])b([1-9])(?![\p{L}\p{N}])/gu, 'bước $1')
      .replace(/(?<![\p{L}\p{N}.,])(\d{1,3})\s?[đd](?![\p{L}\p{N}])/gu, (m, n: string) =>
        Number(n) <= 100 ? `${n} điểm` : m,
      )
      // "gd2021-2025", "qd148", "nam2023": a word typed glued to its number.
      .replace(GLUED_RE, '$1 $2')
      // "3sao", "5kg", "2sp": a number typed glued to the word it counts.
      .replace(/(?<![\p{L}\p{N}.,/])(\d{1,3})(\p{L}{2,})(?![\p{N}])/gu, '$1 $2')
      // "gd 21-25", "giai đoạn 19-20": the period's years, written short.
      .replace(
        /(?<![\p{L}\p{N}])(gd|gđ|giai đoạn|giai doan)\s*(\d{2})\s*-\s*(\d{2})(?![\p{L}\p{N}])/giu,
        (_m, w: string, a: string, b: string) => `${w} 20${a}-20${b}`,
      )
  );
}

/** Folds character by character, keeping positions. */
function foldKeepingPositions(text: string): string {
  let out = '';
  for (const ch of text) {
    const f = fold(ch);
    out += f.length === 1 ? f : ch.toLowerCase().length === 1 ? ch.toLowerCase() : ' ';
  }
  return out;
}

const wordRe = (phrase: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(phrase).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`, 'gu');

/**
 * A folded phrase as whole words, with its first word: a text that lacks that word is skipped without running the
 * pattern (a message is checked against a hundred province names).
 */
interface WordPattern {
  re: RegExp;
  needs: string;
}
const wordPattern = (phrase: string): WordPattern => ({ re: wordRe(phrase), needs: phrase.split(' ')[0]! });
const matchesWords = (p: WordPattern, text: string) => text.includes(p.needs) && matches(p.re, text);
const allWords = (p: WordPattern, text: string): Iterable<RegExpExecArray> =>
  text.includes(p.needs) ? text.matchAll(p.re) : [];

const DOC_PREFIX = Object.keys(DOCUMENT_PREFIXES)
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');
const DOC_BEFORE = new RegExp(
  `(?<![\\p{L}\\p{N}])(${DOC_PREFIX})\\s*(?:so\\s*)?(\\d{2,5})(?:\\s*\\/\\s*(?:(\\d{4})\\b)?)?`,
  'gu',
);
const DOC_AFTER = /(?<![\p{L}\p{N}])(\d{2,5})\s*\/\s*(?:(\d{4})\s*\/\s*)?(qd|nq|kh|nd|tt)\b/gu;
const PERIOD = /(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|\/|den nam|toi nam|den|toi|va)\s*((?:19|20)?\d{2})(?!\d)/gu;
/** A year, with the words that place it in time ("hết năm 2023", "trước 7/2025", "tháng 11/2024"). */
const YEAR =
  /(?<![\p{L}\d])(?:(?<prefix>truoc|sau|tu|den|toi|het|cuoi|dau|giua|trong|rieng|dot)\s+)?(?:(?:nam|thang\s+\d{1,2}(?:\s+nam)?|\d{1,2}\s*\/\s*(?:\d{1,2}\s*\/\s*)?)\s*)?((?:19|20)\d{2})(?![\d/])/gu;
/** "hết năm 2023", "đến tháng 11/2024", "cuối năm 2021": a total up to then, not the year's own figure. */
const THROUGH_PREFIXES = new Set(['den', 'toi', 'het', 'cuoi']);
/** "riêng năm 2023", "trong năm 2023", "đợt 2023": the year's own figure. */
const WITHIN_PREFIXES = new Set(['rieng', 'trong', 'dot']);
const FORM = /(?<![\p{L}])(?:bieu|mau)\s*(?:so\s*)?(\d{1,2})(?![\d/])/gu;
const STAR_NUMBER = /(?<![\p{L}\d])(\d)\s*(?:-\s*(\d)\s*)?(?:sao|\*|★)(?![\p{L}])/gu;
const STAR_WORD = /(?<![\p{L}])(mot|hai|ba|bon|nam)\s+sao(?![\p{L}])/gu;
const POINTS = /(?<![\p{L}\d])(\d{1,3})\s*diem(?![\p{L}])/gu;
/** "tổng điểm là 93", "điểm đạt 72", "chấm được 65": a score named after its word. */
const POINTS_AFTER =
  /(?<![\p{L}])(?:tong diem|diem|cham duoc|cham dc)\s+(?:la\s+|dat\s+|duoc\s+|dc\s+)?(\d{1,3})(?![\d\p{L}/.,])/gu;
/** "từ 50 đến dưới 70 điểm", "50 - 69 điểm": a band of points. */
const POINT_RANGE = /(?<![\p{L}\d])(\d{1,3})\s*(?:den|toi|-|–)\s*(?:duoi\s*)?(\d{1,3})\s*diem(?![\p{L}])/gu;
/** "từ 90 điểm trở lên", "dưới 50 điểm": a band open at one end. */
const POINT_FLOOR = /(?<![\p{L}\d])(\d{1,3})\s*diem\s*tro\s*len(?![\p{L}])/gu;
const POINT_CEILING = /(?<![\p{L}])duoi\s*(\d{1,3})\s*diem(?![\p{L}])/gu;
const PARTS = /(?<![\p{L}])phan\s+([abc])((?:\s*(?:,|va|và|hoac|-)\s*[abc](?![\p{L}]))*)/gu;
/**
 * A submission's reference code, OCOP-CB-2026-000123, also typed loosely: "ocop cb 2026 123", or with the prefix
 * garbled or left out ("CB-2026-000123", "2026-000123") when the sequence keeps its six digits.
 */
const REFERENCE =
  /ocop[\s-]*cb[\s-]*(\d{4})[\s-]*(\d{1,6})(?!\d)|(?<![\p{L}\d])(?:\p{L}{1,5}[\s-]*){0,2}(20\d\d)[\s-]+(\d{6})(?!\d)/giu;
const ORDINAL_NOUN = ORDINAL_NOUNS.map(escapeRegExp).join('|');
const ORDINAL = new RegExp(
  `(?<![\\p{L}])(?:(${ORDINAL_NOUN})\\s+)?thu\\s+(\\d{1,2}|${Object.keys(NUMBER_WORDS).join('|')})(?![\\p{L}\\d])|(?<![\\p{L}])(${ORDINAL_NOUN})\\s+(\\d{1,2})(?![\\p{L}\\d./])|(?<![\\p{L}])(${ORDINAL_NOUN})\\s+(${Object.keys(ORDINAL_WORDS).map(escapeRegExp).join('|')})(?![\\p{L}])`,
  'gu',
);
const PROVINCE_PATTERNS = PROVINCES.filter((p) => p !== HOME_PROVINCE).flatMap((name) =>
  [name, ...(PROVINCE_ALIASES[name] ?? [])].map((written) => ({
    name,
    written: written.toLowerCase(),
    pattern: wordPattern(fold(written)),
  })),
);

/**
 * Whether the words as typed can be that province's name: without accents any may ("gia lai"), with them they
 * must be its own ("đánh giá lại" is no Gia Lai, "bến tre" is Bến Tre). Case aside.
 */
function writtenAs(typed: string, written: string): boolean {
  const lower = typed.toLowerCase();
  return lower === fold(lower) || lower === written || fold(written) === written;
}
const HOME = wordPattern(fold(HOME_PROVINCE));
const SCOPES = (Object.entries(SCOPE_WORDS) as ['national' | 'home', readonly string[]][])
  .flatMap(([scope, list]) => list.map((w) => ({ scope, pattern: wordPattern(w), length: w.length })))
  .sort((a, b) => b.length - a.length);
/** A market word, then up to two linking words ("ở", "tại", "khắp", "tận"), right before the place name. */
const MARKET_BEFORE = new RegExp(
  `(?<![\\p{L}])(?:${MARKET_BEFORE_PROVINCE.map(escapeRegExp).join('|')})(?:\\s+\\d+)?(?:\\s+(?:${MARKET_LINKS.join('|')})){0,2}\\s*$`,
  'u',
);
/** "bán hạt dẻ ở", "bán chủ yếu ở": "bán" typed with its accent, a few words, then "ở"/"tại"/"ra"/"sang"/"khắp". */
const SOLD_BEFORE = /(?<![\p{L}])bán(?:\s+\p{L}+){0,4}\s+(?:ở|tại|ra|sang|khắp|đi)\s*(?:\p{L}+\s+)?$/iu;
const PROVINCE_PREFIX = new RegExp(`(?:${PROVINCE_PREFIXES.map(escapeRegExp).join('|')})\\s*$`, 'u');
const RECENCY = RECENCY_CUES.map(wordPattern);
const NOT_NOW = NOT_RECENCY.map((p) => new RegExp(`(?<![\\p{L}])${p}(?![\\p{L}])`, 'gu'));
const EARLIEST = EARLIEST_CUES.map(wordPattern);
const TITLES = new Set(PERSON_TITLES);
const NAME_WORD = /^\p{Lu}\p{Ll}*$/u;
const SURNAMES = new Set(PERSON_SURNAMES);
const MIDDLE_NAMES = new Set(PERSON_MIDDLE_NAMES);
const LOWER_TITLES = new Set(PERSON_TITLES_UNACCENTED);

/** Titles as written, with their accents ("mật ong" is no "ông"). */
const WRITTEN_TITLES = new Set([
  'ông',
  'bà',
  'anh',
  'chị',
  'cô',
  'chú',
  'bác',
  'em',
  'cháu',
  'dì',
  'thím',
  'mợ',
  'cậu',
]);

export interface EntityOptions {
  /** Folded names of Cao Bằng's communes, wards and former districts: never read as another province. */
  localPlaces?: ReadonlySet<string>;
}

/** Whether a global pattern matches anywhere (resetting its position first). */
function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}

function overlaps(a: Span, spans: readonly Span[]): boolean {
  return spans.some((b) => a.start < b.end && b.start < a.end);
}

/** The entities of a message, with spans in `normalizedText(text)`. */
export function extractEntities(text: string, { localPlaces }: EntityOptions = {}): Entities {
  const normalized = normalizedText(text);
  const f = foldKeepingPositions(normalized);
  const referenceCodes: Entities['referenceCodes'] = [];
  for (const m of normalized.matchAll(REFERENCE)) {
    referenceCodes.push({
      code: `OCOP-CB-${m[1] ?? m[3]}-${(m[2] ?? m[4])!.padStart(6, '0')}`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  const documents: DocumentRef[] = [];
  for (const m of f.matchAll(DOC_BEFORE)) {
    documents.push({
      kind: DOCUMENT_PREFIXES[m[1]!.replace(/\s+/g, ' ')] ?? 'QĐ',
      number: m[2]!,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of f.matchAll(DOC_AFTER)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!overlaps(span, documents)) documents.push({ kind: DOCUMENT_PREFIXES[m[3]!] ?? 'QĐ', number: m[1]!, ...span });
  }
  const forms: Entities['forms'] = [];
  for (const m of f.matchAll(FORM)) forms.push({ form: Number(m[1]), start: m.index, end: m.index + m[0].length });
  const periods: Period[] = [];
  for (const m of f.matchAll(PERIOD)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, documents)) continue;
    const from = Number(m[1]);
    let to = Number(m[2]);
    if (to < 100) to += Math.floor(from / 100) * 100;
    if (to > from && to - from <= 15) periods.push({ from, to, ...span });
  }
  const years: Entities['years'] = [];
  for (const m of f.matchAll(YEAR)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, periods) || overlaps(span, documents) || overlaps(span, referenceCodes)) continue;
    const prefix = m.groups?.prefix ?? '';
    years.push({
      year: Number(m[2]),
      ...span,
      ...(THROUGH_PREFIXES.has(prefix) ? { through: true } : WITHIN_PREFIXES.has(prefix) ? { within: true } : {}),
    });
  }
  const stars: Entities['stars'] = [];
  for (const m of f.matchAll(STAR_NUMBER)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    for (let s = a; s <= b && s <= 5; s++) if (s >= 1) stars.push({ stars: s, ...span });
  }
  for (const m of f.matchAll(STAR_WORD))
    stars.push({ stars: NUMBER_WORDS[m[1]!]!, start: m.index, end: m.index + m[0].length });
  const points: Entities['points'] = [];
  for (const m of f.matchAll(POINT_RANGE)) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (from < to && to <= 100) points.push({ points: from, to, start: m.index, end: m.index + m[0].length });
  }
  const bands: [RegExp, (n: number) => [number, number]][] = [
    [POINT_FLOOR, (n) => [n, 100]],
    [POINT_CEILING, (n) => [0, n]],
  ];
  for (const [re, band] of bands) {
    for (const m of f.matchAll(re)) {
      const span = { start: m.index, end: m.index + m[0].length };
      const [from, to] = band(Number(m[1]));
      if (!overlaps(span, points) && from < to && to <= 100) points.push({ points: from, to, ...span });
    }
  }
  for (const m of f.matchAll(POINTS)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!overlaps(span, points)) points.push({ points: Number(m[1]), ...span });
  }
  for (const m of f.matchAll(POINTS_AFTER)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!overlaps(span, points) && Number(m[1]) <= 100) points.push({ points: Number(m[1]), ...span });
  }
  const parts: Entities['parts'] = [];
  for (const m of f.matchAll(PARTS)) {
    // Only capital letters or "phần a" at the end count: "phần a" mid-sentence may be "phần anh".
    const letters = `${m[1]}${m[2] ?? ''}`.match(/[abc](?![\p{L}])/gu) ?? [];
    for (const l of letters)
      parts.push({ part: l.toUpperCase() as 'A' | 'B' | 'C', start: m.index, end: m.index + m[0].length });
  }
  let ordinal: Entities['ordinal'];
  for (const m of f.matchAll(ORDINAL)) {
    const noun = m[1] ?? m[3] ?? m[5];
    const raw = m[2] ?? m[4];
    const n = raw !== undefined ? (/^\d+$/.test(raw) ? Number(raw) : NUMBER_WORDS[raw]) : ORDINAL_WORDS[m[6]!];
    if (n === undefined || n === 0) continue;
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, stars) || overlaps(span, points)) continue;
    ordinal = { n, ...(noun ? { noun } : {}), ...span };
    break;
  }
  const provinces: Entities['provinces'] = [];
  for (const { name, written, pattern } of PROVINCE_PATTERNS) {
    for (const m of allWords(pattern, f)) {
      if (!writtenAs(normalized.slice(m.index, m.index + m[0].length), written)) continue;
      const before = f.slice(0, m.index).match(/(\p{L}+)\s+$/u)?.[1];
      if (before && PROVINCE_NOT_AFTER[name]?.includes(before)) continue;
      const prefixed = PROVINCE_PREFIX.test(f.slice(Math.max(0, m.index - 12), m.index));
      if (!prefixed && localPlaces?.has(fold(name))) continue;
      const span = { start: m.index, end: m.index + m[0].length };
      const market =
        MARKET_BEFORE.test(f.slice(Math.max(0, m.index - 24), m.index)) ||
        SOLD_BEFORE.test(normalized.slice(Math.max(0, m.index - 40), m.index));
      if (!overlaps(span, provinces)) provinces.push({ name, ...span, ...(market ? { market } : {}) });
    }
  }
  const scopes: Entities['scopes'] = [];
  for (const { scope, pattern } of SCOPES) {
    for (const m of allWords(pattern, f)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (!overlaps(span, scopes) && !overlaps(span, referenceCodes)) scopes.push({ scope, ...span });
    }
  }
  // "thực hiện", "xuất hiện" hold "hiện" and say nothing of now.
  const nowless = NOT_NOW.reduce((t, n) => t.replace(n, ' '), f);
  return {
    documents,
    forms,
    periods,
    years,
    stars,
    parts,
    points,
    ...(ordinal ? { ordinal } : {}),
    provinces,
    home: matchesWords(HOME, f) || (/(?<![\p{L}])cb(?![\p{L}])/u.test(f) && referenceCodes.length === 0),
    scopes: scopes.sort((a, b) => a.start - b.start),
    referenceCodes,
    persons: persons(normalized, f),
    recency: RECENCY.some((p) => matchesWords(p, nowless)),
    ...(EARLIEST.some((p) => matchesWords(p, f)) ? { earliest: true } : {}),
  };
}

/** "ông Nông Văn Tư", "chị Lan": a title followed by capitalised words that are not the start of the message. */
function persons(normalized: string, folded: string): Entities['persons'] {
  const out: Entities['persons'] = [];
  const re = /[\p{L}]+/gu;
  const ws = [...normalized.matchAll(re)];
  const foldedWord = (w: RegExpMatchArray) => folded.slice(w.index!, w.index! + w[0].length);
  // Typed without any accent: a title may be too.
  const bare = !/[\u00C0-\u1EF9]/u.test(normalized);
  for (let i = 0; i < ws.length - 1; i++) {
    const title = foldedWord(ws[i]!);
    // In lower case: a title, a surname and a middle name ("chi be thi lan", "a hoang van nam").
    if (LOWER_TITLES.has(title) && i + 2 < ws.length) {
      const [surname, middle, given] = [ws[i + 1]!, ws[i + 2]!, ws[i + 3]];
      if (SURNAMES.has(foldedWord(surname)) && MIDDLE_NAMES.has(foldedWord(middle))) {
        const end = given ?? middle;
        out.push({
          name: [surname, middle, ...(given ? [given] : [])].map((w) => w[0]).join(' '),
          start: ws[i]!.index,
          end: end.index + end[0].length,
        });
        i += given ? 3 : 2;
        continue;
      }
    }
    // A title with its accents ("mật ong" is no "ông"), or typed without them before a capitalised name ("chi Lan").
    const typedBare = bare && LOWER_TITLES.has(title) && ws[i]![0] === title;
    if (!TITLES.has(title) || !(WRITTEN_TITLES.has(ws[i]![0].toLowerCase()) || typedBare)) continue;
    let k = i + 1;
    const name: string[] = [];
    while (k < ws.length && NAME_WORD.test(ws[k]![0]) && name.length < 4) name.push(ws[k++]![0]);
    if (name.length === 0) continue;
    const last = ws[k - 1]!;
    out.push({ name: name.join(' '), start: ws[i]!.index, end: last.index + last[0].length });
    i = k - 1;
  }
  return out;
}
