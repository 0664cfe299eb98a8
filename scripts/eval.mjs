#!/usr/bin/env node
// Runs the evaluation set through `ocop-bot ask --jsonl` and grades the answers.
// Usage: npm run eval [-- --set PATH/dev.jsonl] [--verbose]   (default set: ../shared/eval/dev.jsonl)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const setIndex = args.indexOf('--set');
const setPath = resolve(
  setIndex >= 0 ? args[setIndex + 1] : (process.env.EVAL_SET ?? join(root, '..', 'shared', 'eval', 'dev.jsonl')),
);
const grader = join(dirname(setPath), 'grade.mjs');

const items = readFileSync(setPath, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const input = `${items.map((i) => i.q.replace(/\n/g, ' ')).join('\n')}\n`;
const answers = execFileSync(process.execPath, [join(root, 'bin', 'ocop-bot.mjs'), 'ask', '--jsonl'], {
  input,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const out = join(mkdtempSync(join(tmpdir(), 'ocop-eval-')), 'answers.jsonl');
writeFileSync(out, answers);
const graded = execFileSync(
  process.execPath,
  [grader, setPath, out, ...(args.includes('--verbose') ? ['--verbose'] : [])],
  { encoding: 'utf8' },
);
process.stdout.write(graded);
