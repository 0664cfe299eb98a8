/** `npm run eval:baseline`: measures the held-out sets and writes bench/baseline.json (commit it deliberately). */
import { writeFileSync } from 'node:fs';
import { createApp, createAssistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { heldoutFigures } from '../bench/language.js';

const config = parseConfig({ LOG_LEVEL: 'silent' });
const assistant = createAssistant(config, silentLogger);
const heldout = await heldoutFigures(assistant.answerer, () => createApp(config, silentLogger, assistant));
const round = (x: number) => Math.round(x * 1000) / 1000;
const out = Object.fromEntries(
  Object.entries(heldout).map(([k, f]) => [
    k,
    { overall: round(f.overall), written: round(f.written), phone: round(f.phone), total: f.total },
  ]),
);
writeFileSync(
  'bench/baseline.json',
  `${JSON.stringify({ measuredAt: new Date().toISOString().slice(0, 10), heldout: out }, null, 2)}\n`,
);
console.log(JSON.stringify(out, null, 2));
