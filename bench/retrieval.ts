/**
 * Retrieval benchmark: over generated question variants (no diacritics, capitals, abbreviations, Telex,
 * typos, fillers), the accuracy and latency of our answer path, and in the same run, over the same passages,
 * plain MiniSearch with default options.
 *
 * Accuracy: an answerable question counts when the cited passage is one of its labelled passages (or, for a
 * product question, when the classifier names the labelled group); an off-topic question counts when the
 * system abstains (MiniSearch abstains only when it finds nothing).
 */
import MiniSearch from 'minisearch';
import { performance } from 'node:perf_hooks';
import type { Answerer } from '../src/core/knowledge/answerer.js';
import type { Passage } from '../src/core/knowledge/knowledge-base.js';
import { generateVariants, type LabelledQuestion, type Variant } from '../test/support/variants.js';

export interface PathResult {
  name: string;
  accuracy: number;
  answerableAccuracy: number;
  offTopicAccuracy: number;
  medianMs: number;
  p99Ms: number;
  byKind: Record<string, number>;
  failures: { q: string; expected: string[]; got: string }[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function measure(
  name: string,
  variants: Variant[],
  run: (q: string) => string | undefined,
  isCorrect: (v: Variant, got: string | undefined) => boolean,
): PathResult {
  const times: number[] = [];
  let ok = 0;
  let okAnswerable = 0;
  let okOff = 0;
  const kindTotals: Record<string, [number, number]> = {};
  const failures: PathResult['failures'] = [];
  for (const v of variants) {
    const t0 = performance.now();
    const got = run(v.q);
    times.push(performance.now() - t0);
    const good = isCorrect(v, got);
    const k = (kindTotals[v.kind] ??= [0, 0]);
    k[1] += 1;
    if (good) {
      ok += 1;
      k[0] += 1;
      if (v.ids.length) okAnswerable += 1;
      else okOff += 1;
    } else if (failures.length < 400) failures.push({ q: v.q, expected: v.ids, got: got ?? '(abstained)' });
  }
  times.sort((a, b) => a - b);
  const answerable = variants.filter((v) => v.ids.length).length;
  return {
    name,
    accuracy: ok / variants.length,
    answerableAccuracy: okAnswerable / answerable,
    offTopicAccuracy: okOff / (variants.length - answerable || 1),
    medianMs: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    byKind: Object.fromEntries(Object.entries(kindTotals).map(([k, [a, b]]) => [k, a / b])),
    failures,
  };
}

export function correctFor(v: Variant, got: string | undefined): boolean {
  if (v.ids.length === 0) return got === undefined;
  if (got === undefined) return false;
  if (got.startsWith('group:')) {
    // A classification answers a question about product groups; with a labelled group, it must name it.
    if (v.group) return got === `group:${v.group}`;
    return v.ids.some((id) => /^(phan-loai-san-pham|nhom-san-pham)#/.test(id));
  }
  return v.ids.includes(got);
}

/** Our path: the full extractive answerer (classifier, retrieval, confidence, sentence choice). */
export function ourPath(answerer: Answerer): (q: string) => string | undefined {
  return (q) => {
    const a = answerer.answer(q);
    if (a.abstained) return undefined;
    if (a.category) return `group:${a.category.code}`;
    return a.sources[0]?.id;
  };
}

/** The plain baseline: MiniSearch with default options over title and text. */
export function plainMiniSearch(passages: readonly Passage[]): (q: string) => string | undefined {
  const ms = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'] });
  ms.addAll(passages.map((p) => ({ id: p.id, title: `${p.docTitle} ${p.heading}`, text: p.text })));
  return (q) => ms.search(q)[0]?.id as string | undefined;
}

export function runRetrievalBench(
  answerer: Answerer,
  passages: readonly Passage[],
  questions: LabelledQuestion[],
  seed = 2026,
): { variants: Variant[]; ours: PathResult; plain: PathResult } {
  const variants = generateVariants(questions, seed);
  const ours = ourPath(answerer);
  const plain = plainMiniSearch(passages);
  // Warm both up so JIT compilation is not measured.
  for (const v of variants.slice(0, 50)) {
    ours(v.q);
    plain(v.q);
  }
  return {
    variants,
    ours: measure('ours', variants, ours, correctFor),
    plain: measure('plain MiniSearch', variants, plain, correctFor),
  };
}
