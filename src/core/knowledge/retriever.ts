/**
 * Passage retrieval for Vietnamese chat, on MiniSearch (BM25) with our own analysis.
 *
 * Each passage is indexed twice: folded terms (for input without accents) and toned terms (for input with
 * accents, where "phân" and "phần" differ), each as syllables plus syllable bigrams ("san_pham"), so that
 * multi-syllable words outrank their parts. A query uses its folded terms always and its toned terms for the
 * syllables the user accented.
 *
 * Confidence is the share of the question's content, weighted by inverse document frequency, that the best
 * passage contains. Unknown words weigh the most, so a question about something the knowledge base never
 * mentions ("giá phân bón urê") is not answered from a passage that merely shares "giá".
 */
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import type { Passage } from './knowledge-base.js';
import { analyze, couldBeStopword, fold, type Token } from '../text/vietnamese.js';

export interface QueryTerms {
  tokens: Token[];
  /** Content tokens (stopwords removed), after typo correction. */
  content: Token[];
  folded: string[];
  toned: string[];
}

export interface RetrievalHit {
  passage: Passage;
  score: number;
  /** IDF-weighted share of the question's content found in this passage, 0..1. */
  coverage: number;
}

export interface RetrievalResult {
  query: QueryTerms;
  hits: RetrievalHit[];
  /** Coverage of the best hit (0 when none). */
  confidence: number;
  confident: boolean;
}

export interface RetrieverOptions {
  /** Minimum coverage of the best passage to answer at all. */
  minCoverage?: number;
  /** How many passages to return. */
  limit?: number;
}

interface IndexedPassage {
  id: string;
  f: string;
  t: string;
  hf: string;
  ht: string;
}

interface PassageTerms {
  folded: Set<string>;
  toned: Set<string>;
  /** Adjacent syllable pairs ("san_pham"), folded. */
  pairs: Set<string>;
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

export class Retriever {
  readonly vocabulary: ReadonlySet<string>;
  private readonly index: MiniSearch<IndexedPassage>;
  private readonly passages: ReadonlyMap<string, Passage>;
  private readonly passageTerms = new Map<string, PassageTerms>();
  private readonly documentFrequency = new Map<string, number>();
  private readonly minCoverage: number;
  private readonly limit: number;
  private readonly correctionCache = new Map<string, string | null>();

  constructor(passages: readonly Passage[], { minCoverage = 0.55, limit = 5 }: RetrieverOptions = {}) {
    this.minCoverage = minCoverage;
    this.limit = limit;
    this.passages = new Map(passages.map((p) => [p.id, p]));
    this.index = new MiniSearch<IndexedPassage>({
      fields: ['f', 't', 'hf', 'ht'],
      storeFields: [],
      tokenize: (text) => (text ? text.split(' ') : []),
      processTerm: (term) => term,
      searchOptions: { tokenize: (text) => (text ? text.split(' ') : []), processTerm: (term) => term },
    });
    const vocabulary = new Set<string>();
    const docs: IndexedPassage[] = [];
    for (const p of passages) {
      const heading = analyze(`${p.heading}`, { mode: 'knowledge' });
      const body = analyze(`${p.text}`, { mode: 'knowledge' });
      const all = [...heading, ...body];
      const folded = new Set(all.map((t) => t.folded));
      const toned = new Set(all.map((t) => t.toned));
      const pairs = new Set([...bigrams(heading, 'folded'), ...bigrams(body, 'folded')]);
      this.passageTerms.set(p.id, { folded, toned, pairs });
      for (const w of folded) {
        vocabulary.add(w);
        this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
      }
      for (const w of toned) if (w !== fold(w)) this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
      docs.push({
        id: p.id,
        f: terms(body, 'folded').join(' '),
        t: terms(body, 'toned').join(' '),
        hf: terms(heading, 'folded').join(' '),
        ht: terms(heading, 'toned').join(' '),
      });
    }
    this.vocabulary = vocabulary;
    this.index.addAll(docs);
  }

  /** Inverse document frequency of a folded or toned term; unknown terms get the maximum. */
  idf(term: string): number {
    const n = this.passages.size;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + n / (df + 0.5));
  }

  /** True for a word found in more than a quarter of the passages. */
  private isCommon(t: Token): boolean {
    return (this.documentFrequency.get(t.folded) ?? 0) > this.passages.size / 4;
  }

  /** Analyses a user question: abbreviations, Telex, stopwords, then typo correction against the vocabulary. */
  analyzeQuery(text: string): QueryTerms {
    const tokens = analyze(text, { mode: 'chat', vocabulary: this.vocabulary });
    for (const t of tokens) {
      if (t.stop || t.accented || this.vocabulary.has(t.folded) || t.folded.length < 4 || /\d/.test(t.folded)) continue;
      const fixed = this.correct(t.folded);
      if (fixed) {
        t.folded = fixed;
        t.toned = fixed;
      }
    }
    const content = tokens.filter((t) => !t.stop);
    const folded = terms(tokens, 'folded');
    const toned = [
      ...content.filter((t) => t.accented && t.toned !== t.folded).map((t) => t.toned),
      ...bigrams(tokens, 'toned', true),
    ];
    return { tokens, content, folded, toned };
  }

  /** The most frequent known syllable one edit away, if any. */
  private correct(word: string): string | undefined {
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
    this.correctionCache.set(word, best ?? null);
    return best;
  }

  /**
   * IDF-weighted share of the query's content tokens that a passage contains. A syllable counts in full when
   * it stands alone or when one of its neighbouring pairs is also in the passage ("sản phẩm" as a word), and
   * half when the passage has it only as part of other words ("tổng" of "tổng kinh phí" for "tổng thống").
   */
  coverage(query: QueryTerms, passageId: string): number {
    const pt = this.passageTerms.get(passageId);
    if (!pt || query.content.length === 0) return 0;
    let total = 0;
    let found = 0;
    const seen = new Set<string>();
    const tokens = query.tokens;
    tokens.forEach((t, i) => {
      if (t.stop) return;
      const key = t.accented ? t.toned : t.folded;
      if (seen.has(key)) return;
      seen.add(key);
      // Names and figures the question hinges on ("Quảng Ninh", "2027") weigh double: a passage without them
      // answers another question.
      const w = this.idf(key) * (t.salient ? 2 : 1);
      total += w;
      if (!(t.accented ? pt.toned.has(t.toned) : pt.folded.has(t.folded))) return;
      // Neighbours that tie to anything (very common words such as "OCOP", unaccented question words) do
      // not make a phrase.
      const binding = (n: Token | undefined): n is Token =>
        n !== undefined && !n.stop && !(n.accented ? false : couldBeStopword(n.folded)) && !this.isCommon(n);
      const left = tokens[i - 1];
      const right = tokens[i + 1];
      const asWord = (!binding(left) && !binding(right))
        || (binding(left) && pt.pairs.has(`${left.folded}_${t.folded}`))
        || (binding(right) && pt.pairs.has(`${t.folded}_${right.folded}`));
      found += asWord ? w : w / 2;
    });
    return total ? found / total : 0;
  }

  search(text: string): RetrievalResult {
    const query = this.analyzeQuery(text);
    if (query.folded.length === 0) return { query, hits: [], confidence: 0, confident: false };
    const boostTerm = (term: string): number => (term.includes('_') ? 2.5 : 1);
    const fuzzy = (term: string): number | false => (term.length >= 6 && !term.includes('_') ? 1 : false);
    const subqueries: Query[] = [
      { queries: query.folded, fields: ['f', 'hf'], boost: { hf: 1.5 }, fuzzy, boostTerm },
      ...(query.toned.length ? [{ queries: query.toned, fields: ['t', 'ht'], boost: { t: 1.5, ht: 2 }, boostTerm }] : []),
    ];
    const results: SearchResult[] = this.index.search({ combineWith: 'OR', queries: subqueries });
    const hits: RetrievalHit[] = results.slice(0, this.limit).map((r) => ({
      passage: this.passages.get(r.id as string)!,
      score: r.score,
      coverage: this.coverage(query, r.id as string),
    }));
    // Among passages scored close to the best, prefer the one that covers more of the question.
    const top = hits[0];
    if (top) {
      const best = hits
        .filter((h) => h.score >= top.score * 0.75)
        .reduce((a, b) => (b.coverage > a.coverage + 0.15 ? b : a), top);
      if (best !== top) hits.splice(hits.indexOf(best), 1) && hits.unshift(best);
    }
    const confidence = hits[0]?.coverage ?? 0;
    return { query, hits, confidence, confident: confidence >= this.minCoverage };
  }
}
