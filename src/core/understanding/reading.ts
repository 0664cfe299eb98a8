/**
 * The language layer's one entry point: every text message is read once into a typed Reading (the request, the
 * kinds of answer asked for, the entities, the product named, whether it follows up the previous question, how
 * the writer addresses themselves), and the engine, the registration form and the answerer act on the Reading
 * without parsing text again.
 */
import { analyze, markNameHeads, type Token } from './analyze.js';
import { readAddress } from './address.js';
import { readAnswerTypes } from './answer-type.js';
import { extractEntities, normalizedText, type Entities, type Span } from './entities.js';
import {
  detectFollowUp,
  entitySpans,
  mergeFollowUp,
  refersBack,
  type FollowUpStrength,
  type TopicContext,
} from './follow-up.js';
import { namesOwnerKind, readRequest, type RequestReading } from './requests.js';
import type { Concept, RequestKind } from './vocabulary.js';
import type { DiacriticModel } from './restore.js';
import {
  ALREADY,
  PLAN_WORDS,
  WILL_WORDS,
  DOCUMENT_PREFIXES,
  FOLLOW_UP_WINDOW_MS,
  OWN_QUESTION_WORDS,
  FUTURE_WORDS,
  OCOP_CONTEXT,
  OUT_OF_SCOPE_CUES,
  FREE_SERVICE_WORDS,
  BUDGET_WORDS,
  SETTING_SELF_WORDS,
  COURTESY_OPENERS,
  WISH_OPENERS,
  RELAY_VERBS,
  RELAYED_TO,
  ANSWER_STYLE,
  AGENCY_ADDRESS_CUES,
  ORDINAL_WORDS,
  NOW_WORDS,
  PAST_CLAUSE_FIRST,
  PAST_CLAUSE_LAST,
  PAST_WORDS,
  OWN_PRODUCT_WORDS,
  SOMEONE_FILE_CUES,
  OWN_WORDS,
  OWN_PRODUCT_OUTCOME,
  ORGANISATION_KINDS,
  PERSON_FILE_CUES,
  RELATIVE_PERIOD_CUES,
  RELATIVE_YEAR_CUES,
  type AddressForm,
  type AnswerType,
  type OutOfScope,
} from './vocabulary.js';
import { parseYesNo } from './yes-no.js';
import { fold, tonedKey } from '../text/vietnamese.js';
import { cautiousPhraseWords, PhraseSet } from './phrases.js';

export type { TopicContext } from './follow-up.js';

/** A product named in a message, found by the classifier. */
export interface ProductMention extends Span {
  /** The classification row's code ("I.2.b"). */
  code: string;
  /** The example or head word that matched. */
  matched: string;
}

export interface Reading {
  /** The message as read, normalised (entity spans refer to it). For a follow-up: the merged question. */
  text: string;
  /** The message as typed (for a follow-up, before merging). */
  typed: string;
  tokens: Token[];
  request: RequestReading;
  answerTypes: AnswerType[];
  entities: Entities;
  product?: ProductMention;
  /** The message asks something (a question mark, a question word, "cho em biết"), rather than only saying it. */
  asks: boolean;
  /**
   * The sentences or clauses that ask, when the others only tell the writer's situation ("Nhà em có 3ha dẻ ở Trùng
   * Khánh, … giờ mún làm ocop thì nộp hồ sơ ở đâu ạ" → "giờ mún làm ocop thì nộp hồ sơ ở đâu ạ").
   */
  asking?: string;
  /** Set when the message was read together with the previous question. */
  followUp?: FollowUpStrength;
  /** A weak follow-up: the message read on its own, to be answered too (the better answer wins). */
  standalone?: Reading;
  /**
   * A strong follow-up with words of its own and no entity ("hết hạn thì sao"): the message read on its own, answered
   * when the follow-up read in context would only repeat the previous answer.
   */
  ownReading?: Reading;
  /** For a follow-up: the passage the previous answer cited (its neighbours answer "còn phần C?" best). */
  followsPassage?: string;
  /** The pronouns to answer in, when the message tells. */
  address?: AddressForm;
  /** A short yes / no answer ("có ạ", "chưa"). */
  yesNo?: boolean;
  /** A kind of question the knowledge base never answers (a price, an opinion…). */
  outOfScope?: OutOfScope;
  /** A kind of owner is named ("hộ gia đình", "cá nhân"): an eligibility question is about the owner. */
  ownerNamed?: boolean;
  /** The writer speaks of their own product ("sp nhà em", "sản phẩm của tôi"). */
  ownProduct?: boolean;
  /** The bot asked for a product name and this message gives one. */
  expectedProduct?: boolean;
}

/** What the conversation tells about the next message. */
export interface ReadingContext {
  /** The bot just asked for a product name (the "Sản phẩm của tôi thuộc nhóm nào?" button). */
  expecting?: 'product';
  /** The previous question, for follow-ups. */
  previous?: TopicContext;
  now?: number;
}

/** Finds the product a message names (the classifier). */
export interface ProductFinder {
  findProduct(
    tokens: readonly Token[],
    strict: boolean,
  ): { code: string; matched: string; from: number; to: number } | undefined;
}

export interface ReaderDeps {
  /** Folded words of the knowledge base. */
  vocabulary?: ReadonlySet<string>;
  /** Corrects a word no syllable spells to a known word. */
  correct?: (folded: string) => string | undefined;
  diacritics?: DiacriticModel;
  products?: ProductFinder;
  /** Whether the knowledge base's texts hold this folded phrase ("nam huong viet truc mai"): how far a name runs. */
  knownPhrase?: (folded: string) => boolean;
  /** Folded names of Cao Bằng's places (never read as another province). */
  localPlaces?: ReadonlySet<string>;
  /** The periods the knowledge base speaks of ("2019-2020", "2021-2025"), for "giai đoạn trước đó". */
  knownPeriods?: readonly { from: number; to: number }[];
  /** How many readings to remember (the same texts recur: menu words, popular questions). */
  cacheSize?: number;
}

export interface Reader {
  /** Reads a message on its own. */
  read(text: string): Reading;
  /** Reads a message in its conversation: a follow-up merged with the previous question, an awaited product. */
  readInContext(text: string, context: ReadingContext): Reading;
  /** What a reading contributes as the previous question of the next message. */
  /** What a follow-up to this question will be read with (the answer's body tells which decision it named). */
  topicOf(reading: Reading, passageId: string | undefined, at: number, answerBody?: string): TopicContext;
}

const SCOPE_CUES = (Object.keys(OUT_OF_SCOPE_CUES) as (keyof typeof OUT_OF_SCOPE_CUES)[])
  .filter((kind) => kind !== 'price' && kind !== 'contact' && kind !== 'fee')
  .map((kind) => ({ kind, phrases: PhraseSet.of(OUT_OF_SCOPE_CUES[kind], cautiousPhraseWords) }));
const PRICE_CUES = PhraseSet.of(OUT_OF_SCOPE_CUES.price, cautiousPhraseWords);
const CONTACT_CUES = PhraseSet.of(OUT_OF_SCOPE_CUES.contact, cautiousPhraseWords);
const FEE_CUES = PhraseSet.of(OUT_OF_SCOPE_CUES.fee, cautiousPhraseWords);
/** The assistant and its announcements, which the knowledge base says are free ("dùng bot có mất phí không"). */
const FREE_SERVICES = PhraseSet.of(FREE_SERVICE_WORDS);
const BUDGET = PhraseSet.of(BUDGET_WORDS);
/** "kinh phí": a budget, no fee. */
const NOT_FEE_BEFORE = new Set(['kinh']);
const FILE_STATE = PhraseSet.of(SOMEONE_FILE_CUES, cautiousPhraseWords);
/** "của HTX Tâm Hòa", "hồ sơ công ty Kolia": an organisation named, not the writer's own ("HTX em"). */
const NAMED_ORGANISATION = new RegExp(
  `(?:^| )(?:cua|ho so|phieu) (?:${ORGANISATION_KINDS.map(fold).join('|')}) (?!(?:${OWN_WORDS.join('|')})(?: |$))[a-z]+`,
);
/** "của HTX Minh Tuấn": a capital after the kind of organisation is its name, even one that folds to "mình". */
const NAMED_ORGANISATION_CAPITALISED = new RegExp(
  `(?:của|hồ sơ|phiếu)(?: OCOP)? (?:${ORGANISATION_KINDS.map((k) => (k === k.toUpperCase() ? k : `[${k[0]!.toUpperCase()}${k[0]}]${k.slice(1)}`)).join('|')}) \\p{Lu}`,
  'u',
);
/** Whose contact is asked: someone else's ("của chị Lan", "của HTX Tâm Hòa"), not the writer's own. */
const SOMEONE_ELSES =
  /(?:^| )cua (?:chi|anh|ong|ba|co|chu|bac|htx|hop tac xa|co so|cong ty|doanh nghiep|nguoi|chu)(?: |$)|(?:^| )(?:so dien thoai|sdt|so dt|so may|zalo|email|dia chi)(?: cua)? (?:giam doc|chu tich|pho chu tich|truong phong|can bo|chu nhiem)(?: |$)/;
/** An office named after what is asked of it ("email của Văn phòng …", "sđt sở nn&mt", "văn phòng … ở số nhà nào"). */
const AGENCY_CONTACT =
  /(?:^| )(?:van phong|ubnd|uy ban|so (?:nn|nong nghiep|cong thuong|khoa hoc|tai chinh|van hoa)|bo (?:nn|nong nghiep)|hoi dong ocop|chi cuc|trung tam|phong (?:kinh te|nong nghiep)|bo phan (?:mot|1) cua)(?: |$)/;
const ADDRESS_CUES = PhraseSet.of(AGENCY_ADDRESS_CUES, cautiousPhraseWords);
type Side = 'before' | 'after';
const sideCues = (cues: Readonly<Record<Side, readonly string[]>>) =>
  (['before', 'after'] as const).map((side) => ({
    side,
    re: new RegExp(`(?<![\\p{L}])(?:${cues[side].join('|')})(?![\\p{L}])`, 'u'),
  }));
const RELATIVE_PERIODS = sideCues(RELATIVE_PERIOD_CUES);
const RELATIVE_YEARS = sideCues(RELATIVE_YEAR_CUES);

/**
 * The text with its first cue of a side ("giai đoạn trước đó", "năm sau") written as what that side names, or
 * undefined when it has none or `named` gives nothing for that side. fold() keeps every position, so the cue's
 * span in the folded text is its span in the text.
 */
function withSideNamed(
  text: string,
  cues: readonly { side: Side; re: RegExp }[],
  named: (side: Side) => string | undefined,
): string | undefined {
  const folded = fold(text);
  for (const { side, re } of cues) {
    const cue = re.exec(folded);
    if (!cue) continue;
    const by = named(side);
    return by === undefined ? undefined : `${text.slice(0, cue.index)}${by}${text.slice(cue.index + cue[0].length)}`;
  }
  return undefined;
}

/**
 * "Giai đoạn trước đó thì bao nhiêu?" after a question about 2021-2025: the same question about the period the
 * knowledge base names just before it (or just after). Returns the text with that period written out.
 */
function withRelativePeriod(
  reading: Reading,
  previous: TopicContext,
  known: readonly { from: number; to: number }[],
): string | undefined {
  const span = previous.spans.periods?.[0];
  if (!span || reading.entities.periods.length || reading.entities.years.length) return undefined;
  const m = /((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})/u.exec(previous.text.slice(span.start, span.end));
  if (!m) return undefined;
  const [from, to] = [Number(m[1]), Number(m[2])];
  return withSideNamed(reading.text, RELATIVE_PERIODS, (side) => {
    const next =
      side === 'before'
        ? // the one ending the year before it began (2019-2020 before 2021-2025), else the nearest before
          known
            .filter((p) => p.to <= from && p.from < from)
            .sort((a, b) => Math.abs(a.to - (from - 1)) - Math.abs(b.to - (from - 1)) || b.from - a.from)[0]
        : known
            .filter((p) => p.from >= to && p.to > to)
            .sort((a, b) => Math.abs(a.from - (to + 1)) - Math.abs(b.from - (to + 1)) || a.to - b.to)[0];
    return next ? `giai đoạn ${next.from}-${next.to}` : undefined;
  });
}

/**
 * "Năm sau đó thì bao nhiêu?" after a question about 2022: the same question about 2023 (or, "năm trước", 2021).
 * Returns the text with that year written out, as the previous question wrote its own.
 */
function withRelativeYear(reading: Reading, previous: TopicContext): string | undefined {
  const span = previous.spans.years?.[0];
  if (!span || reading.entities.periods.length || reading.entities.years.length) return undefined;
  const named = previous.text.slice(span.start, span.end);
  const m = /(?:19|20)\d{2}/u.exec(named);
  if (!m) return undefined;
  const year = Number(m[0]);
  return withSideNamed(reading.text, RELATIVE_YEARS, (side) => {
    // Written as the previous question wrote it: "hết năm 2022" → "hết năm 2023".
    const next = named.replace(m[0], String(side === 'before' ? year - 1 : year + 1));
    return /\p{L}/u.test(next) ? next : `năm ${next}`;
  });
}
/** "xã đó", "phường này", "xa ay": the commune or ward just spoken of (folded text). */
const UNIT_REFERENCE = /(?<![\p{L}])(?:xa|phuong) (?:do|nay|ay)(?![\p{L}])/iu;
/** A commune or ward written with its name: "xã Thành Công", "phường Thục Phán". */
const UNIT_NAME = String.raw`(?:xã|phường) \p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){0,3}`;
const UNIT_NOW = new RegExp(`nay thuộc (${UNIT_NAME})`, 'u');
const UNIT_ANY = new RegExp(`(?<![\\p{L}])${UNIT_NAME}`, 'u');
const UNIT_ASKED = new RegExp(
  `(?<![\\p{L}])(?:${UNIT_NAME}|(?:Xã|Phường) \\p{Lu}\\p{Ll}*(?: \\p{Lu}\\p{Ll}*){0,3})`,
  'u',
);
/** The unit an answer places its subject in now ("nay thuộc xã Đàm Thủy"), else the first it names. */
function unitOf(body: string): string | undefined {
  return UNIT_NOW.exec(body)?.[1] ?? UNIT_ANY.exec(body)?.[0];
}
/** The unit a question names, written at the start of a sentence too ("Xã Phúc Sen" → "xã Phúc Sen"). */
function unitAskedIn(question: string): string | undefined {
  return UNIT_ASKED.exec(question)?.[0]?.replace(/^./u, (c) => c.toLowerCase());
}
const PERSON_CUES = PhraseSet.of(PERSON_FILE_CUES);
const FUTURE = PhraseSet.of(FUTURE_WORDS);
const OUTCOME = PhraseSet.of(OWN_PRODUCT_OUTCOME);
const OCOP_WORDS = PhraseSet.of(OCOP_CONTEXT);
const ALREADY_WORDS = PhraseSet.of(ALREADY);
const WILL = PhraseSet.of(WILL_WORDS);
const PLAN = PhraseSet.of(PLAN_WORDS);
const HOW_TO_MAKE = PhraseSet.of(['cách làm']);
/** "của em", "nhà em", "sản phẩm tôi": the writer's own. */
const OWN = /(?:^| )(?:cua|nha|san pham|sp|htx|mat ong|hang) (?:toi|em|minh|chau|chung toi|nha em)(?: |$)/;
/** "giá" that is not a price: "tham gia", "giá trị", "gia hạn", "gia tăng", "quốc gia", "gia đình". */
const NOT_PRICE_BEFORE = new Set([
  'tham',
  'quoc',
  'dan',
  'chuyen',
  'danh',
  'cong',
  'tac',
  'tu',
  'tri',
  'binh',
  'dinh',
  'tang',
  'an',
]);
const NOT_PRICE_AFTER = new Set(['tri', 'tang', 'han', 'dinh', 'lai', 'nhap', 'cong', 'vi']);

/** Words that make a decision named after them the source of the question, not its subject ("theo QĐ 148"). */
const QUALIFIER_BEFORE = /(?:^|[^\p{L}])(?:theo|tai|kem|kem theo|can cu|quy dinh tai|ban hanh kem)\s*$/u;
/** "/QĐ-UBND ngày 22/11/2019", " năm 2019" after a decision's number. */
const DATE_AFTER =
  /^(?:\/?\p{L}+-[\p{L}-]+|\/[\p{L}-]+)?\s*(?:ngay\s*\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{4}|nam\s*\d{4})?/u;

/** A question that names a kind of document without its number ("theo quyết định nào", "văn bản số mấy"). */
const DOCUMENT_WORDS = new RegExp(`(?<![\\p{L}])(?:${Object.keys(DOCUMENT_PREFIXES).join('|')})(?![\\p{L}])`, 'u');

/** Unit words that are also other words without their accents ("can": cân / cần, "ta": tạ / ta). */
const AMBIGUOUS_UNITS = new Set(['can', 'ta']);
/** "ban hành", "ban đầu", "ban chỉ đạo": no sale. */
const NOT_SELLING_AFTER = new Set(['hanh', 'dau', 'chi', 'quan', 'dem', 'ngay', 'to']);
/** Units things are sold by: "bao nhiêu tiền một kg / một chai" asks a price. */
const SALE_UNITS = new Set([
  'kg',
  'ky',
  'can',
  'lit',
  'chai',
  'hop',
  'goi',
  'tui',
  'tan',
  'ta',
  'yen',
  'cai',
  'qua',
  'bo',
  'lo',
  'hu',
  'thung',
]);

/** A question about a market price: "giá …" asking a number, or "bao nhiêu tiền một kg". */
function asksPrice(tokens: readonly Token[], answerTypes: readonly AnswerType[]): boolean {
  const words = tokens.map((t) => t.folded);
  const price = tokens.some(
    (t, i) =>
      t.folded === 'gia' &&
      (!t.accented || t.toned === 'gia1') &&
      !NOT_PRICE_BEFORE.has(words[i - 1] ?? '') &&
      !NOT_PRICE_AFTER.has(words[i + 1] ?? ''),
  );
  if (
    price &&
    (answerTypes.includes('number') || words.some((w) => ['thi', 'truong', 'ban', 're', 'dat', 'ca'].includes(w)))
  )
    return true;
  // "giờ bán bao nhiêu 1kg": a number asked of a sale by the unit.
  const perUnit = (w: string, i: number) =>
    /^\d+(?:kg|g|l|lit|ml)$/.test(w) ||
    (SALE_UNITS.has(w) && !AMBIGUOUS_UNITS.has(w) && /^(?:mot|moi|\d+)$/.test(words[i - 1] ?? ''));
  const sells = words.some((w, i) => w === 'ban' && !NOT_SELLING_AFTER.has(words[i + 1] ?? ''));
  const howMuchMoney = words.some((w, i) => w === 'tien' && words[i - 1] === 'nhieu');
  if (sells && answerTypes.includes('number') && (words.some(perUnit) || howMuchMoney)) return true;
  const money = words.findIndex((w, i) => w === 'tien' && words[i - 1] === 'nhieu');
  return money >= 0 && words.slice(money + 1, money + 4).some((w) => SALE_UNITS.has(w));
}

function outOfScopeOf(
  tokens: readonly Token[],
  entities: Entities,
  product: boolean,
  answerTypes: readonly AnswerType[],
  text = '',
): OutOfScope | undefined {
  const words = tokens.map((t) => t.folded);
  const joined = words.join(' ');
  const has = (set: PhraseSet) => set.in(tokens);
  // A cue whose first word is the second half of another word is no cue: "đánh giá bao nhiêu hồ sơ" (no price),
  // "kinh phí bao nhiêu" (a budget, no fee).
  const cued = (set: PhraseSet, head: string, notAfter: ReadonlySet<string>) =>
    set.spans(tokens).some(([s]) => !(tokens[s]!.folded === head && notAfter.has(words[s - 1] ?? '')));
  if (asksPrice(tokens, answerTypes) || cued(PRICE_CUES, 'gia', NOT_PRICE_BEFORE)) return 'price';
  if (cued(FEE_CUES, 'phi', NOT_FEE_BEFORE) && !has(FREE_SERVICES) && !has(BUDGET)) return 'fee';
  // "mưa" written with its accents is the weather ("mua" alone may be "mua", to buy).
  if (tokens.some((t) => t.accented && t.toned === 'mưa')) return 'weather';
  // How one's own product will fare ("năm sau mật ong của tôi có đạt 4 sao không"): only the council knows.
  if (entities.stars.length && !has(ALREADY_WORDS) && (has(FUTURE) || (OWN.test(joined) && has(OUTCOME))))
    return 'prediction';
  // "Năm 2027 Cao Bằng sẽ có bao nhiêu sản phẩm 5 sao?": nobody knows yet (a plan's target is another matter).
  // "nam 2027 cao bang co sp 5 sao ko": how a year to come will be, asked with or without "sẽ".
  const future = entities.years.some((y) => y.year > new Date().getFullYear());
  if (future && !has(PLAN) && (has(WILL) || answerTypes.some((t) => t === 'yesno' || t === 'number')))
    return 'prediction';
  // "năm sau Cao Bằng có được bao nhiêu sản phẩm nữa": a count to come, no plan's target.
  if (has(FUTURE) && answerTypes.includes('number') && !has(PLAN) && !entities.years.length && !entities.periods.length)
    return 'prediction';
  // "cách làm lạp sườn gác bếp": a recipe, unless it is about the dossier, the label, the criteria…
  if (product && HOW_TO_MAKE.in(tokens) && !has(OCOP_WORDS)) return 'recipe';
  for (const { kind, phrases } of SCOPE_CUES) if (has(phrases)) return kind;
  if (has(CONTACT_CUES) && (entities.persons.length || SOMEONE_ELSES.test(joined))) return 'contact';
  // "Email của Văn phòng Điều phối nông thôn mới tỉnh là gì", "sdt so nn&mt cb": an office's own contact details.
  if ((has(CONTACT_CUES) || has(ADDRESS_CUES)) && AGENCY_CONTACT.test(joined)) return 'agency_contact';
  // "Hồ sơ OCOP của HTX Tâm Hòa năm nay đã được duyệt chưa": the state of someone else's file, which no passage
  // knows even when it names them.
  const organisation = NAMED_ORGANISATION.test(joined) || NAMED_ORGANISATION_CAPITALISED.test(text);
  if ((entities.persons.length || organisation) && has(FILE_STATE)) return 'someone_file';
  if (entities.persons.length && has(PERSON_CUES)) return 'person';
  return undefined;
}

/**
 * In a message of several sentences, those that ask nothing ("Nhà em làm miến dong ở Nguyên Bình.") are the
 * setting of the question: their words weigh less when looking for the answer. Names and figures keep their weight.
 */
function markAsides(tokens: Token[], text: string): string | undefined {
  const sentences = new Set(tokens.map((t) => t.sentence ?? 0));
  if (sentences.size < 2) return undefined;
  const own = (n: number) => tokens.filter((t) => (t.sentence ?? 0) === n);
  // A question mark says which sentences ask, better than words do: "HTX đã có nhãn nhưng chưa có công bố chất
  // lượng. Với 45 điểm có được công nhận không?" tells its setting in an "đã … chưa" it does not ask.
  const marked = [...sentences].filter((n) => asksByMark(own(n), text));
  const asking = new Set(marked.length ? marked : [...sentences].filter((n) => asks(own(n), text)));
  if (asking.size === 0 || asking.size === sentences.size) return undefined;
  const quoted = inQuotes(text);
  for (const t of tokens) if (!asking.has(t.sentence ?? 0) && !quoted(t)) setAside(t);
  return [...asking].map((n) => textOf(own(n), text)).join(' ');
}

/** The text of a run of tokens, with the punctuation that closes it ("…không?"). */
function textOf(own: readonly Token[], text: string): string {
  const end = own.at(-1)?.end ?? 0;
  const close = text.slice(end).match(/^[^\p{L}\p{N}\s]*/u)?.[0] ?? '';
  return text.slice(own[0]?.start ?? 0, end + close.length);
}

/** Words in quotation marks ("…", “…”, «…»). */
const QUOTED = /["“«][^"“”«»]{2,120}["”»]/gu;

/**
 * Whether a token is in quotation marks: "Cán bộ hay nói nguyên tắc là "dân biết, dân bàn"… còn vế sau là gì?"
 * quotes what is asked about, so those words are never the setting.
 */
function inQuotes(text: string): (t: Token) => boolean {
  const spans = [...text.matchAll(QUOTED)].map((m) => [m.index, m.index + m[0].length] as const);
  return (t) => t.start !== undefined && spans.some(([s, e]) => t.start! >= s && t.start! < e);
}

/**
 * A question of one sentence whose first clauses tell the writer's situation ("Nhà tôi làm miến dong lâu rồi,
 * muốn được sao OCOP, giấy tờ nộp chỗ nào?"): those clauses are its setting, as sentences are in markAsides. The
 * setting starts with the writer ("tôi", "nhà em") and runs up to the first clause that asks; "Trước đây, khi trình
 * hồ sơ lên tỉnh, …" tells no situation of the writer's and stays part of the question. Only for a question: a
 * request may take a clause of its own ("cho em đăng ký, bao lâu có kết quả").
 */
function markSettingClauses(tokens: Token[], text: string): string | undefined {
  if (new Set(tokens.map((t) => t.sentence ?? 0)).size >= 2) return undefined;
  const clauses = groupBy(tokens, clausesOf(tokens, text));
  if (clauses.length < 2) return undefined;
  const [first] = clauses;
  if (!first!.some((t) => SETTING_SELF.has(t.folded) && !t.particle) || asks(first!, text)) return undefined;
  let end = 1;
  while (end < clauses.length && !asks(clauses[end]!, text)) end++;
  if (end === clauses.length) return undefined;
  const setting = clauses.slice(0, end).flat();
  if (setting.filter((t) => !t.stop).length < MIN_SETTING_WORDS) return undefined;
  const quoted = inQuotes(text);
  for (const t of setting) if (!quoted(t)) setAside(t);
  return textOf(clauses.slice(end).flat(), text);
}

/**
 * "chao ad, chuc ad manh khoe cong viec thuan loi, cho toi hoi … o dau, cam on ad nhieu": the clauses of courtesy
 * around a question ask nothing and are set aside, as a sentence that asks nothing is (markAsides). A greeting or
 * a thanks is its clause; a wish runs on to the end of its sentence, or to a clause that asks.
 */
function markCourtesyClauses(tokens: Token[], text: string, away: Set<Token>): void {
  const clauses = groupBy(tokens, clausesOf(tokens, text));
  if (clauses.length < 2) return;
  // How many words open the clause with courtesy (0 when none do).
  const opener = (own: readonly Token[], words: ReadonlySet<string>) => phraseLengthAt(own, 0, words, 3);
  const courteous = clauses.map(() => false);
  let wishIn: number | undefined;
  clauses.forEach((own, n) => {
    // "cảm ơn ad nhiều": thanks and nothing after it but the one thanked, however the rest reads.
    const head = opener(own, COURTESY);
    if (head && own.slice(head).every((t) => t.stop || t.particle) && !asksByMark(own, text)) {
      courteous[n] = true;
      return;
    }
    if (asks(own, text)) {
      wishIn = undefined;
      return;
    }
    const sentence = own[0]!.sentence ?? 0;
    if (wishIn !== sentence) wishIn = undefined;
    if (opener(own, WISHES)) wishIn = sentence;
    courteous[n] = wishIn !== undefined || head > 0;
  });
  // Something must be left that is asked.
  if (courteous.every(Boolean)) return;
  clauses.forEach((own, n) => {
    if (courteous[n]) for (const t of own) setAwayFrom(t, away);
  });
}
const COURTESY = new Set(COURTESY_OPENERS);

/** How many tokens from `i` on make one of the folded phrases, the longest first (up to `longest`); 0 for none. */
function phraseLengthAt(tokens: readonly Token[], i: number, phrases: ReadonlySet<string>, longest: number): number {
  for (let n = longest; n >= 1; n--) {
    if (i + n > tokens.length) continue;
    if (
      phrases.has(
        tokens
          .slice(i, i + n)
          .map((t) => t.folded)
          .join(' '),
      )
    )
      return n;
  }
  return 0;
}
const sameSentence = (a: Token, b: Token) => (a.sentence ?? 0) === (b.sentence ?? 0);

/**
 * "Nhiều phụ huynh trong lớp làm nông và hỏi tôi OCOP là chương trình gì", "… giải thích giúp để tôi gửi vào nhóm
 * Zalo phụ huynh": who asked the writer, and what the writer will do with the answer, are set aside; the question
 * passed on is what is asked.
 */
function markRelayedQuestion(tokens: Token[], away: Set<Token>): void {
  const phraseAt = (i: number, list: ReadonlySet<string>) => phraseLengthAt(tokens, i, list, 2);
  tokens.forEach((t, i) => {
    // "… hỏi tôi …": from the start of its sentence to the one asked, when a question follows.
    if (t.folded === 'hoi' && (!t.accented || t.toned === HOI) && i > 0) {
      const n = phraseAt(i + 1, RELAYED);
      const start = tokens.findIndex((u) => sameSentence(u, t));
      const asker = tokens.slice(start, i).filter((u) => !u.stop && !u.particle);
      const rest = tokens.slice(i + 1 + n).filter((u) => sameSentence(u, t) && !u.stop);
      if (n && asker.length >= 1 && rest.length >= 2)
        for (const u of tokens.slice(start, i + 1 + n)) setAwayFrom(u, away);
    }
    // "để tôi gửi …": to the end of its sentence.
    if (t.folded === 'de' && (!t.accented || t.toned === DE) && i > 0) {
      const n = phraseAt(i + 1, RELAYED);
      if (n && phraseAt(i + 1 + n, RELAY))
        for (const u of tokens.slice(i)) if (sameSentence(u, t)) setAwayFrom(u, away);
    }
  });
}

/** "ô cốp là cái gì thế nói ngắn gọn cho tôi nghe": how to tell the answer weighs nothing, when more is asked. */
function markAnswerStyle(tokens: Token[], away: Set<Token>): void {
  const spans = STYLE.spans(tokens);
  const inStyle = (i: number) => spans.some(([s, e]) => i >= s && i < e);
  if (!spans.length || tokens.every((t, i) => t.stop || inStyle(i))) return;
  for (const [s, e] of spans) for (const t of tokens.slice(s, e)) setAwayFrom(t, away);
}
const STYLE = PhraseSet.of(ANSWER_STYLE);

/**
 * "ô cốp là cái gì thế … với tôi đang nghỉ ở trạm dừng chân": after the question, where the writer is now, said
 * in the same breath (voice typing puts no stop between them), is no part of it.
 */
function markTrailingSituation(tokens: Token[], text: string, away: Set<Token>): void {
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (!SETTING_SELF.has(t.folded) || !next) return;
    const doing = next.folded === 'dang' && (!next.accented || next.toned === DANG);
    const heard = next.folded === 'nghe' && (!next.accented || next.toned === NGHE);
    if (!doing && !heard) return;
    // "ocop la j v ad 😅 e nghe ng ta noi … ma ko hieu": what was heard follows the question, in its own sentence.
    const asked = tokens
      .slice(0, i)
      .filter((u) => (heard ? (u.sentence ?? 0) <= (t.sentence ?? 0) : sameSentence(u, t)));
    if (asked.filter((u) => !u.stop).length < 1 || !readAnswerTypes(asked, text).some((k) => k !== 'which')) return;
    const rest = tokens.slice(i).filter((u) => sameSentence(u, t));
    // "… nộp ở đâu, tôi đang ở xã Hòa An": a place may be what the answer depends on. What was heard is
    // the question's own topic told again, unless it asks something of its own ("em nghe nói … có đúng không").
    if (doing && rest.some((u) => u.salient || PLACE_WORDS.has(u.folded))) return;
    if (heard && (!rest.some((u) => UNDERSTOOD.has(u.folded)) || readAnswerTypes(rest, text).length > 0)) return;
    for (const u of rest) setAwayFrom(u, away);
  });
}
const DANG = tonedKey('đang');
const NGHE = tonedKey('nghe');
/** What the writer says they do not grasp after what they heard ("… mà không hiểu", "mà hok bít"). Folded. */
const UNDERSTOOD = new Set(['hieu', 'biet', 'bit', 'ro']);
const PLACE_WORDS = new Set(['xa', 'phuong', 'huyen', 'tinh', 'thi', 'ban', 'xom', 'thon']);

/**
 * Counts a word of courtesy or of passing the question on out of the question: it weighs nothing in retrieval
 * (not even as the setting: "trợ lý", "giáo viên", "nhóm Zalo" would outweigh the few words that ask) and is no
 * part of the asking text.
 */
function setAwayFrom(t: Token, away: Set<Token>): void {
  t.stop = true;
  away.add(t);
}

/** The text of the words neither set aside nor counted out, run by run, with the punctuation closing each run. */
function askingText(tokens: readonly Token[], text: string, away: ReadonlySet<Token>): string | undefined {
  const out = (t: Token) => t.aside || away.has(t);
  const runs: Token[][] = [];
  tokens.forEach((t, i) => {
    if (out(t)) return;
    if (i > 0 && !out(tokens[i - 1]!) && runs.length) runs.at(-1)!.push(t);
    else runs.push([t]);
  });
  return runs.length ? runs.map((r) => textOf(r, text)).join(' ') : undefined;
}
const RELAY = new Set(RELAY_VERBS);
const RELAYED = new Set(RELAYED_TO);
const HOI = tonedKey('hỏi');
const DE = tonedKey('để');
const WISHES = new Set(WISH_OPENERS);

/**
 * "Không phải, tôi muốn xem hồ sơ.", "ko phải nhận thông báo đâu, mình cần điền phiếu ý tưởng", "em muốn đăng ký ý
 * tưởng sản phẩm chứ không phải nhận tin": a clause that says what is not wanted is no request, nor is one before
 * a clause that says what is wanted now ("…, giờ muốn bật lại"); the request is what the other clauses ask for,
 * when they make a definite one.
 */
function withoutNegatedClauses(
  request: RequestReading,
  tokens: readonly Token[],
  text: string,
  read: (own: readonly Token[]) => RequestReading,
): RequestReading {
  const clauseOf = clausesOf(tokens, text, true);
  const clauses = groupBy(tokens, clauseOf);
  if (clauses.length < 2) return request;
  const negated = new Set<number>();
  clauses.forEach((own, n) => {
    // "Đừng gửi tin nhắn thông báo cho tôi nữa", "không cần nhận thông báo nữa": saying no to the news is the
    // request to stop it; "ko phải nhận thông báo đâu" says the news was not what was meant.
    // "ko hủy thông báo nữa" says no to the stopping. "Tôi không nhớ mã hồ sơ" says no to nothing asked for.
    if (!negates(own)) return;
    const concepts = read(own).concepts;
    if (!concepts.some((c) => REFUSABLE.has(c))) return;
    if (own.some((t) => t.folded === 'phai') || !concepts.includes('news') || concepts.includes('unsubscribeVerb'))
      negated.add(n);
  });
  // "hôm trước hủy nhận tin rồi, giờ cho em nhận lại": what was done before gives way to what is wanted now.
  const startsNow = new Set(NOW_STARTS.spans(tokens).map(([start]) => start));
  const now = clauses.findLastIndex((_, n) => n > 0 && startsNow.has(clauseOf.indexOf(n)));
  for (let n = 0; n < now; n++) negated.add(n);
  // "bat lai thong bao giup t, hom truoc lo huy", "cho e nhận tin lại nha, hôm bữa tắt rồi": a clause that tells
  // how the writer changed the setting before is the story.
  clauses.forEach((own, n) => {
    if (tellsThePast(own) && read(own).concepts.includes('unsubscribeVerb')) negated.add(n);
  });
  if (negated.size === 0 || negated.size === clauses.length) return request;
  const kept = clauses.filter((_, n) => !negated.has(n)).flat();
  let rest = read(kept);
  // "Trước tôi bấm Hủy nhận thông báo, giờ đổi ý rồi, cho tôi nhận tiếp": the object ("thông báo") may be named
  // only in the story, or only the stopping ("hôm trước hủy r, giờ cho e nhận lại"); receiving then asks for it
  // again.
  if (
    !TOLD_REQUESTS.has(rest.kind) &&
    rest.concepts.includes('subscribeVerb') &&
    !rest.concepts.includes('unsubscribeVerb') &&
    (request.concepts.includes('news') || request.concepts.includes('unsubscribeVerb'))
  )
    rest = { ...rest, kind: 'subscribe', confidence: 0.8, concepts: [...rest.concepts, 'news'] };
  if (!TOLD_REQUESTS.has(rest.kind)) return request;
  // A choice to offer (two readings close) is still better than a request the kept clauses do not make.
  const sure = !rest.clarify && !rest.confirm;
  return sure || (TOLD_REQUESTS.has(request.kind) && request.kind !== rest.kind) ? rest : request;
}

/** Concepts a clause that says no may refuse: a request's verb or object. */
const REFUSABLE = new Set<Concept>([
  'registerVerb',
  'join',
  'subscribeVerb',
  'unsubscribeVerb',
  'news',
  'look',
  'eraseVerb',
  'desire',
  'notifyWhen',
]);

/** A clause that tells what the writer did before ("hôm trước lỡ hủy", "trước tôi bấm Hủy", "hôm bữa tắt rồi"). */
function tellsThePast(own: readonly Token[]): boolean {
  const words = own.filter((t) => !t.particle || PAST_LAST.has(t.folded));
  const first = words[0];
  const last = words.at(-1);
  if (words.length < 2) return false;
  if (first && PAST_FIRST.has(first.folded)) return true;
  if (last && PAST_LAST.has(last.folded)) return true;
  return (
    words.some((t) => {
      if (!PAST_SINGLE.has(t.folded)) return false;
      // "đã" only written with its accents ("da" is as often "dạ").
      return t.accented && PAST_TONED.has(t.toned);
    }) || PAST.in(own)
  );
}

/** A clause that starts by saying no ("không phải …", "ko muốn …", "tôi không định …", "chứ không phải …"). */
function negates(own: readonly Token[]): boolean {
  const head = own.filter((t) => !t.particle).slice(0, 3);
  return head.some(
    (t, i) =>
      t !== own.at(-1) &&
      (t.folded === 'dung'
        ? t.accented && t.toned === DUNG
        : NOT_WANTED.has(t.folded) && (t.folded !== 'k' || i === 0)),
  );
}

/** Words that say no at the start of a clause, folded ("đừng" only written so: "dung" is as often "đúng"). */
const NOT_WANTED = new Set(['khong', 'ko', 'k', 'chang']);
const NOW_STARTS = PhraseSet.of(NOW_WORDS);
const PAST = PhraseSet.of(PAST_WORDS.filter((w) => w.includes(' ')));
const PAST_SINGLE = new Set(PAST_WORDS.filter((w) => !w.includes(' ')));
const PAST_TONED = new Set([tonedKey('đã')]);
const PAST_FIRST = new Set(PAST_CLAUSE_FIRST);
const PAST_LAST = new Set(PAST_CLAUSE_LAST);
const OWN_PRODUCT = PhraseSet.of(OWN_PRODUCT_WORDS);
const DUNG = tonedKey('đừng');
const CHU = tonedKey('chứ');

/**
 * "bước cuối cùng": the words say which item of a list, not what the list is about, and "cuối cùng" is as often
 * "final" ("Ai quyết định phân nhóm cuối cùng"). They weigh nothing in retrieval; the noun does. ("bước đầu tiên"
 * keeps its words: the passages about a first step use them.)
 */
function markOrdinalWords(tokens: Token[], entities: Entities): void {
  const ordinal = entities.ordinal;
  if (!ordinal?.noun || ordinal.n !== -1) return;
  for (const t of tokens)
    if ((t.start ?? -1) >= ordinal.start && (t.end ?? Infinity) <= ordinal.end && ORDINAL_SYLLABLES.has(t.folded))
      t.stop = true;
}

const ORDINAL_SYLLABLES = new Set(
  Object.entries(ORDINAL_WORDS)
    .filter(([, n]) => n === -1)
    .flatMap(([w]) => w.split(' ')),
);

/** Whether a sentence or clause asks: a question mark after it, or words that ask for a kind of answer. */
function asks(own: readonly Token[], text: string): boolean {
  return asksByMark(own, text) || readAnswerTypes(own, '').some((t) => t !== 'which');
}

/** A question mark right after the sentence or clause. */
function asksByMark(own: readonly Token[], text: string): boolean {
  const after = text.slice(own.at(-1)?.end ?? 0).match(/^[^\p{L}\p{N}]*/u)?.[0] ?? '';
  return after.includes('?');
}

function setAside(t: Token): void {
  if (!t.salient && !t.label) t.aside = true;
}

/** Words by which a writer tells their own situation, folded. */
const SETTING_SELF = new Set(SETTING_SELF_WORDS);
/** Content words a setting needs (fewer is no story: "Phần A, B, C bao nhiêu điểm"). */
const MIN_SETTING_WORDS = 3;

/** The tokens of each unit (a clause, a sentence), in order: `unitOf[i]` numbers token i's unit from 0, ascending. */
function groupBy(tokens: readonly Token[], unitOf: readonly number[]): Token[][] {
  const groups: Token[][] = [];
  tokens.forEach((t, i) => {
    (groups[unitOf[i]!] ??= []).push(t);
  });
  return groups;
}

/** "chứ" ("… chứ không phải nhận tin"); typed without accents, only before a negation ("chu ko"). */
function startsCorrection(t: Token, next: Token | undefined): boolean {
  if (t.folded !== 'chu') return false;
  return t.accented ? t.toned === CHU : next !== undefined && NOT_WANTED.has(next.folded);
}

/**
 * The clause of each token: clauses end at a comma or a semicolon; `corrections` also at "chứ" ("… chứ không phải
 * nhận tin").
 */
function clausesOf(tokens: readonly Token[], text: string, corrections = false): number[] {
  let clause = 0;
  return tokens.map((t, i) => {
    const previous = tokens[i - 1];
    if (
      previous &&
      ((previous.sentence ?? 0) !== (t.sentence ?? 0) ||
        /[,;]/.test(text.slice(previous.end ?? 0, t.start ?? 0)) ||
        (corrections && startsCorrection(t, tokens[i + 1])))
    )
      clause += 1;
    return clause;
  });
}

/** Requests a sentence of its own may make in a longer message. */
const TOLD_REQUESTS = new Set<RequestKind>([
  'register',
  'profile',
  'subscribe',
  'unsubscribe',
  'erase',
  'help',
  'menu',
]);

/**
 * "Nhà chị chưa có sản phẩm gì để đăng ký. Nhưng chị muốn được nhận thông báo khi có tin mới.": a message that
 * asks nothing may make its request in one of its sentences. The one sentence that makes a request, in a message
 * with no question mark, is the message's request.
 */
function requestInASentence(
  text: string,
  tokens: readonly Token[],
  entities: Entities,
  productNamed: boolean,
  /** The message's kinds of answer asked for, as read for the whole of it. */
  answerTypes: readonly AnswerType[],
  /** The whole message offers a choice: only a sentence that makes a definite request replaces that. */
  definiteOnly = false,
): RequestReading | undefined {
  const sentences = [...new Set(tokens.map((t) => t.sentence ?? 0))];
  if (sentences.length < 2) return undefined;
  // With a question mark, only a sentence that carries one may make the request ("…, bạn giúp được gì?").
  const asked = text.includes('?');
  const asksSomething = tokens.some((t) => t.aside) || answerTypes.some((t) => t !== 'yesno');
  const made = sentences.flatMap((n) => {
    const own = tokens.filter((t) => (t.sentence ?? 0) === n);
    const start = own[0]!.start ?? 0;
    const end = own.at(-1)!.end ?? text.length;
    if (asked && !/^[^\p{L}\p{N}]*\?/u.test(text.slice(end))) return [];
    const r = readRequest(text.slice(start, end), own, entities, readAnswerTypes(own, ''), productNamed);
    // "Em nộp ý tưởng rồi. Bước sau làm gì?": what was done is the setting of a question, not "Hồ sơ của tôi".
    if (r.kind === 'profile' && asksSomething && !r.concepts.some((c) => c === 'look' || c === 'status')) return [];
    return TOLD_REQUESTS.has(r.kind) && !(definiteOnly && r.clarify) ? [r] : [];
  });
  return made.length === 1 ? made[0] : undefined;
}

/**
 * The text with Telex leftovers in their decoded letters ("buoc dau tieen" → "buoc dau tien "), padded so that
 * every position stays where it was: entities are found in it, their spans refer to the text as typed.
 */
function withTelexDecoded(text: string, tokens: readonly Token[]): string {
  let out = text;
  for (const t of tokens) {
    if (t.raw === undefined || t.start === undefined || t.end === undefined || t.end - t.start !== t.raw.length)
      continue;
    if (t.folded === fold(t.raw) || t.folded.length > t.raw.length) continue;
    out = out.slice(0, t.start) + t.folded.padEnd(t.raw.length) + out.slice(t.end);
  }
  return out;
}

export function createReader(deps: ReaderDeps = {}): Reader {
  const cache = new Map<string, Reading>();
  const cacheSize = deps.cacheSize ?? 2000;

  function readFresh(text: string): Reading {
    const normalized = normalizedText(text).trim();
    const tokens = analyze(normalized, {
      mode: 'chat',
      ...(deps.vocabulary ? { vocabulary: deps.vocabulary } : {}),
      ...(deps.correct ? { correct: deps.correct } : {}),
      ...(deps.diacritics ? { diacritics: deps.diacritics } : {}),
    });
    let asking = markAsides(tokens, normalized);
    const found0 = extractEntities(
      withTelexDecoded(normalized, tokens),
      deps.localPlaces ? { localPlaces: deps.localPlaces } : {},
    );
    // "… theo Quyết định 2112/QĐ-UBND ngày 22/11/2019": the decision that says it, not what is asked about. It still
    // constrains the answer, but its words (and its date's year) no longer pull towards the decision's own passage.
    const folded = fold(normalized);
    const cited = found0.documents
      .filter((d) => QUALIFIER_BEFORE.test(folded.slice(Math.max(0, d.start - 24), d.start)))
      .map((d) => ({ start: d.start, end: d.end + (DATE_AFTER.exec(folded.slice(d.end))?.[0].length ?? 0) }));
    const inCited = (s: Span) => cited.some((c) => s.start >= c.start && s.end <= c.end);
    const entities = cited.length ? { ...found0, years: found0.years.filter((y) => !inCited(y)) } : found0;
    // Words the entities carry: "hết" of "hết năm 2023" (a total up to then; as a word it would match "hết hạn"),
    // the figure of "72 điểm" (the passages name bands of points, not every number).
    const carried = (from: number, to: number, keep: (t: Token) => boolean) => {
      for (const t of tokens) if (t.start !== undefined && t.start >= from && t.end! <= to && !keep(t)) t.stop = true;
    };
    for (const y of entities.years) if (y.through) carried(y.start, y.end, (t) => /^\d/.test(t.folded));
    for (const p of entities.points) carried(p.start, p.end, (t) => !/^\d/.test(t.folded));
    for (const c of cited) carried(c.start, c.end, () => false);
    const found = deps.products?.findProduct(tokens, false);
    // A product's name runs on over the names after it ("Lạp sườn Tâm Hòa", "thạch đen Lê Thùy").
    let to = found?.to ?? 0;
    while (found && tokens[to]?.salient && !/^\d/.test(tokens[to]!.folded)) to++;
    // …as far as the knowledge base knows the name ("nam huong viet truc mai", "mat ong doan linh").
    const phrase = (end: number) =>
      tokens
        .slice(found!.from, end)
        .map((t) => t.folded)
        .join(' ');
    while (
      found &&
      deps.knownPhrase &&
      to < tokens.length &&
      !tokens[to]!.stop &&
      to - found.to < 4 &&
      deps.knownPhrase(phrase(to + 1))
    )
      to++;
    const product =
      found && tokens[found.from]?.start !== undefined && tokens[to - 1]?.end !== undefined
        ? { code: found.code, matched: found.matched, start: tokens[found.from]!.start!, end: tokens[to - 1]!.end! }
        : undefined;
    const answerTypes = readAnswerTypes(tokens, normalized);
    if (answerTypes.includes('definition')) markNameHeads(tokens);
    // In several sentences, the request is the asking one's ("Hồ sơ của tôi đã nộp ở xã rồi. Xã kiểm tra gì?").
    const askingTokens = tokens.filter((t) => !t.aside);
    const read = (own: readonly Token[]) =>
      own.length < tokens.length
        ? readRequest(normalized, own, entities, readAnswerTypes(own, normalized), found !== undefined)
        : readRequest(normalized, tokens, entities, answerTypes, found !== undefined);
    const request = withoutNegatedClauses(read(askingTokens), askingTokens, normalized, read);
    if (request.kind === 'question') {
      const away = new Set<Token>();
      markCourtesyClauses(tokens, normalized, away);
      markRelayedQuestion(tokens, away);
      markAnswerStyle(tokens, away);
      markTrailingSituation(tokens, normalized, away);
      asking ??= markSettingClauses(tokens, normalized);
      if (away.size) asking = askingText(tokens, normalized, away) ?? asking;
    }
    markOrdinalWords(tokens, entities);
    // A request its own sentence makes, where the message as a whole asks or only offers a choice.
    const told =
      request.kind === 'question' || request.clarify
        ? requestInASentence(normalized, tokens, entities, found !== undefined, answerTypes, request.clarify === true)
        : undefined;
    const yesNo = tokens.length <= 8 ? parseYesNo(normalized) : undefined;
    const address = readAddress(tokens);
    const outOfScope = outOfScopeOf(tokens, entities, found !== undefined, answerTypes, normalized);
    // "tư vấn em mua xe máy trả góp": help asked with something no answer covers is that question.
    // "hồ sơ của HTX Tâm Hòa duyệt chưa": someone else's file is no "Hồ sơ của tôi" either.
    const helpOutOfScope =
      outOfScope !== undefined &&
      (request.kind === 'help' ||
        request.kind === 'menu' ||
        (outOfScope === 'someone_file' && request.kind === 'profile'));
    const asks =
      /\?/.test(normalized) ||
      answerTypes.length > 0 ||
      request.concepts.some((c) => c === 'infoAsk' || c === 'desire' || c === 'askAhead' || c === 'help');
    return {
      text: normalized,
      typed: text,
      tokens,
      asks,
      request: told ?? (helpOutOfScope ? { ...request, kind: 'question', confidence: 0.5 } : request),
      answerTypes,
      entities,
      ...(product ? { product } : {}),
      ...(address ? { address } : {}),
      ...(yesNo !== undefined ? { yesNo } : {}),
      ...(outOfScope ? { outOfScope } : {}),
      ...(namesOwnerKind(tokens) ? { ownerNamed: true } : {}),
      ...(OWN_PRODUCT.in(tokens) ? { ownProduct: true } : {}),
      ...(asking && asking !== normalized ? { asking } : {}),
    };
  }

  function read(text: string): Reading {
    const key = text.normalize('NFC').trim();
    let r = cache.get(key);
    if (!r) {
      r = readFresh(key);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      cache.set(key, r);
    }
    return r;
  }

  return {
    read,
    readInContext(text, context) {
      let reading = read(text);
      if (reading.request.kind !== 'question') return reading;
      if (context.expecting === 'product') {
        // The bot asked which product: a short answer is that product ("tra shan tuyet", "ruou ngo men la").
        const content = reading.tokens.filter((t) => !t.stop);
        if (
          content.length > 0 &&
          content.length <= 6 &&
          !reading.answerTypes.some((t) => t !== 'group' && t !== 'eligibility')
        ) {
          return { ...reading, answerTypes: ['group'], expectedProduct: true };
        }
      }
      const previous = context.previous;
      const now = context.now ?? Date.now();
      if (!previous || now - previous.at > FOLLOW_UP_WINDOW_MS) return reading;
      const relative = deps.knownPeriods && withRelativePeriod(reading, previous, deps.knownPeriods);
      if (relative) reading = read(relative);
      else {
        const year = withRelativeYear(reading, previous);
        if (year) reading = read(year);
      }
      // "Xã đó được lập từ những xã cũ nào?" after an answer that placed its subject in a commune: that commune.
      const unitRef = previous.answerUnit ? UNIT_REFERENCE.exec(fold(reading.text)) : null;
      if (unitRef && previous.answerUnit) {
        const named = `${reading.text.slice(0, unitRef.index)}${previous.answerUnit}${reading.text.slice(unitRef.index + unitRef[0].length)}`;
        return { ...read(named), typed: text, followUp: 'strong' };
      }
      const spans = entitySpans(reading.entities, reading.product);
      const strength = detectFollowUp(reading.tokens, spans, new Set(fold(previous.text).split(/[^a-z0-9]+/)));
      if (!strength) return reading;
      const merged = mergeFollowUp(reading.text, reading.tokens, spans, previous, reading.entities.recency);
      let combined = read(merged.text);
      // "qđ nào phê duyệt đề án đó": the message's own words ask; the earlier question's are their setting and
      // weigh less (its names and figures keep their weight).
      const ownWords = reading.tokens.filter((t) => !t.stop).length;
      if (merged.contextFrom !== undefined && (ownWords >= OWN_QUESTION_WORDS || merged.asksOwn)) {
        const from = merged.contextFrom;
        // The product the earlier question was about keeps its weight when pointed back at ("Mật ong Đoàn Linh …"
        // → "Nó …"), not when the message turns to something else ("đông khê giờ gộp với những xã nào").
        const productWords = new Set(
          refersBack(reading.tokens)
            ? (previous.spans.product ?? []).flatMap((sp) => fold(previous.text.slice(sp.start, sp.end)).split(/\s+/))
            : [],
        );
        combined = {
          ...combined,
          tokens: combined.tokens.map((t) =>
            (t.start ?? 0) >= from && !t.salient && !t.label && !productWords.has(t.folded) ? { ...t, aside: true } : t,
          ),
        };
      }
      return {
        ...combined,
        typed: text,
        // A follow-up asks a question, whatever words of requests the previous question held.
        request: { ...reading.request, kind: 'question' },
        followUp: strength,
        // The kind of answer is the follow-up's own when it asks one ("ai ký quyết định đó"), else the previous one's.
        answerTypes: reading.answerTypes.length ? reading.answerTypes : combined.answerTypes,
        ...(reading.address ? { address: reading.address } : {}),
        ...(strength === 'weak' ? { standalone: reading } : {}),
        // "hết hạn thì sao": a strong follow-up that names nothing of the previous kinds but words of its own.
        ...(strength === 'strong' && Object.keys(spans).length === 0 && ownWords >= 2 && !refersBack(reading.tokens)
          ? { ownReading: reading }
          : {}),
        ...(previous.passageId ? { followsPassage: previous.passageId } : {}),
      };
    },
    topicOf(whole, passageId, at, answerBody) {
      // "Xin chào, tôi là trưởng xóm ở Nguyên Bình, … Cho tôi hỏi hiện nay đánh giá OCOP có mấy cấp?": the topic is
      // what was asked, not the setting (unless the setting names the product the question is about).
      const reading = whole.asking && !whole.product ? read(whole.asking) : whole;
      // "Bộ tiêu chí đầu tiên ban hành theo quyết định nào?" → "Quyết định đó ai ký?": the decision is the answer's.
      const asksDocument = reading.entities.documents.length === 0 && DOCUMENT_WORDS.test(fold(reading.text));
      const answered =
        asksDocument && answerBody ? extractEntities(normalizedText(answerBody)).documents[0] : undefined;
      // "Xã Phúc Sen cũ có bao nhiêu sản phẩm?" → "xã đó": the commune the question named, else the answer's.
      const unit = unitAskedIn(reading.text) ?? (answerBody ? unitOf(answerBody) : undefined);
      return {
        text: reading.text,
        spans: entitySpans(reading.entities, reading.product, reading.text),
        ...(passageId ? { passageId } : {}),
        ...(answered ? { answerDocument: `${answered.kind} ${answered.number}` } : {}),
        ...(unit ? { answerUnit: unit } : {}),
        at,
      };
    },
  };
}
