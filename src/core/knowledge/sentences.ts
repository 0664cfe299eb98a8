/**
 * The quotable units of a passage: sentences, a list kept with the line introducing it, and the items of a
 * list ("(1) …; (2) …" or "- …" lines). A dot after an abbreviation ("TP. Hồ Chí Minh") never ends a sentence.
 */
import { analyze } from '../understanding/analyze.js';
import { CONTINUATION_OPENERS, DOTTED_ABBREVIATIONS } from '../understanding/vocabulary.js';
import { fold } from '../text/vietnamese.js';

export interface Sentence {
  text: string;
  /** Position in the passage. */
  index: number;
  /** Starts mid-thought ("Vì vậy, …", "Ví dụ: …"): never quoted first, nor without the sentence before it. */
  continues: boolean;
  /** Folded words, toned words and folded word pairs. */
  folded: Set<string>;
  toned: Set<string>;
  pairs: Set<string>;
}

const ABBREVIATION_END = new RegExp(
  `(?:^|[\\s(])(?:${DOTTED_ABBREVIATIONS.map((a) => a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`,
  'u',
);
const OPENERS = CONTINUATION_OPENERS.map((o) => o.split(' ')).sort((a, b) => b.length - a.length);

/** Splits a line into sentences at ". " + capital or digit, except after an abbreviation. */
function splitLine(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of line.matchAll(/[.!?]\s+(?=[\p{Lu}\d«"(])/gu)) {
    const before = line.slice(start, m.index);
    if (m[0].startsWith('.') && ABBREVIATION_END.test(before)) continue;
    parts.push(line.slice(start, m.index + 1));
    start = m.index + m[0].length;
  }
  parts.push(line.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function continues(text: string): boolean {
  const words = fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return OPENERS.some((o) => o.every((w, k) => words[k] === w));
}

/** Splits a passage into quotable units: sentences, with a list kept together with the line introducing it. */
export function splitSentences(text: string): Sentence[] {
  const out: string[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const lines = block
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.trim());
    let current: string | undefined;
    for (const line of lines) {
      if (/^\s*[-*•]\s+/.test(line) && current !== undefined && /:\s*$|\n- /.test(current)) {
        current += `\n- ${line.replace(/^\s*[-*•]\s+/, '')}`;
        continue;
      }
      if (current !== undefined) out.push(current);
      current = undefined;
      const parts = splitLine(line.replace(/^\s*[-*•]\s+/, ''));
      const last = parts.pop();
      out.push(...parts);
      current = last;
    }
    if (current !== undefined) out.push(current);
  }
  return out
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, index) => {
      const tokens = analyze(s, { mode: 'knowledge' });
      const pairs = new Set<string>();
      for (let i = 0; i + 1 < tokens.length; i++) pairs.add(`${tokens[i]!.folded}_${tokens[i + 1]!.folded}`);
      return {
        text: s,
        index,
        continues: index > 0 && continues(s),
        folded: new Set(tokens.map((t) => t.folded)),
        toned: new Set(tokens.map((t) => t.toned)),
        pairs,
      };
    });
}

export interface ListParts {
  /** The words before the items ("Chu trình OCOP gồm 6 bước"). */
  intro: string;
  items: string[];
}

/** The items of a list sentence: "- …" lines, "(1) …; (2) …", or "…: a; b; c". Undefined when it is no list. */
export function listItems(sentence: string): ListParts | undefined {
  if (sentence.includes('\n- ')) {
    const [intro, ...items] = sentence.split('\n- ');
    return { intro: intro!.replace(/:\s*$/, '').trim(), items: items.map((i) => i.replace(/[;.]\s*$/, '').trim()) };
  }
  const numbered = sentence.split(/\s*\(\d{1,2}\)\s*/);
  if (numbered.length >= 3) {
    return {
      intro: numbered[0]!.replace(/:\s*$/, '').trim(),
      items: numbered.slice(1).map((i) => i.replace(/[;.,]\s*$/, '').trim()),
    };
  }
  const colon = sentence.indexOf(':');
  if (colon > 0) {
    const items = sentence
      .slice(colon + 1)
      .split(';')
      .map((i) => i.replace(/\.\s*$/, '').trim())
      .filter(Boolean);
    if (items.length >= 3) return { intro: sentence.slice(0, colon).trim(), items };
  }
  return undefined;
}

/** Sentences of passages, split and analysed once (the knowledge base does not change while running). */
export class SentenceIndex {
  private readonly cache = new Map<string, Sentence[]>();

  of(text: string): Sentence[] {
    let s = this.cache.get(text);
    if (!s) {
      s = splitSentences(text);
      this.cache.set(text, s);
    }
    return s;
  }
}
