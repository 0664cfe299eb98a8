/**
 * The held-out sets (test/fixtures/heldout, outsiders, outsiders-2, outsiders-3: questions, requests, dialogues written by
 * people who never saw the knowledge base, the code or the other sets) against the committed baseline
 * (bench/baseline.json): no way of typing may lose more than a point. When a change improves them, `npm run eval:baseline` writes the new baseline. Nothing was
 * ever tuned on these sets: only their figures are looked at.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { heldoutFigures, type Figures } from '../../bench/language.js';
import { app, assistant } from '../support/app.js';
import { HELD_OUT_SETS } from '../support/evaluate.js';

const baseline = JSON.parse(readFileSync(new URL('../../bench/baseline.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<'questions' | 'requests' | 'dialogues', Figures>
>;

for (const name of HELD_OUT_SETS) {
  describe(`held-out set ${name} against the committed baseline`, async () => {
    const now = await heldoutFigures(assistant().answerer, () => app(), name);
    const then = baseline[name]!;
    it('is in the baseline', () => {
      expect(then).toBeDefined();
    });
    for (const kind of ['questions', 'requests', 'dialogues'] as const) {
      for (const typing of ['overall', 'written', 'phone'] as const) {
        it(`${kind}, ${typing}: no more than a point below ${(100 * (then?.[kind][typing] ?? 0)).toFixed(1)}%`, () => {
          expect(now[kind][typing]).toBeGreaterThanOrEqual(then![kind][typing] - 0.01);
        });
      }
    }
  });
}
