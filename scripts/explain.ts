/**
 * `npm run explain -- "câu hỏi"`: how the assistant reads a question and ranks the passages, feature by feature
 * (for editors of knowledge/ and of the vocabulary). Prints the answer last. "câu trước => câu sau" explains a
 * follow-up read after the question before it.
 */
import { namedIn } from '../src/core/knowledge/retriever.js';
import { createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { rank, RANKING_WEIGHTS } from '../src/core/knowledge/ranking.js';
import { SentenceIndex } from '../src/core/knowledge/sentences.js';
import type { TopicContext } from '../src/core/understanding/follow-up.js';

const { answerer } = createAssistant(parseConfig({ LOG_LEVEL: 'silent', DATA_DIR: ':memory:' }), silentLogger);
for (const arg of process.argv.slice(2)) {
  const turns = arg.split(/\s*=>\s*/);
  const question = turns.at(-1)!;
  let previous: TopicContext | undefined;
  for (const turn of turns.slice(0, -1)) {
    const r = answerer.reader.readInContext(turn, { ...(previous ? { previous } : {}), now: 0 });
    const a = answerer.answer(r);
    console.log(`(before: ${turn} → ${a.abstained ? 'ABSTAIN' : a.sources[0]?.id})`);
    previous = answerer.reader.topicOf(r, a.sources[0]?.id, 0, a.body);
  }
  const reading = previous
    ? answerer.reader.readInContext(question, { previous, now: 0 })
    : answerer.reader.read(question);
  const e = reading.entities;
  console.log(
    `\n## ${question}${reading.followUp ? `  [${reading.followUp} follow-up, read as: ${reading.text}]` : ''}`,
  );
  console.log(
    `request: ${reading.request.kind}${reading.request.clarify ? ' (clarify)' : ''} ${reading.request.concepts.join(',')} ${JSON.stringify(reading.request.scores ?? {})}  types: ${reading.answerTypes.join(',')}  scope: ${reading.outOfScope ?? '-'}  product: ${reading.product?.matched ?? '-'}`,
  );
  console.log(
    `tokens: ${reading.tokens.map((t) => `${t.aside ? '_' : ''}${t.stop ? '(' : ''}${t.accented ? t.toned : t.folded}${t.restored ? `~${t.restored}` : ''}${t.label ? '#' : ''}${t.stop ? ')' : ''}`).join(' ')}`,
  );
  if (reading.asking) console.log(`asking: ${reading.asking}`);
  console.log(
    `entities: docs ${e.documents.map((d) => d.number)} periods ${e.periods.map((p) => `${p.from}-${p.to}`)} years ${e.years.map((y) => y.year)} stars ${e.stars.map((s) => s.stars)} parts ${e.parts.map((p) => p.part)} ordinal ${e.ordinal?.n ?? '-'} provinces ${e.provinces.map((p) => p.name)} recency ${e.recency}`,
  );
  const query = answerer.retriever.queryTerms(reading.tokens);
  const ranked = rank(
    reading,
    query,
    answerer.retriever.search(query, namedIn(reading.entities)),
    answerer.retriever,
    new SentenceIndex(),
  );
  for (const r of ranked.slice(0, 6)) {
    const f = Object.entries(r.features)
      .map(([k, v]) => `${k} ${(v as number).toFixed(2)}`)
      .join(' ');
    console.log(
      `  ${r.score.toFixed(2).padStart(6)} ${r.profile.passage.id.padEnd(48)} ${f}${r.hardConflict ? ' HARD' : ''}`,
    );
  }
  const a = answerer.answer(reading);
  console.log(
    `→ ${a.abstained ? `ABSTAIN (${a.abstainReason})` : a.sources[0]?.id}: ${a.body.replace(/\n/g, ' ').slice(0, 300)}`,
  );
}
void RANKING_WEIGHTS;
