/**
 * `npm run bench`: every benchmark of the project, each against a plain baseline measured in the same run.
 * Prints what it measured; writes the details to .bench-out/ for inspection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createApp, createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { loadQuestions } from '../test/support/questions.js';
import { SET_NAMES } from '../test/support/evaluate.js';
import { runRetrievalBench, type PathResult } from './retrieval.js';
import { runChannelBench, type LoadResult } from './channels.js';
import { runBroadcastBench } from './broadcast.js';
import { runLanguageBench, type Figures } from './language.js';
import { runGroupingBench } from './grouping.js';
import { runOutageBench } from './outage.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

function row(r: PathResult): string {
  return `${r.name.padEnd(18)} accuracy ${pct(r.accuracy).padStart(6)} (answerable ${pct(r.answerableAccuracy)}, off-topic ${pct(r.offTopicAccuracy)})  median ${ms(r.medianMs)}  p99 ${ms(r.p99Ms)}`;
}

// `npm run bench -- channels` (or retrieval, language, grouping, broadcast, outage) runs only the named parts.
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const runs = (part: string) => !only.length || only.includes(part);
mkdirSync('.bench-out', { recursive: true });
const config = parseConfig({ LOG_LEVEL: 'silent' });
const assistant = createAssistant(config, silentLogger);
const { answerer, kb } = assistant;
const { answerable, offTopic } = loadQuestions();
if (runs('retrieval')) {
  const { variants, ours, plain } = runRetrievalBench(answerer, kb.passages, [...answerable, ...offTopic]);

  console.log(
    `# Retrieval: ${variants.length} question variants (${answerable.length + offTopic.length} questions × 8 ways of typing), ${kb.passages.length} passages, one core`,
  );
  console.log(row(ours));
  console.log(row(plain));
  console.log(
    `accuracy ratio ours/plain: ${(ours.accuracy / plain.accuracy).toFixed(2)}×   p99 target < 10 ms: ${ours.p99Ms < 10 ? 'met' : 'NOT met'}`,
  );
  console.log('by way of typing (ours / plain):');
  for (const kind of Object.keys(ours.byKind))
    console.log(
      `  ${kind.padEnd(14)} ${pct(ours.byKind[kind]!).padStart(6)} / ${pct(plain.byKind[kind]!).padStart(6)}`,
    );

  writeFileSync(
    '.bench-out/retrieval-failures.json',
    JSON.stringify({ ours: ours.failures, plain: plain.failures.slice(0, 50) }, null, 2),
  );
}

// --- Language: tuning and held-out sets, per way of typing ---
if (runs('language')) {
  const language = await runLanguageBench(
    answerer,
    kb.passages,
    () => createApp(config, silentLogger, assistant),
    SET_NAMES,
  );
  const fig = (f: Figures) =>
    `${pct(f.overall).padStart(6)}  written ${pct(f.written).padStart(6)}  phone ${pct(f.phone).padStart(6)}  (${f.total})`;
  console.log('\n# Language: labelled sets (tuning: tuned on; heldout: never tuned on), share right per way of typing');
  for (const r of language.sets) console.log(`${r.set.padEnd(9)} ${r.kind.padEnd(10)} ${fig(r.figures)}`);
  const heldoutQuestions = language.sets.find((r) => r.set === 'heldout' && r.kind === 'questions')!.figures;
  console.log(`heldout   plain MiniSearch ${fig(language.plainHeldout)}`);
  console.log(
    `held-out questions, ours − plain: ${(100 * (heldoutQuestions.overall - language.plainHeldout.overall)).toFixed(1)} points   target ≥ 40: ${heldoutQuestions.overall - language.plainHeldout.overall >= 0.4 ? 'met' : 'NOT met'}`,
  );
  writeFileSync('.bench-out/language.json', JSON.stringify(language, null, 2));
}

// --- Officers' grouping of unanswered questions ---
if (runs('grouping')) {
  const g = runGroupingBench([...answerable, ...offTopic]);
  console.log(`\n# Grouping: ${g.questions} logged questions into topics for the officers (median of 7 runs)`);
  console.log(`ours   ${g.medianMs.toFixed(1).padStart(7)} ms  ${g.groups} groups`);
  console.log(`plain  ${g.plainMedianMs.toFixed(1).padStart(7)} ms  ${g.plainGroups} groups (exact folded text)`);
  console.log(`budget ${g.budgetMs} ms: ${g.medianMs < g.budgetMs ? 'met' : 'NOT met'}`);
  writeFileSync('.bench-out/grouping.json', JSON.stringify(g, null, 2));
}

// --- Channels ---
const questions = [...answerable, ...offTopic].map((q) => q.q);
const load = (r: LoadResult) =>
  `${r.name.padEnd(12)} ${r.perSecond.toFixed(0).padStart(6)} updates/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  (${r.updates} updates in ${r.seconds.toFixed(1)} s, ${r.errors} errors)`;
if (runs('channels')) {
  const channels = await runChannelBench({ questions });
  console.log(
    `\n# Channels: Telegram webhook path, one bot process, ${channels.rounds.length / 3} rounds alternating, 32 concurrent webhook requests, 400 users, local Bot API server`,
  );
  for (const r of channels.rounds) console.log(`  round: ${load(r)}`);
  console.log(load(channels.bare));
  console.log(load(channels.ours));
  console.log(load(channels.oursNoCache));
  const ratio = channels.ours.perSecond / channels.bare.perSecond;
  const cold = channels.oursNoCache.perSecond / channels.bare.perSecond;
  console.log(
    `questions already asked earlier in the stream (answer-cache hits for ours): ${pct(channels.repeatShare)}`,
  );
  console.log(
    `throughput ratio ours/bare grammY: ${ratio.toFixed(2)} (without the answer cache: ${cold.toFixed(2)})   target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}`,
  );
  writeFileSync('.bench-out/channels.json', JSON.stringify(channels, null, 2));
}

// --- Broadcast ---
if (runs('broadcast')) {
  const runs = await runBroadcastBench();
  console.log(
    "\n# Broadcast: announcement campaigns through `ocop-bot worker` processes sharing one Redis queue (and one without Redis, sent in-process); our limit 25/s, the local Bot API server's 30/s",
  );
  for (const r of runs) {
    console.log(
      `${r.name.padEnd(28)} ${r.recipients} recipients  ${r.rate.toFixed(1).padStart(5)} msg/s = ${r.fraction.toFixed(2)} of the limit  429s provoked: ${r.rateLimited}  (${r.seconds.toFixed(1)} s)`,
    );
  }
  const bound = runs.filter((r) => r.sendLatencyMs === 0);
  const ok = bound.every((r) => r.fraction >= 0.95 && r.rateLimited === 0);
  console.log(`target ≥ 0.95 of the limit with no 429: ${ok ? 'met' : 'NOT met'}`);
  writeFileSync('.bench-out/broadcast.json', JSON.stringify(runs, null, 2));
}

// --- Redis out of reach ---
if (runs('outage')) {
  const results = await runOutageBench(assistant);
  console.log('\n# Redis out of reach: web chat answer and /health, 5 requests each (budgets: chat 2 s, health 1 s)');
  const worst = (xs: number[]) => Math.max(...xs);
  for (const r of results)
    console.log(
      `${r.name.padEnd(20)} chat worst ${worst(r.chatMs).toFixed(0).padStart(5)} ms (status ${[...new Set(r.chatStatuses)].join('/')})  health worst ${worst(r.healthMs).toFixed(0).padStart(5)} ms (status ${[...new Set(r.healthStatuses)].join('/')})`,
    );
  const down = results.slice(1);
  const ok = down.every((r) => worst(r.chatMs) < 2000 && worst(r.healthMs) < 1000);
  console.log(`budgets with Redis down (chat < 2 s, health < 1 s): ${ok ? 'met' : 'NOT met'}`);
  writeFileSync('.bench-out/outage.json', JSON.stringify(results, null, 2));
}
