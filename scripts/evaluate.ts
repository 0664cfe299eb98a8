/**
 * `npm run eval:sets [-- --failures]`: the labelled sets through the assistant, tuning and held-out side by side,
 * per way of typing. Failures are listed for the tuning sets only: the held-out sets are measured, never read.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, createAssistant } from '../src/app.js';
import { FIXTURES } from '../test/support/questions.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import {
  loadJsonl,
  runDialogues,
  runQuestions,
  runRequests,
  SET_NAMES,
  HELD_OUT_SETS,
  share,
  type DialogueItem,
  type QuestionItem,
  type RequestItem,
  type SetResult,
} from '../test/support/evaluate.js';

const config = parseConfig({
  LOG_LEVEL: 'silent',
  // Measuring writes nothing into the repository's ./data (each run's new users would pile up there).
  DATA_DIR: ':memory:',
  RETRIEVAL_MIN_CONFIDENCE: process.env.RETRIEVAL_MIN_CONFIDENCE,
});
const assistant = createAssistant(config, silentLogger);
const showFailures = process.argv.includes('--failures');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const pct = (x: { passed: number; total: number }) => `${(100 * share(x)).toFixed(1)}% (${x.passed}/${x.total})`;

function line(name: string, r: SetResult): string {
  return `${name.padEnd(22)} ${pct(r).padEnd(18)} written ${pct(r.byTyping.written).padEnd(18)} phone ${pct(r.byTyping.phone)}`;
}

if (!only || only === 'fixtures') {
  // The older labelled questions (test/fixtures/questions, tuned on), each typed 8 ways, graded by the cited passage.
  const { loadQuestions } = await import('../test/support/questions.js');
  const { runRetrievalBench } = await import('../bench/retrieval.js');
  const { answerable, offTopic } = loadQuestions();
  const { ours } = runRetrievalBench(assistant.answerer, assistant.kb.passages, [...answerable, ...offTopic]);
  console.log(
    `# fixtures (tuning, 8 ways of typing): ${(100 * ours.accuracy).toFixed(1)}% (answerable ${(100 * ours.answerableAccuracy).toFixed(1)}%, off-topic ${(100 * ours.offTopicAccuracy).toFixed(1)}%)  p99 ${ours.p99Ms.toFixed(2)} ms`,
  );
  console.log(
    `  ${Object.entries(ours.byKind)
      .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}`)
      .join('  ')}`,
  );
}

for (const set of SET_NAMES) {
  const rows: [string, SetResult][] = [];
  const has = (file: string) => existsSync(join(FIXTURES, set, file));
  if ((!only || only === 'questions') && has('questions.jsonl'))
    rows.push(['questions', runQuestions(assistant.answerer, loadJsonl<QuestionItem>(set, 'questions.jsonl'))]);
  if ((!only || only === 'requests') && has('requests.jsonl'))
    rows.push([
      'requests',
      await runRequests(createApp(config, silentLogger, assistant), loadJsonl<RequestItem>(set, 'requests.jsonl')),
    ]);
  if ((!only || only === 'dialogues') && has('dialogues.jsonl'))
    rows.push([
      'dialogues',
      await runDialogues(createApp(config, silentLogger, assistant), loadJsonl<DialogueItem>(set, 'dialogues.jsonl')),
    ]);
  console.log(`# ${set}`);
  for (const [name, r] of rows) console.log(line(name, r));
  if (showFailures && !HELD_OUT_SETS.includes(set)) {
    for (const [name, r] of rows)
      for (const f of r.failures)
        console.log(`  ${name} ${f.id}: ${f.input}\n      ${f.why}\n      → ${f.got?.replace(/\n/g, ' ')}`);
  }
}
