/**
 * One ranking step: each candidate passage gets a few measured features (how well it covers the question, how
 * close its example questions are, whether it has the kind of answer asked for, whether it names the question's
 * entities), and its score is one weighted sum with the weights below. The passage that ranks first is the one
 * cited, and the gate judges that same passage.
 */
import { extractEntities, periodKey, type Entities } from '../understanding/entities.js';
import type { Reading } from '../understanding/reading.js';
import {
  COUNTED_UNITS,
  DECISION_BACK_REFS,
  DECISION_CHANGE_CUES,
  AGENCY_FIELDS,
  type AnswerType,
} from '../understanding/vocabulary.js';
import type { Candidate, PassageProfile, QueryTerms, Retriever } from './retriever.js';
import type { Sentence, SentenceIndex } from './sentences.js';
import { couldBeStopword } from '../understanding/analyze.js';
import { fold } from '../text/vietnamese.js';
import { escapeRegExp, foldedPhrases, wholeWords } from '../text/regexp.js';

/**
 * The weights of the ranking, in one place. Each feature is between 0 and 1 (conflicts between 0 and -1), so a
 * weight says how much that feature can move a passage. Set by hand on the tuning questions
 * (test/fixtures/questions, test/fixtures/tuning); the held-out questions (test/fixtures/heldout) were never
 * used to set them.
 */
export const RANKING_WEIGHTS = {
  /** BM25 score over text, heading and example questions, relative to the best candidate. */
  bm25: 2.0,
  /** IDF-weighted share of the question's content words found in the passage (the gate's measure too). */
  coverage: 4.0,
  /** Similarity to the passage's nearest example question. */
  example: 3.0,
  /**
   * The question is, word for word or nearly, one of the passage's example questions (similarity at least
   * EXAMPLE_EXACT): what the editors wrote the passage to answer outweighs headings and word counts.
   */
  exampleExact: 2.0,
  /** Share of the question's content words found in the heading (the heading says what the passage answers). */
  heading: 1.0,
  /** The passage holds the kind of answer asked for (a number, a date, an agency, a duration, a list…). */
  answerType: 1.5,
  /** How well the passage's best sentence fits the question, relative to the question's weight. */
  sentence: 1.5,
  /** The passage names the question's entities (a decision number, a period, a star level, part A/B/C…). */
  entityMatch: 2.0,
  /**
   * The passage names only other values of an entity kind the question names (QĐ 148 for a QĐ 1048 question), or
   * its figure is dated before the year asked ("cuối năm 2025" of a figure as of May 2025).
   */
  entityConflict: 4.0,
  /** The newest dated figure, when the question asks about the present ("hiện nay", "hiện có"). */
  recency: 2.0,
  /** The newest rule or figure, when the question names no time at all (it asks about today). */
  implicitRecency: 0.6,
  /** The oldest rule or figure, when the first of its kind is asked ("lần đầu", "đầu tiên"). */
  earliest: 2.0,
  /**
   * Who signed a decision named, or when: the passage headed by that decision ("Quyết định đó do ai ký?" after a
   * question about QĐ 1489 is answered from QĐ 1489's own passage, not from one that cites it).
   */
  decisionHeading: 1.0,
  /** A follow-up: the passage is of the same document as the previous answer ("phần B" → "còn phần C?"). */
  sameDocument: 1.0,
  /** BM25's own first choice, as a tie-breaker. */
  firstChoice: 0.3,
} as const;

/** How close to an example question counts as asking it (the exampleExact feature). */
export const EXAMPLE_EXACT = 0.9;

/** When the first-ranked passage is good enough to answer from. */
export const GATE = {
  /** Least coverage of the cited passage (RETRIEVAL_MIN_CONFIDENCE overrides it). */
  minCoverage: 0.53,
  /** Or: an example question this close, with at least `exampleMinCoverage` coverage. */
  minExample: 0.43,
  exampleMinCoverage: 0.1,
  /** Or: a ranking score this high (the passage stands out on every feature together). */
  minScore: 9,
} as const;

export interface Features {
  bm25: number;
  coverage: number;
  example: number;
  exampleExact: number;
  heading: number;
  answerType: number;
  sentence: number;
  entityMatch: number;
  entityConflict: number;
  recency: number;
  implicitRecency: number;
  earliest: number;
  decisionHeading: number;
  sameDocument: number;
  firstChoice: number;
}

export interface Ranked {
  profile: PassageProfile;
  features: Features;
  score: number;
  /** The sentence that fits the question best. */
  best: Sentence;
  /** An entity kind the question names is contradicted (a decision, a period): not to be answered from. */
  hardConflict: boolean;
  /** Coverage of the words of the sentences that ask only (see Retriever.coverageOf), for the gate. */
  askingCoverage: number;
}

/** A test a sentence passes or not (a pattern, or any of several). */
interface Evidence {
  test(text: string): boolean;
}
const anyOf = (...patterns: readonly RegExp[]): Evidence => ({ test: (text) => patterns.some((p) => p.test(text)) });

/** What a sentence must contain to answer each kind of question. */
export const ANSWER_EVIDENCE: Partial<Record<AnswerType, Evidence>> = {
  number:
    /(?<![\d/])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?\s*(?:-\s*\d+\s*)?\p{L}|(?<![\p{L}\p{N}])(một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+\p{L}/u,
  date: /\d{1,2}\/\d{1,2}\/\d{4}|\b(19|20)\d{2}\b|\d{1,2}\/\d{4}/,
  duration: /\d+\s*(tháng|năm|ngày)|(?<![\p{L}\p{N}])(ba|hai|một)\s+năm(?![\p{L}\p{N}])/iu,
  who: anyOf(
    // A ministry or department named ("Bộ Nông nghiệp", "Sở Công Thương"), not "bộ tiêu chí", "bộ hồ sơ".
    /(?<![\p{L}\p{N}])(?:Sở|Bộ) \p{Lu}/u,
    wholeWords([
      'UBND',
      'Ủy ban',
      'Hội đồng',
      'Văn phòng',
      'Thủ tướng',
      'cán bộ',
      'Chủ tịch',
      'cơ quan',
      'cấp tỉnh',
      'cấp xã',
      'trung ương',
    ]),
  ),
  // A commune named as a place, not in "hợp tác xã" or "Mỗi xã một sản phẩm".
  where: wholeWords([
    'UBND',
    'Ủy ban',
    '(?<!tác |mỗi )xã',
    'phường',
    'tại',
    'nộp',
    'Văn phòng',
    'cổng',
    'trang',
    'bộ phận',
  ]),
  // Items set out, or things named in a row after "gồm" ("gồm phiếu đăng ký, báo cáo tự đánh giá và tài liệu minh
  // chứng"; not figures: "gồm Phần A 35 điểm, Phần B 25 điểm và …").
  list: /:\n- |; |\(\d\)|(?<![\p{L}\p{N}])gồm [^.;\d]{2,80}, [^.;\d]{2,80} và [^.;\d]/u,
  definition: /\s(là|nghĩa là|gọi là|được hiểu)\s/iu,
  group: wholeWords(['nhóm']),
  ordinal: /\(\d\)|:\n- |; /,
};

/**
 * "Chương trình OCOP là gì?": a definition says what its subject is, so the sentence starts with the question's
 * own words and then "là" ("OCOP là …", "Chương trình OCOP là …"), not "Mục đích của Chương trình OCOP là …".
 */
function definesSubject(sentence: Sentence, query: QueryTerms): boolean {
  const head = /^(.{1,60}?)\s(?:là|nghĩa là|được hiểu là|gọi là)\s/u.exec(sentence.text)?.[1];
  if (!head) return false;
  const asked = new Set(query.content.map((t) => t.folded));
  const ws = fold(head)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return ws.length > 0 && ws.some((w) => asked.has(w)) && ws.every((w) => asked.has(w) || couldBeStopword(w));
}

const UNITS = new Set(COUNTED_UNITS);
/** A count: digits (not ending in the comma or stop that follows them, not a year) or a number word. */
const NUMBER_WORDS = '(?!(?:19|20)\\d\\d(?!\\d))\\d(?:[\\d.,]*\\d)?|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi';
const unitPatterns = new Map<string, RegExp>();
const foldedSentences = new WeakMap<Sentence, string>();

/** "bao nhiêu điểm", "mấy bước": the unit the asked number counts (folded), when it is one numbers are told in. */
export function askedUnit(reading: Pick<Reading, 'tokens'>): string | undefined {
  const ts = reading.tokens;
  for (let i = 0; i < ts.length - 1; i++) {
    const f = ts[i]!.folded;
    if (!((f === 'nhieu' && ts[i - 1]?.folded === 'bao') || f === 'may')) continue;
    const unit = ts[i + 1]!.folded;
    return UNITS.has(unit) ? unit : undefined;
  }
  return undefined;
}

/** Whether a sentence gives a number of that unit ("70 điểm", "ba bước", "120 tỷ"). */
function numberOf(unit: string, sentence: Sentence): boolean {
  let re = unitPatterns.get(unit);
  if (!re) {
    re = new RegExp(`(?:^|[^\\p{L}\\d])(?:${NUMBER_WORDS})(?:\\s*-\\s*\\d+)?\\s*${unit}(?![\\p{L}])`, 'u');
    unitPatterns.set(unit, re);
  }
  let folded = foldedSentences.get(sentence);
  if (folded === undefined) {
    folded = fold(sentence.text);
    foldedSentences.set(sentence, folded);
  }
  return re.test(folded);
}

function evidenceShare(
  types: readonly AnswerType[],
  sentences: readonly Sentence[],
  query: QueryTerms,
  unit: string | undefined,
): number {
  const checked = types.filter((t) => ANSWER_EVIDENCE[t]);
  if (!checked.length) return 0;
  const has = (t: AnswerType) =>
    sentences.some((s) =>
      t === 'definition'
        ? definesSubject(s, query)
        : t === 'number' && unit
          ? numberOf(unit, s)
          : ANSWER_EVIDENCE[t]!.test(s.text),
    );
  return checked.filter(has).length / checked.length;
}

/** A sentence's fit: the question's words and word pairs it holds (IDF-weighted) and the kind of answer asked for. */
export function scoreSentence(sentence: Sentence, query: QueryTerms, types: readonly AnswerType[]): number {
  let score = 0;
  for (const { token: t, idf } of query.keyed) {
    if (t.accented ? sentence.toned.has(t.toned) : sentence.folded.has(t.folded))
      score += idf * (t.salient ? 1.5 : 1) * (t.aside ? 0.25 : 1);
  }
  for (const b of query.folded) if (b.includes('_') && sentence.pairs.has(b)) score += 1.5;
  for (const type of types) if (ANSWER_EVIDENCE[type]?.test(sentence.text)) score += 2;
  if (sentence.index === 0) score += 0.5;
  if (sentence.continues) score -= 1.5;
  return score;
}

const sentenceYears = new WeakMap<Sentence, Entities['years']>();

/**
 * "hết năm 2023" asks the total up to then: the sentence that gives it ("Đến cuối năm 2023, tổng số … là 144")
 * fits better than the year's own figure ("Riêng năm 2023 … thêm 68"), and "riêng năm 2023" the other way round.
 */
export function yearFit(sentence: Sentence, asked: Entities['years']): number {
  const flagged = asked.filter((y) => y.through || y.within);
  if (!flagged.length) return 0;
  let years = sentenceYears.get(sentence);
  if (!years) {
    years = extractEntities(sentence.text).years;
    sentenceYears.set(sentence, years);
  }
  let fit = 0;
  for (const a of flagged) {
    const same = years.filter((y) => y.year === a.year);
    if (same.some((y) => (a.through ? y.through : y.within))) fit += 2;
    else if (same.some((y) => (a.through ? y.within : y.through))) fit -= 1;
  }
  return fit;
}

/** How the passage stands to the question's entities: matches, and kinds where it names only other values. */
function entityFit(
  reading: Reading,
  profile: PassageProfile,
  /** The departments and ministries the question names (agenciesIn), read once per question. */
  askedAgencies: readonly string[],
): { match: number; conflict: number; hard: boolean } {
  const q = reading.entities;
  const p = profile.entities;
  let kinds = 0;
  let match = 0;
  let conflict = 0;
  let hard = false;
  const judge = (asked: readonly string[], named: readonly string[], weight = 1, isHard = false) => {
    if (!asked.length) return;
    kinds += 1;
    if (asked.some((a) => named.includes(a))) match += weight;
    else if (named.length) {
      conflict += weight;
      if (isHard) hard = true;
    }
  };
  judge(
    q.documents.map((d) => d.number),
    p.documents.map((d) => d.number),
    1,
    true,
  );
  judge(q.periods.map(periodKey), p.periods.map(periodKey), 1, true);
  const passageYears = [
    ...p.years.map((y) => String(y.year)),
    ...p.periods.flatMap((x) => [String(x.from), String(x.to)]),
  ];
  judge(
    q.years.map((y) => String(y.year)),
    passageYears,
    0.5,
  );
  // "hết năm 2023" asks the total up to then: a passage with the total ("tính đến cuối năm 2023") fits better than
  // one with the year's own figure ("riêng năm 2023"), and "đợt 2023" the other way round.
  for (const [flag, other] of [
    ['through', 'within'],
    ['within', 'through'],
  ] as const) {
    const asked = q.years.filter((y) => y[flag]).map((y) => y.year);
    if (!asked.length) continue;
    kinds += 1;
    if (p.years.some((y) => y[flag] && asked.includes(y.year))) match += 1;
    else if (p.years.some((y) => y[other] && asked.includes(y.year))) conflict += 0.5;
  }
  // "cuối năm 2025", "năm 2026": a figure as of May 2025 cannot tell a year it did not see to its end.
  // An as-of date of a year alone ("2023") is that year's figure.
  const asOf = profile.passage.asOf;
  if (profile.asOf !== undefined && asOf && q.years.length) {
    const seen = Math.floor(profile.asOf);
    const complete = !asOf.includes('-') || profile.asOf - seen >= 11 / 12;
    if (q.years.every((y) => y.year > seen || (y.year === seen && y.through && !complete))) {
      kinds += 1;
      conflict += 2;
    }
  }
  judge([...new Set(q.stars.map((s) => String(s.stars)))], [...new Set(p.stars.map((s) => String(s.stars)))], 0.5);
  judge([...new Set(q.parts.map((x) => x.part))], [...new Set(p.parts.map((x) => x.part))], 1);
  // "72 điểm" is named by a passage about "từ 70 đến 89 điểm".
  const band = (x: number) =>
    p.points.find((n) => n.to !== undefined && x >= n.points && x < n.to + (n.to === 100 ? 1 : 0));
  // The figure the question names: "dưới 50 điểm" names 50.
  const named = (x: { points: number; to?: number }) => (x.to !== undefined && x.points === 0 ? x.to : x.points);
  judge(
    q.points.map((x) => String(band(named(x))?.points ?? named(x))),
    p.points.map((x) => String(x.points)),
    0.5,
  );
  judge(
    q.forms.map((x) => String(x.form)),
    p.forms.map((x) => String(x.form)),
    1,
  );
  // "bước thứ 3": the passage about step 3, not the one about step 2 (a list of all steps names none). "bước
  // cuối cùng" names no number a passage could contradict: the last of a list is found in the list.
  const ordinalKey = (o: { n: number; noun?: string }) => `${o.noun ?? ''}:${o.n}`;
  if (q.ordinal && q.ordinal.n > 0 && (!q.ordinal.noun || !p.ordinal?.noun || p.ordinal.noun === q.ordinal.noun))
    judge([ordinalKey(q.ordinal)], p.ordinal ? [ordinalKey(p.ordinal)] : [], 1);
  // "Giám đốc Sở Nông nghiệp và Môi trường …": not from a passage naming only the Sở Công Thương.
  judge(askedAgencies, agenciesOf(profile), 1);
  // A question about Cao Bằng prefers passages about Cao Bằng to national ones.
  // One that names another province and not Cao Bằng ("tỉnh Bắc Ninh thưởng 8 triệu") is about that province.
  if (q.home) {
    const home = profile.foldedText.includes('cao bang');
    judge(['cao bang'], home ? ['cao bang'] : ['other'], !home && p.provinces.length ? 1 : 0.5);
  }
  return { match: kinds ? match / kinds : 0, conflict: kinds ? conflict / kinds : 0, hard };
}

/** Ranks the candidates for a question; the first is the passage to cite. */
export function rank(
  reading: Reading,
  query: QueryTerms,
  candidates: readonly Candidate[],
  retriever: Retriever,
  sentences: SentenceIndex,
): Ranked[] {
  if (!candidates.length) return [];
  const w = RANKING_WEIGHTS;
  const top = candidates[0]!.score || 1;
  const types = reading.answerTypes;
  const unit = askedUnit(reading);
  const qWeight =
    query.content.reduce((s, t) => s + retriever.idf(t.accented ? t.toned : t.folded) * (t.aside ? 0.25 : 1), 0) || 1;
  const dated = candidates.map((c) => c.profile.asOf).filter((x): x is number => x !== undefined);
  const newest = dated.length ? Math.max(...dated) : undefined;
  const oldest = dated.length ? Math.min(...dated) : undefined;
  // "lần đầu", "đầu tiên": among the candidates that have a time of their own, the oldest.
  const times = reading.entities.earliest ? new Map(candidates.map((c) => [c.profile, timeOf(c.profile)])) : undefined;
  const known = times ? [...times.values()].filter((t): t is number => t !== undefined) : [];
  const [first, last] = [Math.min(...known), Math.max(...known)];
  const earliness = (profile: PassageProfile) => {
    const t = times?.get(profile);
    if (t === undefined) return 0;
    return last === first ? 1 : (last - t) / (last - first);
  };
  const docOf = (id: string) => id.split('#')[0];
  const previousDoc = reading.followsPassage ? docOf(reading.followsPassage) : undefined;
  const headingTerms = (profile: PassageProfile) => {
    const hs = sentences.of(profile.passage.heading);
    return hs.reduce((best, s) => Math.max(best, scoreSentence(s, query, [])), 0) / qWeight;
  };
  // A property of the decision itself is asked: who signed it, when, what it changed; of a decision the message names, or points
  // back at after the question that named it.
  const typedFolded = fold(reading.typed);
  const ownDecision =
    reading.entities.documents.some((d) => new RegExp(`(?<!\\d)${d.number}(?!\\d)`).test(typedFolded)) ||
    (reading.followUp !== undefined && DECISION_BACK.test(typedFolded));
  const decisionAsked =
    ownDecision &&
    reading.entities.documents.length > 0 &&
    (types.some((t) => t === 'who' || t === 'date') || DECISION_CHANGE.test(typedFolded)) &&
    !reading.entities.parts.length;
  // The headings that are those decisions ("Quyết định 1489/QĐ-TTg năm 2025", "Quy chế … (QĐ 1162)").
  const decisionHeadings = decisionAsked
    ? reading.entities.documents.map(
        (d) => new RegExp(`^(?:Quyết định|QĐ)\\s*${d.number}(?!\\d)|\\(QĐ ${d.number}\\)$`),
      )
    : [];
  const askedAgencies = agenciesIn(fold(reading.text));
  const ranked = candidates.map((c, i): Ranked => {
    const ss = sentences.of(c.profile.passage.text);
    const scored = ss.map((s) => ({ s, v: scoreSentence(s, query, types) }));
    const best = scored.reduce((a, b) => (b.v > a.v ? b : a), scored[0]!);
    const fit = entityFit(reading, c.profile, askedAgencies);
    const covered = retriever.coverageOf(query, c.profile);
    const newness =
      c.profile.asOf !== undefined && newest !== undefined && oldest !== undefined
        ? newest === oldest
          ? 1
          : (c.profile.asOf - oldest) / (newest - oldest)
        : 0;
    const e = reading.entities;
    const timeless = !e.recency && !e.earliest && !e.years.length && !e.periods.length && !e.documents.length;
    const example = retriever.exampleSimilarity(query, c.profile);
    const features: Features = {
      bm25: c.score / top,
      coverage: covered.all,
      example,
      exampleExact: example >= EXAMPLE_EXACT ? 1 : 0,
      heading: Math.min(1, headingTerms(c.profile)),
      answerType: evidenceShare(types, ss, query, unit),
      sentence: Math.min(1, best.v / (qWeight + 4)),
      entityMatch: fit.match,
      entityConflict: -fit.conflict,
      recency: e.recency ? newness : 0,
      implicitRecency: timeless ? newness : 0,
      earliest: earliness(c.profile),
      decisionHeading: decisionHeadings.some((re) => re.test(c.profile.passage.heading)) ? 1 : 0,
      sameDocument: previousDoc !== undefined && docOf(c.profile.passage.id) === previousDoc ? 1 : 0,
      firstChoice: i === 0 ? 1 : 0,
    };
    const score = (Object.keys(w) as (keyof Features)[]).reduce((sum, k) => sum + w[k] * features[k], 0);
    return {
      profile: c.profile,
      features,
      score,
      best: best.s,
      hardConflict: fit.hard,
      askingCoverage: covered.asking,
    };
  });
  ranked.sort((a, b) => b.score - a.score);
  // A contradicted decision number or period is never answered from while another candidate names it.
  if (ranked.some((r) => !r.hardConflict && r.features.entityMatch > 0)) {
    return [...ranked.filter((r) => !r.hardConflict), ...ranked.filter((r) => r.hardConflict)];
  }
  return ranked;
}

/**
 * The year a passage is about: its as-of date, else the year it names most (a period counts by its first year;
 * ties go to the earlier year). Undefined for a passage that names none.
 */
function timeOf(profile: PassageProfile): number | undefined {
  if (profile.asOf !== undefined) return Math.floor(profile.asOf);
  const counts = new Map<number, number>();
  for (const y of [...profile.entities.years.map((x) => x.year), ...profile.entities.periods.map((x) => x.from)])
    counts.set(y, (counts.get(y) ?? 0) + 1);
  let best: [number, number] | undefined;
  for (const [y, n] of counts) if (!best || n > best[1] || (n === best[1] && y < best[0])) best = [y, n];
  return best?.[0];
}

/** Whether the cited passage may be answered from. */
const DECISION_BACK = foldedPhrases(DECISION_BACK_REFS);
const DECISION_CHANGE = foldedPhrases(DECISION_CHANGE_CUES);

const AGENCIES = Object.entries(AGENCY_FIELDS).map(([field, names]) => ({
  field,
  re: new RegExp(`(?:^|[^a-z])(?:so|bo) (?:${names.map(escapeRegExp).join('|')})(?![a-z])`),
}));

/** The fields of the departments and ministries a folded text names ("so nong nghiep" → "nong nghiep"). */
function agenciesIn(folded: string): string[] {
  return AGENCIES.filter((a) => a.re.test(folded)).map((a) => a.field);
}

const passageAgencies = new WeakMap<PassageProfile, string[]>();
/** A passage's departments and ministries, read once per passage. */
function agenciesOf(profile: PassageProfile): string[] {
  let found = passageAgencies.get(profile);
  if (!found) {
    found = agenciesIn(profile.foldedText);
    passageAgencies.set(profile, found);
  }
  return found;
}

export function passesGate(r: Ranked | undefined, minCoverage: number, documents: readonly string[] = []): boolean {
  if (!r || r.hardConflict) return false;
  const { coverage, example } = r.features;
  // "đang trên xe khách, hỏi nhanh cái qđ 1489 là qđ gì": the passage whose heading is the decision named is
  // about it, however many other words the message has.
  const aboutTheDecision =
    documents.length > 0 &&
    r.features.entityMatch >= 1 &&
    documents.every((n) => new RegExp(`(?<!\\d)${n}(?!\\d)`).test(r.profile.passage.heading));
  return (
    aboutTheDecision ||
    coverage >= minCoverage ||
    // A long setting before the question ("Nhà em có 3ha dẻ …. Giờ muốn làm OCOP thì nộp hồ sơ ở đâu?"): the
    // sentences that ask are judged on their own.
    r.askingCoverage >= minCoverage ||
    (example >= GATE.minExample && coverage >= GATE.exampleMinCoverage) ||
    r.score >= GATE.minScore
  );
}
