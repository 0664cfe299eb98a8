/**
 * Grounded answers: the direct answer first (the sentence of the best passage that best fits the question),
 * then one or two supporting sentences of the same passage, then the source. Product questions go through
 * the classifier. When retrieval is not confident, the answer is an abstention, never a guess.
 */
import type { Messages } from '../messages.js';
import { format } from '../messages.js';
import type { SourceLink } from '../conversation.js';
import { ProductClassifier, parseCategoryTable, type Classification, type GroupQuestion, type ProductCategory } from './classifier.js';
import { formatSource, type KnowledgeBase, type Passage } from './knowledge-base.js';
import { Retriever, type QueryTerms, type RetrievalHit, type RetrieverOptions } from './retriever.js';
import { analyze, foldText } from '../text/vietnamese.js';

export interface Answer {
  question: string;
  /** Plain text, ready to show; ends with the source line(s) unless abstained. */
  text: string;
  /** The answer without the source lines. */
  body: string;
  sources: SourceLink[];
  abstained: boolean;
  /** The passages retrieved, best first (also when abstaining), for the LLM and for diagnostics. */
  passages: Passage[];
  kind: 'retrieval' | 'classification' | 'abstain';
  confidence: number;
  /** For a classification: the category named. */
  category?: ProductCategory;
  /** An abstention on a product-group question that names no product the table knows: ask which product. */
  needsProduct?: boolean;
}

/** Something that may rephrase a grounded answer (an LLM); returns undefined to keep the extractive one. */
export interface AnswerRephraser {
  rephrase(input: { question: string; draft: string; passages: Passage[] }): Promise<{ text: string; citedIds: string[] } | undefined>;
}

export const CLASSIFICATION_TABLE_ID = 'phan-loai-san-pham#bang-phan-loai';
/** Data sections listing place names, one per line ("- Xã Quảng Lâm"). */
export const PLACE_LIST_IDS = ['don-vi-hanh-chinh-cao-bang#danh-sach', 'don-vi-hanh-chinh-cao-bang#dia-danh-khac'];

/** Place names from the knowledge base, without their "Xã/Phường/Huyện/Tỉnh" prefix. */
export function placeNames(kb: KnowledgeBase): string[] {
  return PLACE_LIST_IDS.flatMap((id) => kb.data.get(id)?.body.split('\n') ?? [])
    .map((l) => l.replace(/^\s*-\s*/, '').replace(/^(xã|phường|huyện|tỉnh|thành phố)\s+/iu, '').trim())
    .filter(Boolean);
}

/** Words of a group question that name no product. */
const GROUP_QUESTION_WORDS = new Set(['san', 'pham', 'nhom', 'nganh', 'thuoc', 'ocop', 'cua', 'toi', 'em', 'minh', 'nha', 'phan', 'xep', 'vao', 'loai']);

type Intent = 'number' | 'date' | 'who' | 'duration' | 'list';

const INTENT_CUES: Record<Intent, string[]> = {
  number: ['bao nhieu', 'may', 'bn', 'so luong', 'muc', 'toi da', 'it nhat', 'con so'],
  date: ['ngay nao', 'khi nao', 'nam nao', 'bao gio', 'luc nao', 'ngay bao nhieu', 'thang nao', 'tu khi nao', 'ngay'],
  who: ['ai', 'co quan nao', 'so nao', 'don vi nao', 'cap nao', 'o dau', 'noi nao', 'cho ai', 'chu tri', 'phu trach'],
  duration: ['bao lau', 'thoi han', 'may nam', 'may thang', 'co han', 'hieu luc', 'het han'],
  list: ['gom', 'nhung gi', 'nhung nao', 'cac buoc', 'bao gom', 'nhung giay to', 'can gi', 'can nhung'],
};

const INTENT_EVIDENCE: Record<Intent, RegExp> = {
  // A quantity: a number that is not a year or part of a date, followed by what it counts.
  number: /(?<![\d/])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?\s*(?:-\s*\d+\s*)?\p{L}/u,
  date: /\d{1,2}\/\d{1,2}\/\d{4}|\b(19|20)\d{2}\b/,
  who: /\b(UBND|Ủy ban|Sở|Bộ|Hội đồng|Văn phòng|xã|phường|tỉnh|trung ương|Thủ tướng|cán bộ)\b/iu,
  duration: /\d+\s*(tháng|năm|ngày)/iu,
  list: /:\n- |; /,
};

interface Sentence {
  text: string;
  index: number;
}

/** Splits a passage into quotable units: sentences, with a list kept together with the line introducing it. */
export function splitSentences(text: string): Sentence[] {
  const out: string[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim());
    let current: string | undefined;
    for (const line of lines) {
      if (/^\s*[-*•]\s+/.test(line) && current !== undefined && /:\s*$|\n- /.test(current)) {
        current += `\n- ${line.replace(/^\s*[-*•]\s+/, '')}`;
        continue;
      }
      if (current !== undefined) out.push(current);
      current = undefined;
      const parts = line.replace(/^\s*[-*•]\s+/, '').split(/(?<=[.!?])\s+(?=[\p{Lu}\d«"(])/u);
      const last = parts.pop();
      out.push(...parts);
      current = last;
    }
    if (current !== undefined) out.push(current);
  }
  return out.map((s) => s.trim()).filter(Boolean).map((s, index) => ({ text: s, index }));
}

function intentsOf(question: string): Intent[] {
  const f = ` ${foldText(question)} `;
  return (Object.keys(INTENT_CUES) as Intent[]).filter((k) => INTENT_CUES[k].some((c) => f.includes(` ${c} `)));
}

/** How a passage is cited to channels. */
export function toSourceLink(p: Passage): SourceLink {
  return { id: p.id, title: `${p.docTitle} — ${p.heading}`, doc: p.source.doc, date: p.source.date, url: p.source.url };
}

export interface AnswererOptions extends RetrieverOptions {
  /** Longest answer body before the source line, in characters. */
  maxBodyLength?: number;
}

export class Answerer {
  readonly retriever: Retriever;
  readonly classifier?: ProductClassifier;
  private readonly maxBodyLength: number;
  private readonly sentenceCache = new Map<string, { folded: Set<string>; toned: Set<string>; pairs: Set<string> }>();
  private readonly sentenceSplits = new Map<string, Sentence[]>();

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly messages: Messages,
    { maxBodyLength = 700, ...retrieverOptions }: AnswererOptions = {},
  ) {
    this.retriever = new Retriever(kb.passages, retrieverOptions);
    const table = kb.data.get(CLASSIFICATION_TABLE_ID);
    if (table) this.classifier = new ProductClassifier(parseCategoryTable(table.body), placeNames(kb));
    this.maxBodyLength = maxBodyLength;
  }

  /** The extractive answer to one question. Pure and synchronous. */
  answer(question: string): Answer {
    const groupQuestion = this.classifier?.questionKind(question);
    const classified = groupQuestion ? this.classify(question, groupQuestion) : undefined;
    if (classified) return classified;
    const result = this.retriever.search(question);
    const passages = result.hits.map((h) => h.passage);
    const abstain = (): Answer => ({ ...this.abstain(question, passages, result.confidence), needsProduct: groupQuestion === 'group' });
    if (!result.confident || !result.hits[0]) return abstain();
    // "Sản phẩm của tôi thuộc nhóm nào?" names no product: nothing to look up.
    if (groupQuestion === 'group' && result.query.content.every((t) => GROUP_QUESTION_WORDS.has(t.folded))) return abstain();
    const top = this.rerank(question, result.query, result.hits);
    const body = this.compose(question, result.query, top.passage);
    const sources = [toSourceLink(top.passage)];
    return {
      question,
      body,
      text: this.withSources(body, [top.passage]),
      sources,
      abstained: false,
      passages,
      kind: 'retrieval',
      confidence: result.confidence,
    };
  }

  abstain(question: string, passages: Passage[] = [], confidence = 0): Answer {
    return { question, text: this.messages.abstain, body: this.messages.abstain, sources: [], abstained: true, passages, kind: 'abstain', confidence };
  }

  /** Appends "Nguồn: ..." lines, and the caution for passages known only from secondary sources. */
  withSources(body: string, passages: readonly Passage[]): string {
    const lines = [body, ''];
    if (passages.some((p) => p.confidence === 'verified-2nd')) lines.splice(1, 0, this.messages.caution_secondary);
    const seen = new Set<string>();
    for (const p of passages) {
      const line = formatSource(p.source);
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(`${this.messages.source_label}: ${line}`);
    }
    return lines.join('\n');
  }

  private classify(question: string, kind: GroupQuestion): Answer | undefined {
    if (!this.classifier) return undefined;
    const found: Classification | undefined = this.classifier.classify(question, kind);
    if (!found) return undefined;
    const { category } = found;
    const tableDoc = this.kb.docs.find((d) => `${d.meta.id}#bang-phan-loai` === CLASSIFICATION_TABLE_ID);
    const explainer = tableDoc?.passages[0];
    const product = found.matched.includes(' ') || /[^\x00-\x7f]/.test(found.matched)
      ? found.matched.charAt(0).toUpperCase() + found.matched.slice(1)
      : this.classifier.productPhrase(question, found.matched);
    const subgroup = category.subgroup && category.subgroup !== category.group
      ? format(this.messages.classify_subgroup, { subgroup: category.subgroup })
      : '';
    const lines = [
      format(this.messages.classify_answer, { product, sector: category.sector, group: category.group, subgroup, code: category.code }),
    ];
    if (foldText(category.group2019) !== foldText(category.sector)) {
      lines.push(format(this.messages.classify_2019, { group2019: category.group2019 }));
    }
    lines.push(this.messages.classify_note);
    const body = lines.join(' ');
    const cited = explainer ? [explainer] : [];
    return {
      question,
      body,
      text: this.withSources(body, cited),
      sources: cited.map(toSourceLink),
      abstained: false,
      passages: cited,
      kind: 'classification',
      confidence: 1,
      category,
    };
  }

  /**
   * Among passages that retrieval scored close to the best, picks the one whose best sentence fits the question
   * best (its words, its phrases, and the kind of answer asked for: a number, a date, an agency...).
   */
  private rerank(question: string, query: QueryTerms, hits: readonly RetrievalHit[]): RetrievalHit {
    const first = hits[0]!;
    const intents = intentsOf(question);
    let best = first;
    let bestValue = -Infinity;
    for (const h of hits.slice(0, 4)) {
      if (h.score < first.score * 0.5 || h.coverage < first.coverage - 0.1) continue;
      const sentence = Math.max(...this.sentencesOf(h.passage.text).map((s) => this.scoreSentence(s, query, intents)));
      // The heading says what question the passage answers.
      const heading = this.scoreSentence({ text: h.passage.heading, index: 1 }, query, []);
      const value = 8 * (h.score / first.score) + 10 * h.coverage + sentence + heading;
      // Retrieval's own first choice keeps its place unless another passage fits clearly better.
      const margin = h === first ? 2 : 0;
      if (value + margin > bestValue) {
        best = h;
        bestValue = value + margin;
      }
    }
    return best;
  }

  /** Best-fitting sentence first, then up to two more from the same passage in their original order. */
  private compose(question: string, query: QueryTerms, passage: Passage): string {
    const sentences = this.sentencesOf(passage.text);
    const intents = intentsOf(question);
    const scored = sentences.map((s) => ({ s, score: this.scoreSentence(s, query, intents) }));
    const best = scored.reduce((a, b) => (b.score > a.score ? b : a), scored[0]!);
    const chosen: Sentence[] = [best.s];
    let length = best.s.text.length;
    const rest = scored
      .filter((x) => x !== best)
      .sort((a, b) => b.score - a.score || a.s.index - b.s.index);
    // Support: the passage's opening sentence (it states the topic) and the best-scoring others.
    const opening = rest.find((x) => x.s.index === 0);
    const order = opening ? [opening, ...rest.filter((x) => x !== opening)] : rest;
    for (const x of order) {
      if (chosen.length >= 3) break;
      if (x.score <= 0 && x.s.index !== 0 && x.s.index !== best.s.index + 1) continue;
      if (length + x.s.text.length > this.maxBodyLength) continue;
      chosen.push(x.s);
      length += x.s.text.length;
    }
    const [first, ...support] = chosen;
    support.sort((a, b) => a.index - b.index);
    return [first!, ...support].map((s) => s.text).join('\n');
  }

  private sentencesOf(text: string): Sentence[] {
    let sentences = this.sentenceSplits.get(text);
    if (!sentences) {
      sentences = splitSentences(text);
      this.sentenceSplits.set(text, sentences);
    }
    return sentences;
  }

  /** A sentence's words and word pairs, analysed once (the knowledge base does not change while running). */
  private sentenceTerms(text: string): { folded: Set<string>; toned: Set<string>; pairs: Set<string> } {
    let terms = this.sentenceCache.get(text);
    if (!terms) {
      const tokens = analyze(text, { mode: 'knowledge' });
      const pairs = new Set<string>();
      for (let i = 0; i + 1 < tokens.length; i++) pairs.add(`${tokens[i]!.folded}_${tokens[i + 1]!.folded}`);
      terms = { folded: new Set(tokens.map((t) => t.folded)), toned: new Set(tokens.map((t) => t.toned)), pairs };
      this.sentenceCache.set(text, terms);
    }
    return terms;
  }

  private scoreSentence(sentence: Sentence, query: QueryTerms, intents: Intent[]): number {
    const { folded, toned, pairs } = this.sentenceTerms(sentence.text);
    let score = 0;
    const seen = new Set<string>();
    for (const t of query.content) {
      const key = t.accented ? t.toned : t.folded;
      if (seen.has(key)) continue;
      seen.add(key);
      if (t.accented ? toned.has(t.toned) : folded.has(t.folded)) score += this.retriever.idf(key);
    }
    for (const b of query.folded) if (b.includes('_') && pairs.has(b)) score += 1.5;
    for (const intent of intents) if (INTENT_EVIDENCE[intent].test(sentence.text)) score += 2;
    if (sentence.index === 0) score += 0.5;
    return score;
  }
}
