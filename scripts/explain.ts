/**
 * `npm run explain -- "câu hỏi"`: how the assistant reads a question and ranks the passages, feature by feature
 * (for editors of knowledge/ and of the vocabulary). Prints the answer last.
 */
import { createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { rank, RANKING_WEIGHTS } from '../src/core/knowledge/ranking.js';
import { SentenceIndex } from '../src/core/knowledge/sentences.js';

const { answerer } = createAssistant(parseConfig({ LOG_LEVEL: 'silent' }), silentLogger);
for (const question of process.argv.slice(2)) {
  const reading = answerer.reader.read(question);
  const e = reading.entities;
  console.log(`\n## ${question}`);
  console.log(`request: ${reading.request.kind}${reading.request.clarify ? ' (clarify)' : ''} ${reading.request.concepts.join(',')} ${JSON.stringify(reading.request.scores ?? {})}  types: ${reading.answerTypes.join(',')}  scope: ${reading.outOfScope ?? '-'}  product: ${reading.product?.matched ?? '-'}`);
  console.log(`tokens: ${reading.tokens.map((t) => `${t.stop ? '(' : ''}${t.accented ? t.toned : t.folded}${t.restored ? `~${t.restored}` : ''}${t.label ? '#' : ''}${t.stop ? ')' : ''}`).join(' ')}`);
  console.log(`entities: docs ${e.documents.map((d) => d.number)} periods ${e.periods.map((p) => `${p.from}-${p.to}`)} years ${e.years.map((y) => y.year)} stars ${e.stars.map((s) => s.stars)} parts ${e.parts.map((p) => p.part)} ordinal ${e.ordinal?.n ?? '-'} provinces ${e.provinces.map((p) => p.name)} recency ${e.recency}`);
  const query = answerer.retriever.queryTerms(reading.tokens);
  const ranked = rank(reading, query, answerer.retriever.search(query), answerer.retriever, new SentenceIndex());
  for (const r of ranked.slice(0, 6)) {
    const f = Object.entries(r.features).map(([k, v]) => `${k} ${(v as number).toFixed(2)}`).join(' ');
    console.log(`  ${r.score.toFixed(2).padStart(6)} ${r.profile.passage.id.padEnd(48)} ${f}${r.hardConflict ? ' HARD' : ''}`);
  }
  const a = answerer.answer(reading);
  console.log(`→ ${a.abstained ? `ABSTAIN (${a.abstainReason})` : a.sources[0]?.id}: ${a.body.replace(/\n/g, ' ').slice(0, 300)}`);
}
void RANKING_WEIGHTS;
