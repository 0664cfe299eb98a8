/**
 * `npm run fit:ranking`: fits the ranking weights (RANKING_WEIGHTS) and the gate (GATE) on the TUNING sets only —
 * test/fixtures/questions (passage labels, each question typed 8 ways) and the questions.jsonl of every tuning set
 * (answer facts) — by coordinate ascent on the share of questions answered right, abstentions included. Prints
 * the weights found and their tuning accuracy beside the current weights'; the held-out sets are not read.
 * Paste what it prints into src/core/knowledge/ranking.ts when it is better, then check the held-out figures.
 */
import { namedIn } from '../src/core/knowledge/retriever.js';
import { createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { GATE, rank, RANKING_WEIGHTS, type Features } from '../src/core/knowledge/ranking.js';
import { SentenceIndex } from '../src/core/knowledge/sentences.js';
import { containsAll } from '../test/support/grade.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadJsonl, SET_NAMES, type QuestionItem } from '../test/support/evaluate.js';
import { FIXTURES, loadQuestions } from '../test/support/questions.js';
import { generateVariants } from '../test/support/variants.js';

const { answerer } = createAssistant(parseConfig({ LOG_LEVEL: 'silent', DATA_DIR: ':memory:' }), silentLogger);
const sentences = new SentenceIndex();

interface Case {
  /** Features of each candidate, and whether answering from it is right. */
  candidates: { features: Features; right: boolean; hard: boolean }[];
  /** True when the right thing is to abstain. */
  abstain: boolean;
}

const cases: Case[] = [];
function addCase(q: string, judge: (passageId: string, body: string) => boolean, abstain: boolean): void {
  const reading = answerer.reader.read(q);
  if (reading.outOfScope || reading.answerTypes.includes('group')) return; // not decided by ranking
  const query = answerer.retriever.queryTerms(reading.tokens);
  const ranked = rank(
    reading,
    query,
    answerer.retriever.search(query, namedIn(reading.entities)),
    answerer.retriever,
    sentences,
  );
  cases.push({
    abstain,
    candidates: ranked.map((r) => ({
      features: r.features,
      hard: r.hardConflict,
      right: !abstain && judge(r.profile.passage.id, answerer.compose(reading, query, r.profile.passage)),
    })),
  });
}

const { answerable, offTopic } = loadQuestions();
for (const v of generateVariants([...answerable, ...offTopic]))
  addCase(v.q, (id) => v.ids.includes(id), v.ids.length === 0);
// Every tuning set with questions (the held-out one is never read).
const questionSets = SET_NAMES.filter((set) => set !== 'heldout' && existsSync(join(FIXTURES, set, 'questions.jsonl')));
for (const set of questionSets) {
  for (const item of loadJsonl<QuestionItem>(set, 'questions.jsonl')) {
    addCase(item.q, (_id, body) => containsAll(body, item.must) === undefined, item.kind === 'abstain');
  }
}
const fitWeights = !process.argv.includes('--gate-only');

type Weights = Record<keyof Features, number>;
type Gate = { minCoverage: number; minExample: number; exampleMinCoverage: number; minScore: number };

function accuracy(w: Weights, g: Gate): number {
  let ok = 0;
  for (const c of cases) {
    let best: Case['candidates'][number] | undefined;
    let bestScore = -Infinity;
    const anyMatch = c.candidates.some((x) => !x.hard && x.features.entityMatch > 0);
    for (const x of c.candidates) {
      if (anyMatch && x.hard) continue;
      const s = (Object.keys(w) as (keyof Features)[]).reduce((sum, k) => sum + w[k] * x.features[k], 0);
      if (s > bestScore) {
        bestScore = s;
        best = x;
      }
    }
    const answers =
      best !== undefined &&
      !best.hard &&
      (best.features.coverage >= g.minCoverage ||
        (best.features.example >= g.minExample && best.features.coverage >= g.exampleMinCoverage) ||
        bestScore >= g.minScore);
    if (c.abstain ? !answers : answers && best!.right) ok += 1;
  }
  return ok / cases.length;
}

let weights: Weights = { ...RANKING_WEIGHTS };
let gate: Gate = {
  minCoverage: GATE.minCoverage,
  minExample: GATE.minExample,
  exampleMinCoverage: GATE.exampleMinCoverage,
  minScore: GATE.minScore,
};
const start = accuracy(weights, gate);
let best = start;
for (let round = 0; round < 4; round++) {
  for (const k of fitWeights ? (Object.keys(weights) as (keyof Features)[]) : []) {
    for (const f of [0, 0.25, 0.5, 0.75, 1.25, 1.5, 2, 3]) {
      const trial = { ...weights, [k]: Math.round(weights[k] * f * 100) / 100 || (f === 0 ? 0 : 0.25) };
      const a = accuracy(trial, gate);
      if (a > best + 1e-9) {
        best = a;
        weights = trial;
      }
    }
  }
  for (const k of Object.keys(gate) as (keyof Gate)[]) {
    const values =
      k === 'minScore'
        ? Array.from({ length: 41 }, (_, i) => 6 + i * 0.25)
        : Array.from({ length: 33 }, (_, i) => 0.1 + i * 0.025);
    for (const v of values) {
      const trial = { ...gate, [k]: Math.round(v * 100) / 100 };
      const a = accuracy(weights, trial);
      if (a > best + 1e-9) {
        best = a;
        gate = trial;
      }
    }
  }
}
console.log(
  `${cases.length} tuning cases; accuracy with the current weights ${(100 * start).toFixed(1)}%, fitted ${(100 * best).toFixed(1)}%`,
);
console.log('RANKING_WEIGHTS', JSON.stringify(weights));
console.log('GATE', JSON.stringify(gate));
