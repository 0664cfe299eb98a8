/**
 * `npm run eval:baseline`: measures every held-out set (heldout, outsiders, outsiders-2, outsiders-3) and writes
 * bench/baseline.json (commit it deliberately).
 */
import { writeFileSync } from 'node:fs';
import { createApp, createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { heldoutFigures } from '../bench/language.js';
import { HELD_OUT_SETS } from '../test/support/evaluate.js';

const config = parseConfig({ LOG_LEVEL: 'silent', DATA_DIR: ':memory:' });
const assistant = createAssistant(config, silentLogger);
const round = (x: number) => Math.round(x * 1000) / 1000;
const sets: Record<string, unknown> = {};
for (const set of HELD_OUT_SETS) {
  const figures = await heldoutFigures(assistant.answerer, () => createApp(config, silentLogger, assistant), set);
  sets[set] = Object.fromEntries(
    Object.entries(figures).map(([k, f]) => [
      k,
      { overall: round(f.overall), written: round(f.written), phone: round(f.phone), total: f.total },
    ]),
  );
}
writeFileSync(
  'bench/baseline.json',
  `${JSON.stringify({ measuredAt: new Date().toISOString().slice(0, 10), ...sets }, null, 2)}\n`,
);
console.log(JSON.stringify(sets, null, 2));
