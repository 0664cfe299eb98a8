/**
 * Candidate passages for a question, on MiniSearch (BM25) with our own Vietnamese analysis.
 *
 * Each passage is indexed three ways: its text, its heading and its example questions (knowledge/*.md
 * `<!-- questions -->`), each as folded terms (for input without accents) and toned terms (where "phân" and
 * "phần" differ), syllables plus syllable pairs ("san_pham") so that multi-syllable words outrank their parts.
 * A query uses its folded terms always and its toned terms for the syllables the user accented (or that the
 * context restored clearly).
 *
 * This module finds candidates and measures them (coverage, example similarity, entities); ranking.ts orders
 * them with one weighted sum, and the answer is judged on the passage it cites.
 */
import MiniSearch, { type SearchOptions } from 'minisearch';
import type { Passage } from './knowledge-base.js';
import { analyze, couldBeStopword, type Token } from '../understanding/analyze.js';
import { extractEntities, periodKey, type Entities } from '../understanding/entities.js';
import { fold } from '../text/vietnamese.js';

export interface QueryTerms {
  tokens: Token[];
  /** Content tokens (filler removed). */
  content: Token[];
  folded: string[];
  toned: string[];
  /** Terms that come only from sentences that ask nothing: they weigh less. */
  asides?: ReadonlySet<string>;
  /** Each distinct content word once (its toned key when typed with accents), with its IDF, for sentence scoring. */
  keyed: KeyedTerm[];
  /** Each distinct folded content word with its weight (IDF, names double, asides less), for example similarity. */
  foldedWeights: ReadonlyMap<string, number>;
  /** The same words and weights as two lists (the same order), to loop over. */
  foldedWords: string[];
  foldedWordWeights: number[];
  /** The sum of those weights. */
  foldedTotal: number;
  /** The question's side of the coverage measure, the same for every candidate. */
  coverageTerms: CoverageTerm[];
  /** The sum of their weights. */
  coverageTotal: number;
  /** The sum of the weights of those in sentences that ask (all of them when no sentence is a mere setting). */
  askingTotal: number;
}

/** A distinct content word of the question as the coverage measure counts it. */
interface CoverageTerm {
  token: Token;
  weight: number;
  /** The pair it forms with a neighbour that binds to it ("san_pham"), looked for in the passage. */
  leftPair?: string;
  rightPair?: string;
  /** Neither neighbour binds: the word counts in full wherever the passage has it. */
  free: boolean;
  /** In a sentence that asks nothing (the setting of the question). */
  aside: boolean;
}

export interface KeyedTerm {
  token: Token;
  /** The toned key for a word typed with accents, else the folded one. */
  key: string;
  idf: number;
}

/** What is known of a passage's words and entities, computed once. */
export interface PassageProfile {
  passage: Passage;
  folded: Set<string>;
  toned: Set<string>;
  /** Adjacent syllable pairs ("san_pham"), folded. */
  pairs: Set<string>;
  /** Every word of the example questions (folded, and toned). */
  exampleFolded: Set<string>;
  exampleToned: Set<string>;
  /** Each example question's content tokens, and its distinct folded content words with their IDF and sum. */
  examples: {
    folded: Set<string>;
    toned: Set<string>;
    content: Token[];
    /** Its distinct folded content words, and the IDF of each (the same order). */
    words: string[];
    weights: number[];
    total: number;
  }[];
  /** Folded text of heading, body and title, for names (provinces, persons). */
  foldedText: string;
  entities: Entities;
  /** as-of as a number (yyyy + mm/12), for "hiện nay" questions. */
  asOf?: number;
}

export interface Candidate {
  profile: PassageProfile;
  /** BM25 score of the combined query. */
  score: number;
}

/** How the coverage measure counts words (see Retriever.coverageOf). */
export const COVERAGE = {
  /** A word of a sentence that asks nothing (the setting: "Nhà em làm miến dong."). */
  asideWord: 0.25,
  /** A word found only in the passage's example questions. */
  exampleWord: 0.8,
  /** Extra weight of a word the knowledge base never uses. */
  unknownWeight: 1.5,
} as const;

type SearchFields = 'folded' | 'toned';

export interface RetrieverOptions {
  /** How many candidates to consider. */
  candidates?: number;
}

interface IndexedPassage {
  id: string;
  f: string;
  t: string;
  hf: string;
  ht: string;
  qf: string;
  qt: string;
}

function bigrams(tokens: readonly Token[], key: 'folded' | 'toned', onlyAccented = false): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (a.stop || b.stop) continue;
    if (onlyAccented && !(a.accented && b.accented)) continue;
    out.push(`${a[key]}_${b[key]}`);
  }
  return out;
}

function terms(tokens: readonly Token[], key: 'folded' | 'toned'): string[] {
  return [...tokens.filter((t) => !t.stop).map((t) => t[key]), ...bigrams(tokens, key)];
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function asOfNumber(asOf: string | undefined): number | undefined {
  if (!asOf) return undefined;
  const [y, m = '6'] = asOf.split('-');
  return Number(y) + (Number(m) - 1) / 12;
}

/** A term's BM25 scores: the passages that have it (by number) and the score in each. */
interface TermScores {
  at: Int32Array;
  scores: Float64Array;
}

/** The decisions and periods a question names (document numbers; periods as "from-to"). */
export interface NamedInQuestion {
  documents: readonly string[];
  periods: readonly string[];
}

/** Passages that name a question's decision or period, considered beyond the BM25 candidates. */
const NAMED_EXTRA_CANDIDATES = 4;

function namesAny(profile: PassageProfile, named: NamedInQuestion): boolean {
  const e = profile.entities;
  return (
    e.documents.some((d) => named.documents.includes(d.number)) ||
    e.periods.some((p) => named.periods.includes(periodKey(p)))
  );
}

/** What a reading names that candidates are also looked for by. */
export function namedIn(entities: Pick<Entities, 'documents' | 'periods'>): NamedInQuestion {
  return {
    documents: entities.documents.map((d) => d.number),
    periods: entities.periods.map(periodKey),
  };
}

export class Retriever {
  /** Folded words of the knowledge base (text, headings, example questions). */
  readonly vocabulary: ReadonlySet<string>;
  readonly profiles: ReadonlyMap<string, PassageProfile>;
  private readonly index: MiniSearch<IndexedPassage>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly idfCache = new Map<string, number>();
  private readonly termCache = new Map<string, TermScores>();
  /** Passage ids by number, and each id's number: search adds scores up in arrays. */
  private readonly ids: string[];
  private readonly numberOf = new Map<string, number>();
  private readonly count: number;
  private readonly candidates: number;
  private readonly correctionCache = new Map<string, string | null>();

  constructor(passages: readonly Passage[], { candidates = 12 }: RetrieverOptions = {}) {
    this.candidates = candidates;
    this.count = passages.length;
    this.index = new MiniSearch<IndexedPassage>({
      fields: ['f', 't', 'hf', 'ht', 'qf', 'qt'],
      storeFields: [],
      tokenize: (text) => (text ? text.split(' ') : []),
      processTerm: (term) => term,
      searchOptions: { tokenize: (text) => (text ? text.split(' ') : []), processTerm: (term) => term },
    });
    const vocabulary = new Set<string>();
    const profiles = new Map<string, PassageProfile>();
    const docs: IndexedPassage[] = [];
    for (const p of passages) {
      const heading = analyze(p.heading, { mode: 'knowledge' });
      const body = analyze(p.text, { mode: 'knowledge' });
      const examples = p.questions.map((q) => analyze(q, { mode: 'chat' }));
      const all = [...heading, ...body];
      const folded = new Set(all.map((t) => t.folded));
      const toned = new Set(all.map((t) => t.toned));
      const pairs = new Set([...bigrams(heading, 'folded'), ...bigrams(body, 'folded')]);
      const exampleSets = examples.map((ex) => ({
        folded: new Set(ex.map((t) => t.folded)),
        toned: new Set(ex.map((t) => t.toned)),
        content: ex.filter((t) => !t.stop),
        // Filled in once every passage is counted (IDF needs all of them).
        words: [] as string[],
        weights: [] as number[],
        total: 0,
      }));
      const profile: PassageProfile = {
        passage: p,
        folded,
        toned,
        pairs,
        examples: exampleSets,
        exampleFolded: new Set(exampleSets.flatMap((e) => [...e.folded])),
        exampleToned: new Set(exampleSets.flatMap((e) => [...e.toned])),
        foldedText: fold(`${p.docTitle} ${p.heading} ${p.text}`),
        entities: extractEntities(`${p.heading}. ${p.text}`),
        ...(p.asOf ? { asOf: asOfNumber(p.asOf)! } : {}),
      };
      profiles.set(p.id, profile);
      for (const w of new Set([...folded, ...profile.exampleFolded])) {
        vocabulary.add(w);
        this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
      }
      for (const w of new Set([...toned, ...profile.exampleToned])) {
        if (w !== fold(w)) this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
      }
      docs.push({
        id: p.id,
        f: terms(body, 'folded').join(' '),
        t: terms(body, 'toned').join(' '),
        hf: terms(heading, 'folded').join(' '),
        ht: terms(heading, 'toned').join(' '),
        qf: examples.map((e) => terms(e, 'folded').join(' ')).join(' '),
        qt: examples.map((e) => terms(e, 'toned').join(' ')).join(' '),
      });
    }
    this.vocabulary = vocabulary;
    this.profiles = profiles;
    this.ids = [...profiles.keys()];
    this.ids.forEach((id, i) => {
      this.numberOf.set(id, i);
    });
    this.index.addAll(docs);
    for (const profile of profiles.values()) {
      for (const e of profile.examples) {
        e.words = [...new Set(e.content.map((t) => t.folded))];
        e.weights = e.words.map((w) => this.idf(w));
        e.total = e.weights.reduce((sum, w) => sum + w, 0);
      }
    }
  }

  /** Inverse document frequency of a folded or toned term; unknown terms get the maximum. */
  idf(term: string): number {
    let v = this.idfCache.get(term);
    if (v === undefined) {
      v = Math.log(1 + this.count / ((this.documentFrequency.get(term) ?? 0) + 0.5));
      if (this.idfCache.size > 50_000) this.idfCache.clear();
      this.idfCache.set(term, v);
    }
    return v;
  }

  /** True for a word found in more than a quarter of the passages. */
  isCommon(folded: string): boolean {
    return (this.documentFrequency.get(folded) ?? 0) > this.count / 4;
  }

  /** The most frequent known word one edit away from a word no syllable spells, if any. */
  correct(word: string): string | undefined {
    const cached = this.correctionCache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    let best: string | undefined;
    let bestDf = 0;
    for (const v of this.vocabulary) {
      if (v.length < 3 || !editDistanceAtMostOne(word, v)) continue;
      const df = this.documentFrequency.get(v) ?? 0;
      if (df > bestDf) {
        best = v;
        bestDf = df;
      }
    }
    if (this.correctionCache.size > 50_000) this.correctionCache.clear();
    this.correctionCache.set(word, best ?? null);
    return best;
  }

  /** The query terms of analysed question tokens. */
  queryTerms(tokens: Token[]): QueryTerms {
    const content = tokens.filter((t) => !t.stop);
    const folded = terms(tokens, 'folded');
    const toned = [
      ...content.filter((t) => t.accented && t.toned !== t.folded).map((t) => t.toned),
      ...bigrams(tokens, 'toned', true),
    ];
    const asides = new Set(tokens.filter((t) => t.aside).flatMap((t) => [t.folded, t.toned]));
    const keyed = new Map<string, KeyedTerm>();
    for (const t of content) {
      const key = t.accented ? t.toned : t.folded;
      if (!keyed.has(key)) keyed.set(key, { token: t, key, idf: this.idf(key) });
    }
    const weights = new Map<string, number>();
    for (const t of content) {
      weights.set(t.folded, this.idf(t.folded) * (t.salient ? 2 : 1) * (t.aside ? COVERAGE.asideWord : 1));
    }
    let foldedTotal = 0;
    for (const w of weights.values()) foldedTotal += w;
    const coverageTerms = this.coverageTerms(tokens);
    return {
      coverageTerms,
      coverageTotal: coverageTerms.reduce((sum, c) => sum + c.weight, 0),
      askingTotal: coverageTerms.reduce((sum, c) => sum + (c.aside ? 0 : c.weight), 0),
      tokens,
      content,
      folded,
      toned,
      keyed: [...keyed.values()],
      foldedWeights: weights,
      foldedWords: [...weights.keys()],
      foldedWordWeights: [...weights.values()],
      foldedTotal,
      ...(asides.size ? { asides } : {}),
    };
  }

  /**
   * The best candidates by BM25 over text, headings and example questions. The same as one MiniSearch query that
   * ORs every term (a document scores the sum of its terms' scores, times how many distinct terms it matched),
   * but each term is looked up once per process: a term's BM25 scores do not change while the process runs, and
   * most questions share most of their terms.
   */
  search(query: QueryTerms, named?: NamedInQuestion): Candidate[] {
    if (query.folded.length === 0) return [];
    const asides = query.asides;
    const boostTerm = (term: string): number =>
      (term.includes('_') ? 2.5 : 1) * (asides?.has(term) ? COVERAGE.asideWord : 1);
    // Per passage (by its number): the summed score, how many distinct terms matched, and the last term counted.
    const n = this.ids.length;
    const score = new Float64Array(n);
    const terms = new Uint16Array(n);
    const lastTerm = new Int32Array(n).fill(-1);
    const seenOrder: number[] = [];
    const termIds = new Map<string, number>();
    const add = (list: readonly string[], fields: SearchFields) => {
      for (const term of list) {
        const boost = boostTerm(term);
        let k = termIds.get(term);
        if (k === undefined) {
          k = termIds.size;
          termIds.set(term, k);
        }
        const { at, scores } = this.termScores(term, fields);
        for (let j = 0; j < at.length; j++) {
          const i = at[j]!;
          if (lastTerm[i] === -1) seenOrder.push(i);
          score[i]! += scores[j]! * boost;
          if (lastTerm[i] !== k) {
            terms[i]! += 1;
            lastTerm[i] = k;
          }
        }
      }
    };
    // No fuzzy matching: the reader corrects typos itself, and fuzzy search was a third of the time.
    add(query.folded, 'folded');
    add(query.toned, 'toned');
    // In order of first match, then by score (a stable sort): ties keep the order the terms found them in.
    const results = seenOrder.map((i) => ({ id: this.ids[i]!, score: score[i]! * terms[i]! }));
    results.sort((a, b) => b.score - a.score);
    const top = results.slice(0, this.candidates);
    // A question that names a decision or a period ("theo QĐ 919 …", "giai đoạn 2019-2020") also considers the
    // passages that name it, should too few of its words be theirs to rank them in by BM25 alone.
    if (named && (named.documents.length || named.periods.length)) {
      const chosen = new Set(top.map((r) => r.id));
      const namers = results.filter((r) => !chosen.has(r.id) && namesAny(this.profiles.get(r.id)!, named));
      top.push(...namers.slice(0, NAMED_EXTRA_CANDIDATES));
    }
    return top.map((r) => ({ profile: this.profiles.get(r.id)!, score: r.score }));
  }

  /** One term's BM25 score in every passage that has it (by passage number), over the folded or the toned fields. */
  private termScores(term: string, fields: SearchFields): TermScores {
    const key = `${fields}:${term}`;
    let cached = this.termCache.get(key);
    if (!cached) {
      const options: SearchOptions =
        fields === 'folded'
          ? { fields: ['f', 'hf', 'qf'], boost: { hf: 1.5, qf: 1.2 } }
          : { fields: ['t', 'ht', 'qt'], boost: { t: 1.5, ht: 2, qt: 1.5 } };
      const found = this.index.search(term, options);
      cached = {
        at: Int32Array.from(found, (r) => this.numberOf.get(r.id as string)!),
        scores: Float64Array.from(found, (r) => r.score),
      };
      if (this.termCache.size > 50_000) this.termCache.clear();
      this.termCache.set(key, cached);
    }
    return cached;
  }

  /**
   * IDF-weighted share of the query's content tokens that a passage contains (text and heading). A syllable counts
   * in full when it stands alone or when one of its neighbouring pairs is also in the passage ("sản phẩm" as a
   * word), and half when the passage has it only as part of other words; names and figures weigh double. `all`
   * is that share of all the question's words, `asking` of the words of its sentences that ask only ("… giờ muốn
   * làm OCOP thì nộp hồ sơ ở đâu ạ" after a long story): the setting a producer tells is rarely in any passage.
   */
  coverageOf(query: QueryTerms, profile: PassageProfile): { all: number; asking: number } {
    if (!query.coverageTotal) return { all: 0, asking: 0 };
    let found = 0;
    let foundAsking = 0;
    for (const { token: t, weight, leftPair, rightPair, free, aside } of query.coverageTerms) {
      if (!(t.accented ? profile.toned.has(t.toned) : profile.folded.has(t.folded))) {
        // A word the passage lacks but its example questions use (the way people say it) counts nearly in full.
        if (t.accented ? profile.exampleToned.has(t.toned) : profile.exampleFolded.has(t.folded)) {
          found += weight * COVERAGE.exampleWord;
          if (!aside) foundAsking += weight * COVERAGE.exampleWord;
        }
        continue;
      }
      const asWord =
        free ||
        (leftPair !== undefined && profile.pairs.has(leftPair)) ||
        (rightPair !== undefined && profile.pairs.has(rightPair));
      const counted = asWord ? weight : weight / 2;
      found += counted;
      if (!aside) foundAsking += counted;
    }
    return {
      all: found / query.coverageTotal,
      asking: query.askingTotal ? foundAsking / query.askingTotal : 0,
    };
  }

  /** The question's side of `coverageOf`: each distinct content word once, with its weight and binding pairs. */
  private coverageTerms(tokens: readonly Token[]): CoverageTerm[] {
    const out: CoverageTerm[] = [];
    const seen = new Set<string>();
    const binding = (n: Token | undefined): n is Token =>
      n !== undefined && !n.stop && !(n.accented ? false : couldBeStopword(n.folded)) && !this.isCommon(n.folded);
    tokens.forEach((t, i) => {
      if (t.stop) return;
      const key = t.accented ? t.toned : t.folded;
      if (seen.has(key)) return;
      seen.add(key);
      // A word the knowledge base never uses is the strongest sign the question is about something else.
      const unknown = !this.vocabulary.has(t.folded);
      const weight =
        this.idf(key) *
        (t.salient ? 2 : 1) *
        (unknown ? COVERAGE.unknownWeight : 1) *
        (t.aside ? COVERAGE.asideWord : 1);
      const left = tokens[i - 1];
      const right = tokens[i + 1];
      const bindsLeft = binding(left);
      const bindsRight = binding(right);
      out.push({
        token: t,
        weight,
        ...(bindsLeft ? { leftPair: `${left.folded}_${t.folded}` } : {}),
        ...(bindsRight ? { rightPair: `${t.folded}_${right.folded}` } : {}),
        free: !bindsLeft && !bindsRight,
        aside: t.aside === true,
      });
    });
    return out;
  }

  /**
   * How close the question is to the passage's nearest example question: the harmonic mean of the share of the
   * question's content found in the example and the share of the example's content found in the question
   * (IDF-weighted), so an example with the same topic words in other order scores high, a generic one low.
   */
  exampleSimilarity(query: QueryTerms, profile: PassageProfile): number {
    if (!query.content.length || !profile.examples.length) return 0;
    // The question's side is the same for every candidate: computed once, in queryTerms.
    const qKeys = query.foldedWeights;
    const qWords = query.foldedWords;
    const qWeights = query.foldedWordWeights;
    const qTotal = query.foldedTotal;
    let best = 0;
    for (const e of profile.examples) {
      let inExample = 0;
      for (let j = 0; j < qWords.length; j++) if (e.folded.has(qWords[j]!)) inExample += qWeights[j]!;
      let inQuestion = 0;
      for (let j = 0; j < e.words.length; j++) if (qKeys.has(e.words[j]!)) inQuestion += e.weights[j]!;
      const eTotal = e.total;
      const p = qTotal ? inExample / qTotal : 0;
      const r = eTotal ? inQuestion / eTotal : 0;
      const f = p + r > 0 ? (2 * p * r) / (p + r) : 0;
      if (f > best) best = f;
    }
    return best;
  }
}
