/**
 * Grounded answers. A question is read once (understanding/reading.ts); a product question goes to the
 * classifier; every other question to retrieval, one ranking step (ranking.ts) and a gate on the passage that
 * will be cited. The answer puts the sentence that answers first, then at most two that support it, then the
 * source; a question asking for one item of a list ("bước thứ 3") gets that item. When the gate refuses, or the
 * question is of a kind the knowledge base never answers (a price, another province's affairs, a named person's
 * file, an opinion), the answer is an abstention with where to ask, never a guess.
 */
import type { Messages } from '../messages.js';
import { format } from '../messages.js';
import type { SourceLink } from '../conversation.js';
import { questionCuts } from '../understanding/clauses.js';
import { bandOf, findStarScale, type StarScale } from './star-bands.js';
import { PhraseSet } from '../understanding/phrases.js';
import { createReader, type Reader, type Reading } from '../understanding/reading.js';
import { DiacriticModel } from '../understanding/restore.js';
import {
  accentedPhrases,
  GROUP_QUESTION_WORDS as GROUP_WORDS,
  STAR_QUESTION_WORDS,
  NOT_KNOWN_PHRASES,
  NEXT_STEP_CUES,
  NOT_PRODUCT_NAME,
  PRODUCT_STATUS_CUES,
  type OutOfScope,
} from '../understanding/vocabulary.js';
import { fold, foldText, tonedKey, words } from '../text/vietnamese.js';
import { foldedPhrases } from '../text/regexp.js';
import { CommuneAnswers } from './commune-answers.js';
import { CriterionAnswers } from './criterion-answers.js';
import type { ScoringSheet } from '../scoring/sheet.js';
import { COMMUNE_SOURCE_ID, COMMUNE_TABLE_ID, parseCommuneTable } from './commune-table.js';
import { ProductClassifier, parseCategoryTable, type Classification, type ProductCategory } from './classifier.js';
import { formatSource, type KnowledgeBase, type Passage, type PassageAction } from './knowledge-base.js';
import { GATE, passesGate, rank, scoreSentence, yearFit } from './ranking.js';
import { namedIn, Retriever, type QueryTerms } from './retriever.js';
import { listItems, SentenceIndex, type ListParts, type Sentence } from './sentences.js';

const NEXT_STEPS = PhraseSet.of(NEXT_STEP_CUES);

const GROUP_QUESTION_WORDS = new Set(GROUP_WORDS);
/** A weak follow-up is answered on its own only when that reading ranks clearly better. */
const WEAK_FOLLOW_UP_MARGIN = 1.1;
/** The document a passage id belongs to ("hieu-luc-chung-nhan#thoi-han" → "hieu-luc-chung-nhan"). */
const documentOf = (passageId: string | undefined) => passageId?.split('#')[0];

const NOT_KNOWN = foldedPhrases(NOT_KNOWN_PHRASES);
const firstSentence = (text: string) => text.split(/(?<=[.;!?])\s/)[0] ?? '';
/** "Lịch đánh giá OCOP cụ thể ở Cao Bằng chưa có thông tin chính thức; …" opens the passage and leads the answer. */
function leadsWithNotKnown(passageText: string, body: string): boolean {
  const opening = firstSentence(passageText);
  const folded = foldText(opening).replace(/[^a-z0-9]+/g, ' ');
  return NOT_KNOWN.test(folded) && body.startsWith(opening.slice(0, 40));
}

const STATUS_CUES = foldedPhrases(PRODUCT_STATUS_CUES);
const NOT_NAME = new Set(NOT_PRODUCT_NAME);
const hasWords = (foldedText: string, words: readonly string[]) =>
  new RegExp(`(?:^|[^a-z0-9])${words.join('[^a-z0-9]+')}(?:[^a-z0-9]|$)`).test(foldedText);
/**
 * Whether a folded passage names the product: a name of two words, or a head word and the word after it, one after
 * another ("banh chung" is not in "giay chung nhan"); a longer name with at most one word of three or four left
 * out ("dao Phúc Sen" for "dao rèn Phúc Sen").
 */
function namesProduct(foldedText: string, product: ProductName): boolean {
  if (product.headAndNext || product.words.length <= 2) return hasWords(foldedText, product.words);
  const missing = product.words.filter((w) => !hasWords(foldedText, [w])).length;
  return missing <= Math.floor((product.words.length - 1) / 2);
}

/** A product's name, folded, as a question about its OCOP standing typed it. */
interface ProductName {
  words: string[];
  /** A lone head word and the word typed after it ("bánh cuốn"). */
  headAndNext: boolean;
}

/**
 * The folded words of the product whose OCOP standing is asked ("bánh cuốn" of "banh cuon cao bang co phai sp ocop
 * ko"): the words the product was recognised by, and the word typed right after a lone head word. Undefined when
 * no product is named or its standing is not what is asked.
 */
function statusAskedOf(reading: Reading): ProductName | undefined {
  const product = reading.product;
  if (!product || !STATUS_CUES.test(reading.tokens.map((t) => t.folded).join(' '))) return undefined;
  // A head word alone ("bánh" of "bánh cuốn") names no product: the word after it does.
  const words: string[] = [];
  let after = 0;
  for (const t of reading.tokens) {
    if (t.start === undefined || t.start < product.start) continue;
    if (t.start >= product.end) {
      if (words.length > 1 || after > 0 || t.stop || NOT_NAME.has(t.folded)) break;
      after += 1;
    }
    if (!t.stop && !NOT_NAME.has(t.folded)) words.push(t.folded);
  }
  return words.length ? { words, headAndNext: after > 0 } : undefined;
}

/** Why there is no answer: nothing found, a product to name, a known unknown, or a kind of question never answered. */
export type AbstainReason = 'unknown' | 'needs_product' | 'not_known' | OutOfScope;

/** Abstentions for want of an answer (as opposed to a question the bot never answers, such as a price). */
const NOT_FOUND = new Set<AbstainReason>(['unknown', 'needs_product', 'not_known']);

export interface Answer {
  question: string;
  /** Plain text, ready to show; ends with the source line(s) unless abstained. */
  text: string;
  /** The answer without the source lines. */
  body: string;
  sources: SourceLink[];
  abstained: boolean;
  /** Why it abstained: each reason points to its own place to ask. */
  abstainReason?: AbstainReason;
  /** The passages considered, best first (also when abstaining), for the LLM and for diagnostics. */
  passages: Passage[];
  kind: 'retrieval' | 'classification' | 'commune' | 'criterion' | 'abstain';
  /** Coverage of the cited passage (1 for a classification). */
  confidence: number;
  /** For a classification: the category named. */
  category?: ProductCategory;
  /** An abstention on a product-group question that names no product the table knows: ask which product. */
  needsProduct?: boolean;
  /** What the cited passage leads to (registration, "Hồ sơ của tôi", announcements): a button after it. */
  action?: PassageAction;
  /** The question as it was read (merged with the previous one for a follow-up). */
  reading: Reading;
  /** The cited passage's ranking score (to choose between two readings of a weak follow-up). */
  score?: number;
}

/** Something that may rephrase a grounded answer (an LLM); returns undefined to keep the extractive one. */
export interface AnswerRephraser {
  rephrase(input: {
    question: string;
    draft: string;
    passages: Passage[];
  }): Promise<{ text: string; citedIds: string[] } | undefined>;
}

export const CLASSIFICATION_TABLE_ID = 'phan-loai-san-pham#bang-phan-loai';
/** Data sections naming places: the table of communes and wards, and other names one per line ("- Huyện Hòa An"). */
export const PLACE_LIST_IDS = [COMMUNE_TABLE_ID, 'don-vi-hanh-chinh-cao-bang#dia-danh-khac'];

/** Place names from the knowledge base (the current units and the other names), without their prefix. */
export function placeNames(kb: KnowledgeBase): string[] {
  const [table, ...lists] = PLACE_LIST_IDS.map((id) => kb.data.get(id)?.body ?? '');
  const units = parseCommuneTable(table ?? '').rows.map((r) => r.name);
  const others = lists.flatMap((body) => body.split('\n')).map((l) => /^\s*-\s*(.+)$/u.exec(l)?.[1] ?? '');
  return [...units, ...others]
    .map((l) => l.replace(/^(xã|phường|huyện|tỉnh|thành phố)\s+/iu, '').trim())
    .filter(Boolean);
}

/** Punctuation and line breaks: two words on either side ("Lan's Homestay, Yến Nhi", "… xã Đàm Thủy.\nGạo nếp") are no pair. */
const CLAUSE_BREAK = /[.,;:!?()[\]"“”…\n]|\s[-–—]\s/u;

/**
 * Toned word pairs the texts use ("thu hồi", "phụ lục", "thời điểm", "tương ứng"), without the pairs that are
 * products themselves ("mật ong", "rượu ngô").
 */
export function wordPairsOf(kb: KnowledgeBase, categories: readonly ProductCategory[]): Set<string> {
  const products = new Set(
    categories.flatMap((c) => [c.subgroup, ...c.examples]).map((e) => words(e).map(tonedKey).join(' ')),
  );
  const pairs = new Set<string>();
  for (const p of kb.passages) {
    for (const clause of [p.heading, p.text, ...p.questions].flatMap((t) => t.split(CLAUSE_BREAK))) {
      const ws = words(clause).map(tonedKey);
      for (let i = 0; i + 1 < ws.length; i++) pairs.add(`${ws[i]} ${ws[i + 1]}`);
    }
  }
  for (const phrase of products) for (const pair of pairsOf(phrase)) pairs.delete(pair);
  return pairs;
}

/** Share of passages a word must appear in to be too common to name a product alone ("điểm", "sao", "hồ sơ"). */
const COMMON_WORD_SHARE = 0.15;

/** Toned words (and the folded forms of those typed without accents) that many passages use. */
function commonWordsOf(kb: KnowledgeBase): Set<string> {
  const df = new Map<string, number>();
  for (const p of kb.passages)
    for (const w of new Set(words(`${p.heading} ${p.text}`).map(tonedKey))) df.set(w, (df.get(w) ?? 0) + 1);
  const common = new Set<string>();
  for (const [w, n] of df) if (n >= COMMON_WORD_SHARE * kb.passages.length) common.add(w);
  return common;
}

/** Whether the knowledge base's texts hold a folded phrase as whole words. */
/** Every period "YYYY-YYYY" the knowledge base's passages name, once each. */
function periodsOf(kb: KnowledgeBase): { from: number; to: number }[] {
  const seen = new Map<string, { from: number; to: number }>();
  for (const p of kb.passages)
    for (const m of `${p.heading} ${p.text}`.matchAll(/(?<!\d)((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})(?!\d)/gu)) {
      const [from, to] = [Number(m[1]), Number(m[2])];
      if (to > from && to - from <= 15) seen.set(`${from}-${to}`, { from, to });
    }
  return [...seen.values()];
}

function knownPhraseOf(kb: KnowledgeBase): (folded: string) => boolean {
  const text = ` ${kb.passages.map((p) => words(`${p.heading} ${p.text}`).map(fold).join(' ')).join(' | ')} `;
  return (phrase) => text.includes(` ${phrase} `);
}

function pairsOf(phrase: string): string[] {
  const ws = phrase.split(' ');
  return ws.slice(1).map((w, i) => `${ws[i]} ${w}`);
}

/** The passage on the scoring sheets, which answers read from them cite. */
const SHEETS_SOURCE_ID = 'tieu-chi-danh-gia#phieu-cham-diem';

/** How a passage is cited to channels. */
export function toSourceLink(p: Passage): SourceLink {
  return { id: p.id, title: `${p.docTitle} — ${p.heading}`, doc: p.source.doc, date: p.source.date, url: p.source.url };
}

export interface AnswererOptions {
  /** Least coverage of the cited passage before answering (RETRIEVAL_MIN_CONFIDENCE). */
  minCoverage?: number;
  /** Longest answer body before the source line, in characters. */
  maxBodyLength?: number;
  /** The scoring sheets, to answer about one criterion or section of them. */
  sheets?: readonly ScoringSheet[];
}

/** Supplies the answer to a message read on its own: from a cache, or `fresh()`. */
export type AloneAnswers = (reading: Reading, fresh: () => Answer) => Answer;

/** "72đ là mấy sao", "45 điểm có được công nhận không": a score's question about stars or recognition. */
const STAR_QUESTION = PhraseSet.of(STAR_QUESTION_WORDS);

export class Answerer {
  readonly retriever: Retriever;
  readonly classifier?: ProductClassifier;
  private readonly communes?: CommuneAnswers;
  private readonly criteria?: CriterionAnswers;
  readonly reader: Reader;
  private readonly sentences = new SentenceIndex();
  private readonly maxBodyLength: number;
  private readonly minCoverage: number;
  private readonly starScale?: StarScale;

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly messages: Messages,
    { maxBodyLength = 700, minCoverage = GATE.minCoverage, sheets }: AnswererOptions = {},
  ) {
    if (sheets?.length) this.criteria = new CriterionAnswers(sheets, messages.criterion_answers);
    this.retriever = new Retriever(kb.passages);
    const table = kb.data.get(CLASSIFICATION_TABLE_ID);
    const places = placeNames(kb);
    const communeTable = kb.data.get(COMMUNE_TABLE_ID);
    if (communeTable) this.communes = new CommuneAnswers(parseCommuneTable(communeTable.body).rows, messages);
    if (table) {
      const categories = parseCategoryTable(table.body);
      this.classifier = new ProductClassifier(categories, places, wordPairsOf(kb, categories), commonWordsOf(kb));
    }
    this.maxBodyLength = maxBodyLength;
    this.minCoverage = minCoverage;
    this.starScale = findStarScale(kb.passages);
    const classifier = this.classifier;
    this.reader = createReader({
      vocabulary: this.retriever.vocabulary,
      correct: (w) => this.retriever.correct(w),
      // Accents are restored from the curated texts and from the chat vocabulary's own phrases ("chào ad", "tạm biệt").
      diacritics: new DiacriticModel([
        ...kb.passages.flatMap((p) => [p.heading, p.text, ...p.questions]),
        ...accentedPhrases(),
      ]),
      ...(classifier
        ? { products: { findProduct: (tokens, strict) => classifier.findProductCode(tokens, strict) } }
        : {}),
      localPlaces: new Set(places.map((p) => fold(p))),
      knownPhrase: knownPhraseOf(kb),
      knownPeriods: periodsOf(kb),
    });
  }

  /**
   * The extractive answer to one question (text, or a reading from the reader). Pure and synchronous. A follow-up
   * is also answered as a message on its own; `alone` may supply that answer from a cache of recent answers.
   */
  answer(question: string | Reading, alone?: AloneAnswers): Answer {
    const reading = typeof question === 'string' ? this.reader.read(question) : question;
    const found = this.answerMessage(reading, alone);
    const answer =
      found.abstained && found.abstainReason === 'unknown' ? (this.answerAskingPart(reading, alone) ?? found) : found;
    return this.withProductGroup(reading, this.withScoreBand(reading, answer));
  }

  /**
   * "hat de", "Khẩu sli?": a product named and nothing else. The passage about it is answered, with the group the
   * classification table gives it after, since which group it belongs to is what such a message most often means.
   */
  private withProductGroup(reading: Reading, answer: Answer): Answer {
    const product = reading.product;
    if (!product || answer.abstained || answer.kind !== 'retrieval' || reading.followUp || reading.answerTypes.length)
      return answer;
    const bare = reading.tokens.every(
      (t) => t.stop || t.aside || (t.start !== undefined && t.start >= product.start && (t.end ?? 0) <= product.end),
    );
    if (!bare) return answer;
    const found = this.classifier?.findProduct(reading.tokens, false);
    if (!found || foldText(answer.body).includes(foldText(found.category.sector))) return answer;
    const group = this.classify(reading, found);
    const body = `${answer.body}\n\n${group.body}`;
    const cited = [...answer.passages.slice(0, 1), ...group.passages];
    return { ...answer, body, text: this.withSources(body, cited), sources: cited.map(toSourceLink) };
  }

  /**
   * "sp e dc 72d la may sao", "hội đồng chấm 45 điểm có được công nhận không": a score named with a question about
   * stars or recognition is answered with its band first ("72 điểm thuộc hạng 4 sao (từ 70 đến 89 điểm)."), from
   * the passage that lists the bands unless the answer found already cites one that names this band.
   */
  private withScoreBand(reading: Reading, answer: Answer): Answer {
    const scale = this.starScale;
    const { points, parts, stars } = reading.entities;
    if (!scale || points.length !== 1 || points[0]!.to !== undefined || parts.length) return answer;
    // "… 72 điểm thì mấy sao?" → "Mức đó ai cấp giấy chứng nhận?": the score was the question before's.
    if (reading.followUp && !reading.typed.includes(String(points[0]!.points))) return answer;
    if (answer.kind === 'classification' || answer.kind === 'commune') return answer;
    if (answer.abstained && answer.abstainReason !== 'unknown') return answer;
    if (!stars.length && !STAR_QUESTION.in(reading.tokens)) return answer;
    const band = bandOf(scale, points[0]!.points);
    if (!band) return answer;
    const m = this.messages;
    const range = format(band.from === 0 ? m.points_band_below : m.points_band_range, {
      from: band.from,
      to: band.from === 0 ? band.to + 1 : band.to,
    });
    const line = format(m.points_band, { points: points[0]!.points, stars: band.stars, band: range });
    const cited = answer.sources[0] && this.kb.passageById.get(answer.sources[0].id);
    const namesBand =
      !answer.abstained && cited && [band.from, band.to].every((n) => n === 0 || cited.text.includes(String(n)));
    const passage = namesBand ? cited : scale.passage;
    const rest = namesBand ? answer.body : this.compose(reading, this.retriever.queryTerms(reading.tokens), passage);
    const body = `${line}\n${rest}`;
    return {
      ...answer,
      body,
      text: this.withSources(body, [passage]),
      sources: [toSourceLink(passage)],
      abstained: false,
      kind: 'retrieval',
      confidence: 1,
      ...(passage.action ? { action: passage.action } : {}),
    };
  }

  /**
   * "Tổ hợp tác đan chiếu trúc của chúng tôi có 12 thành viên, … Chấm thử mới được 45 điểm. Với 45 điểm có được
   * công nhận không?": a long setting can drown the question. When the whole message finds no answer, the sentences
   * or clauses that ask are answered on their own. (Preferring them always loses more than it wins: the setting
   * often holds the year, the place or the decision the question is about.)
   */
  private answerAskingPart(reading: Reading, alone?: AloneAnswers): Answer | undefined {
    if (!reading.asking || reading.followUp) return undefined;
    const own = this.reader.read(reading.asking);
    if (own.request.kind !== 'question' || own.tokens.filter((t) => !t.stop).length < 2) return undefined;
    const answer = this.answerMessage(own, alone);
    return answer.abstained ? undefined : { ...answer, question: reading.typed };
  }

  private answerMessage(reading: Reading, alone?: AloneAnswers): Answer {
    // "… có tiêu chí nào cho độ tinh xảo không, được tối đa mấy điểm?": the criterion and its points are one question.
    const criterion = reading.outOfScope
      ? undefined
      : this.criteria?.answer(reading.tokens, reading.entities.parts.length, reading.answerTypes);
    if (criterion) return this.criterionAnswer(reading, criterion);
    const each = this.answerEach(reading, alone);
    if (each) return each;
    const previous = reading.followsPassage;
    const cited = (a: Answer) => a.sources[0]?.id;
    // Another passage of the previous answer's document (the same topic), found by the message on its own.
    const sameTopicElsewhere = (a: Answer) =>
      !a.abstained && cited(a) !== previous && documentOf(cited(a)) === documentOf(previous);
    if (!reading.standalone) {
      const merged = this.answerReading(reading);
      // A unit of the table, found for the follow-up's own name, is that unit's answer (the table cites one passage).
      if (!reading.ownReading || !previous || cited(merged) !== previous || merged.kind === 'commune') return merged;
      const own = this.answerAlone(reading.ownReading, alone);
      return sameTopicElsewhere(own) ? own : merged;
    }
    // A short message after a question: read with it and on its own; the better-founded answer wins.
    const merged = this.answerReading(reading);
    // A word or two ("ở xã nào", "ai ký") is no question on its own.
    if (reading.standalone.tokens.filter((t) => !t.stop).length < 2 && !merged.abstained) return merged;
    const single = this.answerAlone(reading.standalone, alone);
    if (merged.abstained !== single.abstained) return merged.abstained ? single : merged;
    // "nhà em làm homestay …" → "thì thuộc nhóm nào": the product of the question before, classified.
    if (merged.kind === 'classification' && single.kind !== 'classification') return merged;
    // "Giấy chứng nhận có hạn bao lâu?" → "Hết hạn thì phải làm gì?": asked what to do next, a follow-up that read
    // with the question before would only repeat its answer, while on its own it finds another passage of the same
    // document (the same topic), asks that other passage. (A figure or a date asked next, "Ký ngày nào?", is often
    // in the same passage.)
    if (
      previous &&
      reading.standalone.answerTypes.some((t) => t === 'how' || t === 'why') &&
      cited(merged) === previous &&
      sameTopicElsewhere(single)
    )
      return single;
    return (single.score ?? 0) > (merged.score ?? 0) * WEAK_FOLLOW_UP_MARGIN ? single : merged;
  }

  /**
   * "ocop là gì và đăng ký ở đâu", "có mấy sản phẩm 4 sao, giá bn": two questions in one message, each answered
   * (the second read as a follow-up of the first: "bước đầu tiên là gì, bước này kéo dài bao lâu"). Undefined
   * when the message is one question, or when its first part finds no answer of its own.
   */
  private answerEach(reading: Reading, alone?: AloneAnswers): Answer | undefined {
    if (reading.followUp || reading.expectedProduct) return undefined;
    const asks = (r: Reading, words: number) =>
      (r.answerTypes.length > 0 || r.outOfScope !== undefined) && r.tokens.filter((t) => !t.stop).length >= words;
    for (const [left, right] of questionCuts(reading.typed)) {
      const first = this.reader.read(left);
      if (!asks(first, 1) || first.request.kind !== 'question') continue;
      // Both parts must ask (read on their own, which is cheap) before either is answered.
      const secondAlone = this.reader.read(right);
      if (!asks(secondAlone, 1) || secondAlone.request.kind !== 'question') continue;
      const firstAnswer = this.answerAlone(first, alone);
      if (firstAnswer.abstained) return undefined;
      const previous = this.reader.topicOf(first, firstAnswer.sources[0]?.id, 0, firstAnswer.body);
      const second = this.reader.readInContext(right, { previous, now: 0 });
      if (!asks(second, 1) || second.request.kind !== 'question') continue;
      const secondAnswer = this.answer(second, alone);
      // Nothing more to say, or the same passage again: the first answer is the answer.
      const sameSource = secondAnswer.sources[0]?.id === firstAnswer.sources[0]?.id;
      const unknown = secondAnswer.abstained && NOT_FOUND.has(secondAnswer.abstainReason ?? 'unknown');
      if (sameSource || unknown) return firstAnswer;
      const sources = [...firstAnswer.sources];
      for (const s of secondAnswer.sources) if (!sources.some((x) => x.id === s.id)) sources.push(s);
      return {
        ...firstAnswer,
        question: reading.typed,
        text: `${firstAnswer.text}\n\n${secondAnswer.text}`,
        body: `${firstAnswer.body}\n\n${secondAnswer.body}`,
        sources,
        reading,
        ...(firstAnswer.action || secondAnswer.action ? { action: firstAnswer.action ?? secondAnswer.action } : {}),
      };
    }
    return undefined;
  }

  private answerAlone(reading: Reading, alone?: AloneAnswers): Answer {
    return alone ? alone(reading, () => this.answerReading(reading)) : this.answerReading(reading);
  }

  private answerReading(reading: Reading): Answer {
    if (reading.outOfScope && reading.outOfScope !== 'person') return this.abstain(reading, [], 0, reading.outOfScope);
    const types = reading.answerTypes;
    // "… bún khô … Vậy 100 điểm đó chia cho ba phần A, B, C như thế nào?": parts of the criteria are asked, no group.
    const groupQuestion = reading.expectedProduct || (types.includes('group') && reading.entities.parts.length === 0);
    // "… miến dong, muốn đăng ký OCOP thì làm thế nào?": asking how to proceed is no question about the product.
    // "hộ gia đình làm miến dong có tham gia được không": who may take part is asked, not the group.
    if (groupQuestion || (types.includes('eligibility') && !types.includes('how') && !reading.ownerNamed)) {
      const found = this.classifier?.findProduct(reading.tokens, !groupQuestion);
      if (found) return this.classify(reading, found);
    }
    // "xã Phúc Sen cũ nay thuộc xã nào": from the table of units, unless another province is asked about.
    const asked = reading.entities.home ? [] : reading.entities.provinces.filter((p) => !p.market);
    const provinces = asked.map((p) => p.name);
    // "xã Hưng Đạo cũ ở Bảo Lạc giờ là xã nào" → "thế còn Hưng Đạo ở Nguyên Bình": the follow-up names the unit on
    // its own, the question before says what to tell of it (the merged question would name both).
    const ownUnit =
      reading.followUp && reading.followsPassage === COMMUNE_SOURCE_ID
        ? this.communes?.answer(this.reader.read(reading.typed).tokens, provinces, reading.tokens)
        : undefined;
    const commune = ownUnit ?? this.communes?.answer(reading.tokens, provinces);
    if (commune) return this.communeAnswer(reading, commune);
    const criterion = this.criteria?.answer(reading.tokens, reading.entities.parts.length, reading.answerTypes);
    if (criterion) return this.criterionAnswer(reading, criterion);
    const query = this.retriever.queryTerms(reading.tokens);
    let ranked = rank(
      reading,
      query,
      this.retriever.search(query, namedIn(reading.entities)),
      this.retriever,
      this.sentences,
    );
    const passages = ranked.map((r) => r.profile.passage);
    // Another province's own affairs, a named person's file: only from a passage that names them.
    const names = [
      ...asked.map((p) => ({ name: fold(p.name), reason: 'other_province' as const })),
      ...(reading.outOfScope === 'person'
        ? reading.entities.persons.map((p) => ({ name: fold(p.name), reason: 'person' as const }))
        : []),
    ];
    // Another province's figures: a passage that names the province, and the stars, years or periods asked
    // ("Quảng Ninh có bao nhiêu sản phẩm 5 sao" is not answered by Quảng Ninh's calendar).
    const { stars, years, periods } = reading.entities;
    const constrained = stars.length + years.length + periods.length > 0;
    for (const { name, reason } of names) {
      ranked = ranked.filter(
        (r) =>
          r.profile.foldedText.includes(name) &&
          (reason !== 'other_province' || !constrained || r.features.entityMatch > 0),
      );
      if (!ranked.length) return this.abstain(reading, passages, 0, reason);
    }
    // "bánh cuốn có phải sp OCOP không": whether a product is OCOP, or its stars, only from a passage that names it.
    const product = statusAskedOf(reading);
    if (product) {
      ranked = ranked.filter((r) => namesProduct(r.profile.foldedText, product));
      if (!ranked.length) return this.abstain(reading, passages, 0, 'not_known');
    }
    const top = ranked[0];
    const onlyGroupWords = groupQuestion && query.content.every((t) => GROUP_QUESTION_WORDS.has(t.folded));
    if (reading.expectedProduct || onlyGroupWords)
      return { ...this.abstain(reading, passages, 0, 'needs_product'), needsProduct: true };
    if (
      !passesGate(
        top,
        this.minCoverage,
        reading.entities.documents.map((d) => d.number),
      )
    ) {
      return {
        ...this.abstain(reading, passages, top?.features.coverage ?? 0, 'unknown'),
        ...(groupQuestion ? { needsProduct: true } : {}),
      };
    }
    const passage = top!.profile.passage;
    const body = this.compose(reading, query, passage);
    // A passage that says what is not known answers with that, and the question counts as not answered; so does
    // a passage that opens by saying so, when that sentence leads the answer.
    if (passage.kind === 'unknown' || leadsWithNotKnown(passage.text, body))
      return { ...this.abstain(reading, passages, top!.features.coverage, 'not_known'), text: body, body };
    return {
      question: reading.typed,
      body,
      text: this.withSources(body, [passage]),
      sources: [toSourceLink(passage)],
      abstained: false,
      passages,
      kind: 'retrieval',
      confidence: top!.features.coverage,
      ...(passage.action ? { action: passage.action } : {}),
      reading,
      score: top!.score,
    };
  }

  /** An answer read from the table of units, citing the passage on the resolution it comes from. */
  private communeAnswer(reading: Reading, body: string): Answer {
    return this.dataAnswer(reading, body, COMMUNE_SOURCE_ID, 'commune');
  }

  /** An answer read from the scoring sheets, citing the passage on them. */
  private criterionAnswer(reading: Reading, body: string): Answer {
    return this.dataAnswer(reading, body, SHEETS_SOURCE_ID, 'criterion');
  }

  /**
   * An answer read from data rather than quoted from a passage, citing the passage on where the data come from,
   * with the caution line: the table of units and the sheets are both known from transcriptions only.
   */
  private dataAnswer(reading: Reading, body: string, sourceId: string, kind: 'commune' | 'criterion'): Answer {
    const cited = [this.kb.passageById.get(sourceId)].filter((p): p is Passage => !!p);
    return {
      question: reading.typed,
      body,
      text: this.withSources(body, cited, true),
      sources: cited.map(toSourceLink),
      abstained: false,
      passages: cited,
      kind,
      confidence: 1,
      reading,
    };
  }

  abstain(reading: Reading, passages: Passage[] = [], confidence = 0, reason: AbstainReason = 'unknown'): Answer {
    const text =
      reason === 'unknown' || reason === 'not_known'
        ? this.messages.abstain
        : reason === 'needs_product'
          ? this.messages.ask_product
          : this.messages.abstain_reasons[reason];
    return {
      question: reading.typed,
      text,
      body: text,
      sources: [],
      abstained: true,
      abstainReason: reason,
      passages,
      kind: 'abstain',
      confidence,
      reading,
    };
  }

  /** Appends "Nguồn: ..." lines, and the caution for passages known only from secondary sources. */
  withSources(
    body: string,
    passages: readonly Passage[],
    caution = passages.some((p) => p.confidence === 'verified-2nd'),
  ): string {
    const lines = [body, ''];
    if (caution) lines.splice(1, 0, this.messages.caution_secondary);
    const seen = new Set<string>();
    for (const p of passages) {
      const line = formatSource(p.source);
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(`${this.messages.source_label}: ${line}`);
    }
    return lines.join('\n');
  }

  private classify(reading: Reading, found: Classification): Answer {
    const { category } = found;
    const tableDoc = this.kb.docs.find((d) => `${d.meta.id}#bang-phan-loai` === CLASSIFICATION_TABLE_ID);
    const explainer = tableDoc?.passages[0];
    const product =
      found.matched.includes(' ') || /[^\p{ASCII}]/u.test(found.matched)
        ? found.matched.charAt(0).toUpperCase() + found.matched.slice(1)
        : this.classifier!.productPhrase(reading.text, found.matched);
    const subgroup = found.subgroups
      ? format(this.messages.classify_subgroups, {
          subgroups: found.subgroups.map((c) => `${c.subgroup} (${c.code})`).join(this.messages.classify_or),
        })
      : category.subgroup && category.subgroup !== category.group
        ? format(this.messages.classify_subgroup, { subgroup: category.subgroup })
        : '';
    const code = found.subgroups ? category.code.replace(/\.[a-z]$/, '') : category.code;
    const lines = [
      format(this.messages.classify_answer, {
        product,
        sector: category.sector,
        group: category.group,
        subgroup,
        code,
      }),
    ];
    if (foldText(category.group2019) !== foldText(category.sector)) {
      lines.push(format(this.messages.classify_2019, { group2019: category.group2019 }));
    }
    lines.push(this.messages.classify_note);
    const body = lines.join(' ');
    const cited = explainer ? [explainer] : [];
    return {
      question: reading.typed,
      body,
      // The caution follows the row's own confidence, not the table's.
      text: this.withSources(body, cited, category.confidence === 'verified-2nd'),
      sources: cited.map(toSourceLink),
      abstained: false,
      passages: cited,
      kind: 'classification',
      confidence: 1,
      category,
      reading,
    };
  }

  /**
   * The answer's body: the item asked for when the question names one ("bước thứ 3"); otherwise the sentence
   * that fits best (never one that starts mid-thought), a list cut to the items asked about, then up to two
   * supporting sentences of the same passage in their order.
   */
  compose(reading: Reading, query: QueryTerms, passage: Passage): string {
    const sentences = this.sentences.of(passage.text);
    const ordinal = reading.entities.ordinal;
    // A passage that is itself the item asked for ("Bước 1 …" for "bước đầu tiên") is quoted as it is.
    const own = this.retriever.profiles.get(passage.id)?.entities.ordinal;
    const isTheItem =
      ordinal !== undefined &&
      own !== undefined &&
      own.n === ordinal.n &&
      (!ordinal.noun || !own.noun || own.noun === ordinal.noun);
    if (ordinal && !isTheItem) {
      for (const s of sentences) {
        const list = listItems(s.text);
        if (!list) continue;
        const n = ordinal.n === -1 ? list.items.length : ordinal.n;
        const item = list.items[n - 1];
        if (item) {
          const noun = ordinal.noun
            ? (this.messages.ordinal_nouns[ordinal.noun] ?? ordinal.noun)
            : this.messages.ordinal_default_noun;
          return format(this.messages.ordinal_answer, { intro: list.intro, noun, n, item, total: list.items.length });
        }
      }
    }
    const next = this.nextItem(reading, query, sentences);
    if (next) return next;
    const types = reading.answerTypes;
    const years = reading.entities.years;
    const scored = sentences.map((s) => ({ s, score: scoreSentence(s, query, types) + yearFit(s, years) }));
    const openers = scored.filter((x) => !x.s.continues);
    const best = (openers.length ? openers : scored).reduce((a, b) => (b.score > a.score ? b : a));
    const chosen: { s: Sentence; text: string }[] = [{ s: best.s, text: this.cutList(best.s.text, query, types) }];
    let length = chosen[0]!.text.length;
    const rest = scored.filter((x) => x !== best).sort((a, b) => b.score - a.score || a.s.index - b.s.index);
    for (const x of rest) {
      if (chosen.length >= 3) break;
      // A sentence that continues another is quoted only right after it.
      if (x.s.continues && !chosen.some((c) => c.s.index === x.s.index - 1)) continue;
      if (x.score <= 0 && x.s.index !== best.s.index + 1) continue;
      if (length + x.s.text.length > this.maxBodyLength) continue;
      chosen.push({ s: x.s, text: x.s.text });
      length += x.s.text.length;
    }
    const [first, ...support] = chosen;
    support.sort((a, b) => a.s.index - b.s.index);
    return [first!, ...support].map((c) => c.text).join('\n');
  }

  /**
   * "dang ky y tuong xong thi buoc tiep theo la gi": the item after the one the question names, in a list of steps
   * ("… gồm 6 bước làm tuần tự: …; nhận đăng ký ý tưởng sản phẩm; nhận phương án, …"). Only when one item is
   * named and another follows it.
   */
  private nextItem(reading: Reading, query: QueryTerms, sentences: readonly Sentence[]): string | undefined {
    if (!NEXT_STEPS.in(reading.tokens)) return undefined;
    for (const s of sentences) {
      const list = listItems(s.text);
      if (!list || list.items.length < 3) continue;
      const named = this.hitsPerItem(list, query)
        .map((hits, i) => ({ i, hits }))
        .filter((x) => x.hits >= 2);
      if (named.length !== 1) continue;
      const at = named[0]!.i;
      const item = list.items[at + 1];
      if (!item) continue;
      const noun = this.messages.ordinal_nouns.buoc ?? this.messages.ordinal_default_noun;
      return format(this.messages.next_item_answer, {
        intro: list.intro,
        noun,
        after: list.items[at]!,
        n: at + 2,
        item,
      });
    }
    return undefined;
  }

  /**
   * For each item of a list, how many of the question's words it holds, beside those of the list's intro and the
   * common ones (a label asked, "phần A, B, C", counts however common its letter is: "a").
   */
  private hitsPerItem(list: ListParts, query: QueryTerms): number[] {
    const introWords = new Set(foldText(list.intro).split(' '));
    const asked = query.content.filter(
      (t) => !introWords.has(t.folded) && (t.label || !this.retriever.isCommon(t.folded)),
    );
    return list.items.map((item) => {
      const words = new Set(foldText(item).split(' '));
      return asked.filter((t) => words.has(t.folded)).length;
    });
  }

  /** A list asked about for some of its items ("rượu thuộc nhóm nào" in a list of groups): those items only. */
  private cutList(text: string, query: QueryTerms, types: readonly string[]): string {
    if (types.includes('list') || types.includes('number')) return text;
    const list = listItems(text);
    if (!list || list.items.length < 3) return text;
    const hits = this.hitsPerItem(list, query);
    const matching = list.items.filter((_, i) => hits[i]! > 0);
    if (!matching.length || matching.length === list.items.length) return text;
    return text.includes('\n- ')
      ? `${list.intro}:\n- ${matching.join('\n- ')}`
      : `${list.intro}: ${matching.join('; ')}.`;
  }
}
