/**
 * Every way a commune is shown while the form asks it — the question's text, its buttons, the note about a former
 * unit, the summary line and the sentence after submitting — over every unit, former unit and former district of
 * the directory: no unit word is ever doubled ("Xã Xã Thạch An").
 */
import { describe, expect, it } from 'vitest';
import { type FormerUnit, formerUnitLabel, parseCommuneTable } from '../../../src/core/knowledge/commune-table.js';
import { format } from '../../../src/core/messages.js';
import { COMMUNE_LIST_ID, CommuneDirectory } from '../../../src/core/registration/commune-directory.js';
import { acceptCommune } from '../../../src/core/registration/commune-step.js';
import type { Draft } from '../../../src/core/registration/draft.js';
import { displayValue } from '../../../src/core/registration/fields.js';
import type { StepContext } from '../../../src/core/registration/step-context.js';
import { assistant } from '../../support/app.js';

const UNIT_WORDS = ['xã', 'phường', 'thị trấn', 'huyện', 'thành phố', 'tỉnh'];
const DOUBLED = new RegExp(`(?:^|[^\\p{L}])(${UNIT_WORDS.join('|')})\\s+\\1(?![\\p{L}])`, 'iu');

describe('commune renderings', () => {
  const { kb, messages: m } = assistant();
  const directory = CommuneDirectory.fromKnowledgeBase(kb);
  const rows = parseCommuneTable(kb.data.get(COMMUNE_LIST_ID)!.body).rows;
  const formers: FormerUnit[] = rows.flatMap((r) => r.formedFrom);
  const districts = [...new Set(formers.map((f) => f.district))];
  const ctx: StepContext = { m, directory, stepText: (_d, q) => q };
  const typedForms = [
    ...rows.flatMap((r) => [r.name, r.name.replace(/^(Xã|Phường)\s+/u, '')]),
    ...formers.flatMap((f) => [f.name, formerUnitLabel(f), `${formerUnitLabel(f)} ${f.district}`]),
    ...districts.flatMap((d) => [d, d.replace(/^(huyện|thành phố)\s+/u, '')]),
  ];

  it('the table test covers every unit, former unit and former district', () => {
    expect(rows).toHaveLength(56);
    expect(formers.length).toBeGreaterThan(150);
    expect(districts.length).toBeGreaterThanOrEqual(10);
  });

  it('no text, button or saved value has a doubled unit word, whatever is typed and pressed', () => {
    const shown: string[] = [];
    const saved = new Set<string>();
    const draft = (): Draft => ({ id: 'd', step: 6, answers: {}, misses: 0, trail: [], startedAt: 0, updatedAt: 0 });
    /** Answers the step with a typed name, then presses each offered button in turn (two levels deep). */
    const walk = (d: Draft, input: { payload: string } | { text: string }, depth: number) => {
      const typed = 'text' in input ? input.text : '';
      const r = acceptCommune(ctx, d, 'text' in input ? ({ text: input.text } as never) : input, typed);
      for (const reply of r.replies ?? []) {
        shown.push(reply.text, ...(reply.buttons ?? []).map((b) => b.label));
        if (depth < 2) for (const b of reply.buttons ?? []) walk(structuredClone(d), { payload: b.value }, depth + 1);
      }
      if (r.done && d.answers.commune) saved.add(d.answers.commune);
    };
    for (const t of typedForms) walk(draft(), { text: t }, 0);
    expect(saved.size).toBe(56); // every unit was reached
    for (const name of saved) {
      shown.push(
        name,
        `${m.form_fields.commune.label}: ${displayValue('commune', { commune: name }, m)}`,
        format(m.form_echo, { label: m.form_fields.commune.label, value: name }),
        format(m.form_submitted, {
          code: 'OCOP-CB-2026-000001',
          commune: name.replace(/^(Xã|Phường)(?=\s)/u, (p) => p.toLowerCase()),
          days: 5,
          phone: '0912345678',
        }),
      );
    }
    const doubled = shown.filter((s) => DOUBLED.test(s));
    expect(doubled).toEqual([]);
    // The check itself finds a doubling.
    expect(DOUBLED.test('Bạn ở Xã Xã Thạch An')).toBe(true);
    expect(DOUBLED.test('Xã/phường: Xã Thạch An')).toBe(false);
  });
});
