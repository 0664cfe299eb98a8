/**
 * Follow-ups: "còn giai đoạn 2021-2025 thì sao?", "còn rượu ngô?", "bước thứ 3 là gì", "phần C thì sao",
 * "cái đó nộp ở đâu". A follow-up is read together with the previous question: its entities take the place of
 * the previous question's entities of the same kind, or, when it names none of those, it is read with the
 * previous question's topic words.
 */
import type { Token } from './analyze.js';
import type { Entities, EntityKind, Span } from './entities.js';
import {
  BACK_REFERENCES,
  DEMONSTRATIVES,
  DOCUMENT_PREFIXES,
  PAST_CUES,
  RECENCY_CUES,
  FOLLOW_UP_CLOSERS,
  FOLLOW_UP_OPENERS,
  SHORT_FOLLOW_UP_WORDS,
  SIGNING_WORDS,
  OPENING_BACK_REFERENCES,
} from './vocabulary.js';
import { fold, tonedKey } from '../text/vietnamese.js';
import { foldedPhrases } from '../text/regexp.js';

/** The previous question, as it was understood, kept in the conversation state. */
export interface TopicContext {
  /** The question as answered (follow-ups already merged), normalised: the spans refer to it. */
  text: string;
  /** Spans of its entities by kind, and of its product. */
  spans: Partial<Record<EntityKind | 'product', Span[]>>;
  /** The passage cited in the answer. */
  passageId?: string;
  /** The decision the answer named when the question asked which one ("QĐ 1048"). */
  answerDocument?: string;
  /** The commune or ward the answer placed its subject in ("… nay thuộc xã Thành Công"), for "xã đó gồm …". */
  answerUnit?: string;
  at: number;
}

export type FollowUpStrength = 'strong' | 'weak';

const OPENERS = FOLLOW_UP_OPENERS.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
const CLOSERS = FOLLOW_UP_CLOSERS.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
const BACK_REFS = BACK_REFERENCES.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
/** "nó", "cái đó", "sản phẩm đó" opening a message. */
const OPENING_BACK_REFS = OPENING_BACK_REFERENCES.map((p) => p.split(' '));

function startsWith(words: readonly string[], phrase: readonly string[]): boolean {
  return phrase.length <= words.length && phrase.every((w, k) => words[k] === w);
}
function endsWith(words: readonly string[], phrase: readonly string[]): boolean {
  const off = words.length - phrase.length;
  return off >= 0 && phrase.every((w, k) => words[off + k] === w);
}
function containsAt(words: readonly string[], phrase: readonly string[]): number {
  for (let i = 0; i + phrase.length <= words.length; i++) if (phrase.every((w, k) => words[i + k] === w)) return i;
  return -1;
}

/**
 * Spans of every entity kind in a message, and of its product: each time the message names it ("nhà tôi làm miến
 * dong, … miến dong thuộc nhóm nào?"), so that a follow-up about another product replaces them all.
 */
export function entitySpans(entities: Entities, product?: Span, text?: string): TopicContext['spans'] {
  const spans: TopicContext['spans'] = {};
  const put = (kind: EntityKind | 'product', list: readonly Span[]) => {
    if (list.length) spans[kind] = list.map(({ start, end }) => ({ start, end }));
  };
  put('documents', entities.documents);
  put('forms', entities.forms);
  put('periods', entities.periods);
  put('years', entities.years);
  put('stars', entities.stars);
  put('parts', entities.parts);
  put('points', entities.points);
  put('provinces', entities.provinces);
  put('scopes', entities.scopes);
  if (entities.ordinal) put('ordinal', [entities.ordinal]);
  if (product) put('product', text ? occurrences(text, product) : [product]);
  return spans;
}

/** Every place the text names what the span names, as typed. */
function occurrences(text: string, span: Span): Span[] {
  const lower = text.toLowerCase();
  const named = lower.slice(span.start, span.end);
  const found: Span[] = [];
  for (let at = lower.indexOf(named); named && at >= 0; at = lower.indexOf(named, at + named.length))
    found.push({ start: at, end: at + named.length });
  return found.some((f) => f.start === span.start) ? found : [span];
}

/**
 * Whether a message reads as a follow-up: `strong` when it says so ("còn …", "… thì sao", "bước thứ 3", "cái đó",
 * "quyết định đó"), `weak` when it is only a few words ("2021-2025?", "kinh phí dự kiến bao nhiêu"): those are
 * answered both ways and the better reading wins. Undefined otherwise.
 */
export function detectFollowUp(
  tokens: readonly Token[],
  spans: TopicContext['spans'],
  /** The previous question's words, folded: a noun of it pointed at ("chương trình đó") marks a longer follow-up. */
  previousWords?: ReadonlySet<string>,
): FollowUpStrength | undefined {
  const words = tokens.filter((t) => !t.particle).map((t) => t.folded);
  if (words.length === 0 || words.length > 16) return undefined;
  const pointsAtPrevious = previousWords !== undefined && hasDemonstrative(words, previousWords);
  if (words.length > 12 && !OPENING_BACK_REFS.some((p) => startsWith(words, p)) && !pointsAtPrevious) return undefined;
  const content = tokens.filter((t) => !t.stop);
  const opener = OPENERS.some((p) => startsWith(words, p) && words.length > p.length);
  const closer = CLOSERS.some(
    (p) => endsWith(words, p) && words.length > p.length && p.join(' ') !== 'sao' && p.join(' ') !== 'thi',
  );
  const backRef = refersBack(tokens) || pointsAtPrevious;
  const ordinal = spans.ordinal !== undefined && content.length <= 4;
  // "Còn bộ tiêu chí năm 2023 thì chia ra sao?": "còn" with a year, a period, a star level… named in place of the
  // one before, in a longer message.
  const swapsEntity = Object.keys(spans).length > 0 && words.length <= OPENER_WITH_ENTITY_WORDS;
  if ((opener && (words.length <= 9 || swapsEntity)) || closer || backRef || ordinal) return 'strong';
  return content.length <= SHORT_FOLLOW_UP_WORDS ? 'weak' : undefined;
}

/** A message this long (words) opening with "còn …" and naming an entity is a follow-up. */
const OPENER_WITH_ENTITY_WORDS = 13;

/** A message this long (words) may still point back ("Kinh phí ước tính cho chương trình đó là bao nhiêu?"). */
const BACK_REFERENCE_WORDS = 12;

/** "quyết định đó ai ký", "sản phẩm này": the message points back at what was asked before. */
export function refersBack(tokens: readonly Token[]): boolean {
  const words = tokens.filter((t) => !t.particle).map((t) => t.folded);
  // "Nó được công nhận vào năm nào và do ai sản xuất?": a message that opens by pointing back continues the
  // previous question, however long it is.
  if (words.length <= 16 && OPENING_BACK_REFS.some((p) => startsWith(words, p))) return true;
  return (
    words.length <= BACK_REFERENCE_WORDS &&
    (BACK_REFS.some((p) => containsAt(words, p) >= 0) || hasDemonstrative(words))
  );
}

/** Words before "đó", "này" that make no demonstrative ("là đó", "ở đó", "từ đó"). */
const STOP_BEFORE_DEMONSTRATIVE = new Set(['la', 'co', 'o', 'tu', 'den', 'cho']);

/**
 * "quyết định đó", "giai đoạn này": a noun followed by a demonstrative, not at the start; with `nouns`, a noun of
 * those ("Vậy kinh phí dự kiến cho chương trình đó tất cả là bao nhiêu?" after a question about the programme).
 */
function hasDemonstrative(words: readonly string[], nouns?: ReadonlySet<string>): boolean {
  return words.some(
    (w, i) =>
      i > 0 &&
      DEMONSTRATIVES.includes(w) &&
      !STOP_BEFORE_DEMONSTRATIVE.has(words[i - 1]!) &&
      (!nouns || nouns.has(words[i - 1]!)),
  );
}

/** The words of a follow-up once its opener and closer are taken off ("còn rượu ngô thì sao" → "rượu ngô"). */
function core(text: string, tokens: readonly Token[]): string {
  const { start, end } = coreSpan(text, tokens);
  return text.slice(start, end);
}

/** Where the message's own words stand in its text, without its opener and closer. */
function coreSpan(text: string, tokens: readonly Token[]): { start: number; end: number } {
  const words = tokens.map((t) => t.folded);
  let from = 0;
  let to = tokens.length;
  for (const p of OPENERS)
    if (startsWith(words, p) && words.length > p.length) {
      from = p.length;
      break;
    }
  for (const p of CLOSERS)
    if (endsWith(words.slice(from), p) && to - from > p.length) {
      to -= p.length;
      break;
    }
  while (to > from && tokens[to - 1]!.particle) to--;
  const first = tokens[from];
  const last = tokens[to - 1];
  if (!first || !last || first.start === undefined || last.end === undefined) return { start: 0, end: text.length };
  return { start: first.start, end: last.end };
}

/** The demonstratives as written with their accents ("đó", "này"), toned. */
const DEMONSTRATIVE_FORMS = new Set(['đó', 'này', 'ấy', 'kia', 'trên'].map(tonedKey));

/** Whether the word at this place of the text, spelt as a demonstrative, reads as another word ("do uong": "đồ"). */
function readsAsOther(tokens: readonly Token[], at: number): boolean {
  const t = tokens.find((u) => u.start === at);
  if (!t) return false;
  if (t.accented) return !DEMONSTRATIVE_FORMS.has(t.toned);
  return (
    t.restored !== undefined &&
    (t.restoredConfidence ?? 0) >= OTHER_WORD_CONFIDENCE &&
    !DEMONSTRATIVE_FORMS.has(tonedKey(t.restored))
  );
}
/** How sure the accent restorer must be of the other word ("do uong": "đồ" 0.94; "nhom do gom": 0.66, "đó"). */
const OTHER_WORD_CONFIDENCE = 0.8;

/**
 * The follow-up read with the previous question: each entity it names replaces the previous question's
 * entities of the same kind ("giai đoạn 2019-2020" → "giai đoạn 2021-2025", "mật ong" → "rượu ngô", "bước 2" →
 * "bước 4"); a question about the present ("thế bây giờ thì sao?") drops the previous question's dates. When it
 * names none of those kinds, its own words are read together with the previous question.
 */
export interface MergedFollowUp {
  text: string;
  /** Where the previous question's words start, when they follow the message's own words. */
  contextFrom?: number;
  /** "ai ký", "ký ngày nào": the message's few words are the whole question; the earlier ones only say of what. */
  asksOwn?: boolean;
}

/** A demonstrative right after a span ("homestay đó", "xã này"). */
function pointedAt(text: string, end: number): boolean {
  const next = fold(text.slice(end)).trim().split(/\s+/)[0] ?? '';
  return DEMONSTRATIVES.includes(next);
}

/** "ai ký", "ai ki v", "ký ngày nào": asks who signed or when, of a decision. */
function asksSigning(tokens: readonly Token[]): boolean {
  const words = tokens.map((t) => t.folded).join(' ');
  return SIGNING.test(words);
}
const SIGNING = foldedPhrases(SIGNING_WORDS);

export function mergeFollowUp(
  text: string,
  tokens: readonly Token[],
  spans: TopicContext['spans'],
  previous: TopicContext,
  recency = false,
): MergedFollowUp {
  const replacements: { start: number; end: number; by: string }[] = [];
  for (const kind of Object.keys(spans) as (EntityKind | 'product')[]) {
    const mine = spans[kind]!;
    const theirs = previous.spans[kind];
    if (!theirs?.length) continue;
    const by = mine.map((s) => text.slice(s.start, s.end)).join(', ');
    // "Homestay đó nằm ở đâu?" after a question about homestays: the same thing pointed at, nothing replaced.
    if (kind === 'product' && fold(by) === fold(theirs.map((s) => previous.text.slice(s.start, s.end)).join(', ')))
      continue;
    // "Chủ của homestay đó là ai?", "xã này gồm những xã cũ nào": the thing pointed at, asked about, not another.
    if (mine.every((m) => pointedAt(text, m.end))) continue;
    theirs.forEach((s, i) => {
      replacements.push({ start: s.start, end: s.end, by: i === 0 ? by : '' });
    });
  }
  if (recency && !spans.years && !spans.periods) {
    for (const kind of ['years', 'periods'] as const)
      for (const s of previous.spans[kind] ?? []) replacements.push({ ...s, by: '' });
  }
  if (replacements.length) {
    let merged = previous.text;
    for (const r of replacements.sort((a, b) => b.start - a.start))
      merged = merged.slice(0, r.start) + r.by + merged.slice(r.end);
    if (recency && !spans.years && !spans.periods) merged = `${merged} ${core(text, tokens)}`;
    return {
      text: merged
        .replace(/\s*,\s*(?=[,?.]|$)/g, '')
        .replace(/\s{2,}/g, ' ')
        .trim(),
    };
  }
  // "cái đó nộp ở đâu", "ai ký quyết định đó": the reference stands for the previous question, and for the
  // decision its answer named.
  const span = coreSpan(text, tokens);
  // Blanked to their length, so that a place in `own` stays a place in the text.
  const blank = (m: string) => ' '.repeat(m.length);
  let own = text.slice(span.start, span.end);
  for (const p of BACK_REFS) own = own.replace(foldedRegex(p), blank);
  // "còn nhóm đồ uống" typed "con nhom do uong": a word spelt as a demonstrative but read as another stays.
  for (const d of DEMONSTRATIVES)
    own = own.replace(foldedRegex(d.split(' '), 'g'), (m: string, at: number) =>
      readsAsOther(tokens, span.start + at) ? m : blank(m),
    );
  own = own.replace(/\s{2,}/g, ' ').trim();
  // "Trước đây theo QĐ 1048 thì bao nhiêu?" after a question about today: the earlier "hiện nay" no longer holds.
  let context = previous.text;
  if (spans.documents || spans.years || spans.periods || PAST.test(fold(text)))
    for (const cue of RECENCY) context = context.replace(cue, ' ');
  // "Nghị quyết sắp xếp xã số mấy?" → "ai ký": the decision the answer named, asked of by name or by signing.
  const signing = !spans.documents && asksSigning(tokens);
  const document =
    !spans.documents && previous.answerDocument && (DOCUMENT_REFERENCE.test(fold(text)) || signing)
      ? previous.answerDocument
      : '';
  const head = `${own} ${document}`.replace(/\s{2,}/g, ' ').trim();
  return {
    text: `${head} ${context.replace(/\s{2,}/g, ' ').trim()}`.trim(),
    contextFrom: head.length + 1,
    ...(signing ? { asksOwn: true } : {}),
  };
}

const RECENCY = [...RECENCY_CUES].sort((a, b) => b.length - a.length).map((c) => foldedRegex(c.split(' ')));
/** "trước đây", "hồi trước", "ngày trước": the past. */
const PAST = new RegExp(`(?<![\\p{L}])(?:${PAST_CUES.join('|')})(?![\\p{L}])`, 'u');

/** "quyết định đó", "văn bản này", "QĐ ấy": the decision the previous answer named. */
const DOCUMENT_REFERENCE = new RegExp(
  `(?<![\\p{L}])(?:${Object.keys(DOCUMENT_PREFIXES).join('|')})\\s+(?:${DEMONSTRATIVES.join('|')})(?![\\p{L}])`,
  'u',
);

/** A regex matching a folded phrase in text written with or without accents. */
function foldedRegex(phrase: readonly string[], flags = ''): RegExp {
  const letters: Record<string, string> = {
    a: '[aàáảãạăằắẳẵặâầấẩẫậ]',
    e: '[eèéẻẽẹêềếểễệ]',
    i: '[iìíỉĩị]',
    o: '[oòóỏõọôồốổỗộơờớởỡợ]',
    u: '[uùúủũụưừứửữự]',
    y: '[yỳýỷỹỵ]',
    d: '[dđ]',
  };
  const body = phrase.map((w) => [...w].map((c) => letters[c] ?? c).join('')).join('\\s+');
  return new RegExp(`(?<![\\p{L}])${body}(?![\\p{L}])`, `iu${flags}`);
}
