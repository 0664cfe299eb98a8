/**
 * No test may assert wall-clock time or a rate: a busy CI machine would reject correct code. Timing budgets
 * live in `npm run bench`; pacing and retries are tested by what they scheduled (slots, requested delays).
 * This scans every test file for the shapes such assertions take.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(path);
    // This file quotes the shapes it looks for.
    return e.name.endsWith('.test.ts') && path !== fileURLToPath(import.meta.url) ? [path] : [];
  });
}

/** Measuring elapsed time (a clock minus a start), or asserting on a clock, an elapsed time or a rate. */
const TIMING = [
  /\b(?:Date|performance)\.now\(\)\s*-\s*[A-Za-z_]/,
  /expect\([^;]*\b(?:Date\.now|performance\.now|elapsed\w*|durationMs|perSecond|rateLimited)\b[^;]*\)\.toBe(?:Less|Greater)Than/,
];

describe('test files', () => {
  const files = testFiles(join(root, 'test'));

  it('are found', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('assert no wall-clock time and no rate', () => {
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => TIMING.some((re) => re.test(line)))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it('would catch the shapes it looks for', () => {
    const bad = [
      'expect(Date.now() - started).toBeLessThan(1000);',
      'const took = performance.now() - t0;',
      'expect(final.durationMs).toBeGreaterThan(0);',
      'expect(fake.rateLimited).toBeGreaterThan(0);',
    ];
    for (const line of bad)
      expect(
        TIMING.some((re) => re.test(line)),
        line,
      ).toBe(true);
    expect(TIMING.some((re) => re.test('updatedAt: Date.now() - 3 * 3600 * 1000'))).toBe(false);
  });
});
