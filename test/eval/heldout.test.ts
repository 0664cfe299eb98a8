/**
 * The held-out sets (test/fixtures/heldout: questions, requests, dialogues written by people who never saw the
 * knowledge base or the code) against the committed baseline (bench/baseline.json): no way of typing may lose
 * more than a point. When a change improves them, `npm run eval:baseline` writes the new baseline. Nothing was
 * ever tuned on these sets: only their figures are looked at.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { heldoutFigures, type Figures } from '../../bench/language.js';
import { app, assistant } from '../support/app.js';

const baseline = JSON.parse(readFileSync(new URL('../../bench/baseline.json', import.meta.url), 'utf8')) as {
  heldout: Record<'questions' | 'requests' | 'dialogues', Figures>;
};

describe('held-out sets against the committed baseline', async () => {
  const now = await heldoutFigures(assistant().answerer, () => app());
  for (const set of ['questions', 'requests', 'dialogues'] as const) {
    for (const typing of ['overall', 'written', 'phone'] as const) {
      it(`${set}, ${typing}: no more than a point below ${(100 * baseline.heldout[set][typing]).toFixed(1)}%`, () => {
        expect(now[set][typing]).toBeGreaterThanOrEqual(baseline.heldout[set][typing] - 0.01);
      });
    }
  }
});
