/**
 * Groups the questions the assistant could not answer by what they are about, so editors see "asked 37
 * times, in these words" instead of 5000 lines.
 *
 * Similarity: each question becomes its set of content syllables, folded (no diacritics), after the chat
 * analysis of vietnamese.ts (Telex and VNI leftovers decoded, abbreviations such as "sp" and "htx"
 * expanded, stopwords and question phrases dropped), so the same question typed with or without accents,
 * in Telex or in shorthand gives the same set; a final y after a consonant is read as i (đăng ký / đăng kí). Two sets are compared with a weighted Jaccard measure:
 * Σ min(weight) / Σ max(weight), where a syllable weighs its inverse document frequency among the questions
 * grouped. Plain Jaccard would put "giá bán sản phẩm OCOP" with "quy trình đánh giá sản phẩm OCOP" (4 of 8
 * syllables shared) because nearly every question here says "sản phẩm OCOP"; weighted, the shared domain
 * words count little and the words that differ decide. An unaccented syllable that may also be a filler
 * word ("toi": tôi / tỏi, "ban": bạn / bán) counts half.
 *
 * Clustering is greedy and deterministic: distinct texts, most asked first, join the existing group whose
 * first (most asked) text is most similar, if at least the threshold, or start a new group. Comparing with
 * that one text rather than with everything the group gathered keeps groups from drifting.
 */
import { CHANNELS, type ChannelName } from '../conversation.js';
import { LABEL_WORDS as LABELS, STOP_PHRASES } from '../understanding/vocabulary.js';
import { analyze, couldBeStopword, type Token } from '../understanding/analyze.js';
import { fold, words } from '../text/vietnamese.js';

const LABEL_WORDS = new Set(LABELS);
import type { LoggedQuestion } from './question-log.js';

export interface QuestionGroup {
  /** The group's most asked wording (ties: the most recently asked). */
  representative: string;
  /** How many questions the group holds. */
  count: number;
  /** Other wordings in the group, most asked first, at most `maxExamples`. */
  examples: string[];
  /** The channels the questions came from, in CHANNELS order. */
  channels: ChannelName[];
  /** When the group's latest question was asked. */
  lastAt: number;
}

export interface GroupingOptions {
  /** Least similarity for a question to join a group, 0-1. */
  threshold?: number;
  /** How many other wordings each group shows. */
  maxExamples?: number;
  /** Folded syllables the knowledge base knows: never re-read as Telex (see `analyze`). */
  vocabulary?: ReadonlySet<string>;
}

export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_MAX_EXAMPLES = 5;

/** Weight of an unaccented syllable that may be a filler word in one of its readings. */
const UNCERTAIN_WEIGHT = 0.5;

/** One distinct wording: questions equal once lowercased, with punctuation and spacing ignored. */
interface Wording {
  key: string;
  /** As most recently typed (spacing collapsed). */
  display: string;
  count: number;
  lastAt: number;
  channels: Set<ChannelName>;
  /** Interned folded syllables, ascending, with their certainty (1, or UNCERTAIN_WEIGHT) and weight (certainty × idf). */
  terms: Int32Array;
  certainty: Float64Array;
  weights: Float64Array;
  total: number;
}

/** Question phrases ("bao nhieu"), by their first word. */
const PHRASES = new Map<string, string[][]>();
for (const phrase of STOP_PHRASES) {
  const ws = phrase.split(' ');
  PHRASES.set(ws[0]!, [...(PHRASES.get(ws[0]!) ?? []), ws]);
}

/** "ky" → "ki", "ly" → "li", "my" → "mi": both spellings are in use (đăng ký / đăng kí, kỹ / kĩ thuật). */
const spelling = (folded: string) => (/^[bcdghklmnprstvx]+y$/.test(folded) ? `${folded.slice(0, -1)}i` : folded);

/** A word as read for grouping: its folded syllables and whether each is filler. */
type Reading = readonly Pick<Token, 'folded' | 'accented' | 'stop'>[];

/**
 * The content syllables of a question (folded syllable → certainty). Each distinct word is analysed once
 * (`analyze(word, { mode: 'chat' })`, cached): analysing 5000 whole questions costs ~0.4 s, while their few
 * thousand distinct words take a few ms. The context a word-by-word reading would lose is restored:
 * question phrases ("bao nhiêu", "như thế nào") are marked here, and a single letter after a label word
 * ("phần A") is read together with that word. On the questions of test/fixtures in every typing variant,
 * this gives exactly the content syllables of `analyze(question, { mode: 'chat' })`.
 */
function termsOf(
  questionWords: string[],
  cache: Map<string, Reading>,
  vocabulary: ReadonlySet<string> | undefined,
): Map<string, number> {
  const read = (s: string) => analyze(s, vocabulary ? { mode: 'chat', vocabulary } : { mode: 'chat' });
  const tokens: Pick<Token, 'folded' | 'accented' | 'stop'>[] = [];
  let previous: string | undefined;
  for (const word of questionWords) {
    const labelled = word.length === 1 && previous !== undefined && LABEL_WORDS.has(fold(previous));
    const key = labelled ? `${previous} ${word}` : word;
    let reading = cache.get(key);
    if (!reading) {
      reading = labelled ? read(key).slice(read(previous!).length) : read(word);
      cache.set(key, reading);
    }
    for (const t of reading) tokens.push(t);
    previous = word;
  }
  const stop = tokens.map((t) => t.stop);
  for (let i = 0; i < tokens.length; i++) {
    for (const phrase of PHRASES.get(tokens[i]!.folded) ?? []) {
      if (phrase.every((w, k) => tokens[i + k]?.folded === w))
        for (let k = 0; k < phrase.length; k++) stop[i + k] = true;
    }
  }
  const terms = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (stop[i]) return;
    const certainty = !t.accented && couldBeStopword(t.folded) ? UNCERTAIN_WEIGHT : 1;
    const term = spelling(t.folded);
    terms.set(term, Math.max(terms.get(term) ?? 0, certainty));
  });
  // Nothing but filler ("gì vậy ạ"): compare the filler words.
  if (!terms.size) for (const t of tokens) terms.set(spelling(t.folded), 1);
  return terms;
}

/** Σ min / Σ max of two weighted sets (term ids ascending). */
function similarity(a: Wording, b: Wording): number {
  let min = 0;
  for (let i = 0, j = 0; i < a.terms.length && j < b.terms.length; ) {
    const x = a.terms[i]!;
    const y = b.terms[j]!;
    if (x === y) min += Math.min(a.weights[i++]!, b.weights[j++]!);
    else if (x < y) i++;
    else j++;
  }
  // Σ max = Σ a + Σ b − Σ min (for a shared term, min + max = both weights).
  const union = a.total + b.total - min;
  return union > 0 ? min / union : 0;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Most asked first, then most recent, then by text: a total order, so the result never depends on input order. */
const mostAsked = (a: Wording, b: Wording) => b.count - a.count || b.lastAt - a.lastAt || compareText(a.key, b.key);

/** Groups questions by similarity; the biggest groups first (ties: the most recently asked). */
export function groupQuestions(questions: readonly LoggedQuestion[], options: GroupingOptions = {}): QuestionGroup[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;

  const wordings = new Map<string, Wording>();
  const cache = new Map<string, Reading>();
  const termIds = new Map<string, number>();
  const df: number[] = [];
  for (const q of questions) {
    const display = q.text.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!display) continue;
    const questionWords = words(display);
    const key = questionWords.join(' ') || display.toLowerCase();
    let w = wordings.get(key);
    if (!w) {
      const terms = termsOf(questionWords, cache, options.vocabulary);
      // Nothing to compare at all (emoji, punctuation): only the identical text joins it.
      if (!terms.size) terms.set(`\u0000${key}`, 1);
      const ids = [...terms.keys()].map((term) => {
        let id = termIds.get(term);
        if (id === undefined) {
          id = termIds.size;
          termIds.set(term, id);
          df.push(0);
        }
        df[id]! += 1;
        return id;
      });
      const order = ids.map((_, i) => i).sort((i, j) => ids[i]! - ids[j]!);
      const certainties = [...terms.values()];
      w = {
        key,
        display,
        count: 0,
        lastAt: -Infinity,
        channels: new Set(),
        terms: Int32Array.from(order, (i) => ids[i]!),
        certainty: Float64Array.from(order, (i) => certainties[i]!),
        weights: new Float64Array(ids.length),
        total: 0,
      };
      wordings.set(key, w);
    }
    w.count += 1;
    w.channels.add(q.channel);
    if (q.at >= w.lastAt) {
      w.lastAt = q.at;
      w.display = display;
    }
  }

  // Inverse document frequency over the distinct wordings.
  const all = [...wordings.values()].sort(mostAsked);
  for (const w of all) {
    w.terms.forEach((id, i) => {
      w.weights[i] = w.certainty[i]! * (1 + Math.log((all.length + 1) / (df[id]! + 1)));
      w.total += w.weights[i]!;
    });
  }

  // Greedy clustering against each group's first wording. Candidates come from an index of those wordings'
  // terms, looked up with the query's heaviest terms only: a group sharing none of them cannot reach the
  // threshold, since the terms left weigh less than threshold × the query's weight ≤ threshold × Σ max.
  const seeds: Wording[] = [];
  const members: Wording[][] = [];
  const index: number[][] = Array.from({ length: termIds.size }, () => []);
  const seen = new Int32Array(all.length).fill(-1);
  all.forEach((w, n) => {
    const heaviest = [...w.terms.keys()].sort((i, j) => w.weights[j]! - w.weights[i]! || w.terms[i]! - w.terms[j]!);
    let remaining = w.total;
    const candidates: number[] = [];
    for (const i of heaviest) {
      if (remaining < threshold * w.total) break;
      remaining -= w.weights[i]!;
      for (const g of index[w.terms[i]!]!) {
        if (seen[g] === n) continue;
        seen[g] = n;
        candidates.push(g);
      }
    }
    candidates.sort((a, b) => a - b);
    let best = -1;
    let bestScore = threshold;
    for (const g of candidates) {
      const score = similarity(w, seeds[g]!);
      if (score > bestScore || (score === bestScore && best === -1)) {
        best = g;
        bestScore = score;
      }
    }
    if (best >= 0) {
      members[best]!.push(w);
      return;
    }
    for (const id of w.terms) index[id]!.push(seeds.length);
    seeds.push(w);
    members.push([w]);
  });

  const groups = members.map((list): QuestionGroup => {
    // `all` was sorted most asked first, so each list is too: the representative is its first wording.
    const [first, ...others] = list;
    const channels = new Set(list.flatMap((w) => [...w.channels]));
    return {
      representative: first!.display,
      count: list.reduce((n, w) => n + w.count, 0),
      examples: others.slice(0, maxExamples).map((w) => w.display),
      channels: CHANNELS.filter((c) => channels.has(c)),
      lastAt: Math.max(...list.map((w) => w.lastAt)),
    };
  });
  return groups.sort(
    (a, b) => b.count - a.count || b.lastAt - a.lastAt || compareText(a.representative, b.representative),
  );
}
