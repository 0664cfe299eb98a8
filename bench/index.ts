/**
 * `npm run bench`: every benchmark of the project, each against a plain baseline measured in the same run.
 * Prints what it measured; writes the details to .bench-out/ for inspection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { loadQuestions } from '../test/support/questions.js';
import { runRetrievalBench, type PathResult } from './retrieval.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

function row(r: PathResult): string {
  return `${r.name.padEnd(18)} accuracy ${pct(r.accuracy).padStart(6)} (answerable ${pct(r.answerableAccuracy)}, off-topic ${pct(r.offTopicAccuracy)})  median ${ms(r.medianMs)}  p99 ${ms(r.p99Ms)}`;
}

const { answerer, kb } = createAssistant(parseConfig({ LOG_LEVEL: 'silent' }), silentLogger);
const { answerable, offTopic } = loadQuestions();
const { variants, ours, plain } = runRetrievalBench(answerer, kb.passages, [...answerable, ...offTopic]);

console.log(`# Retrieval: ${variants.length} question variants (${answerable.length + offTopic.length} questions × 8 ways of typing), ${kb.passages.length} passages, one core`);
console.log(row(ours));
console.log(row(plain));
console.log(`accuracy ratio ours/plain: ${(ours.accuracy / plain.accuracy).toFixed(2)}×   p99 target < 10 ms: ${ours.p99Ms < 10 ? 'met' : 'NOT met'}`);
console.log('by way of typing (ours / plain):');
for (const kind of Object.keys(ours.byKind)) console.log(`  ${kind.padEnd(14)} ${pct(ours.byKind[kind]!).padStart(6)} / ${pct(plain.byKind[kind]!).padStart(6)}`);

mkdirSync('.bench-out', { recursive: true });
writeFileSync('.bench-out/retrieval-failures.json', JSON.stringify({ ours: ours.failures, plain: plain.failures.slice(0, 50) }, null, 2));
