/** The self-score's arithmetic and its mandatory-criterion logic, on the repository's own QĐ 148 sheets. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadScoringSheets } from '../../../src/adapters/files/load-files.js';
import {
  askedCriteria,
  bandOf,
  requiredPoints,
  scoreSheet,
  type ScoreAnswers,
} from '../../../src/core/scoring/score.js';
import { criteriaOf, type ScoringSheet } from '../../../src/core/scoring/sheet.js';

const sheets = loadScoringSheets(new URL('../../../knowledge', import.meta.url).pathname);
const sheet = (n: number): ScoringSheet => sheets.find((s) => s.set === n)!;
const criterion = (s: ScoringSheet, id: string) => criteriaOf(s).find((c) => c.id === id)!;

/** Every asked criterion at its best option, then the given options by text. */
function answers(s: ScoringSheet, overrides: Record<string, string | null> = {}): ScoreAnswers {
  const out: ScoreAnswers = {};
  for (const c of askedCriteria(s)) {
    const best = c.options.reduce((b, o, i) => (o.points > c.options[b]!.points ? i : b), 0);
    out[c.id] = best;
  }
  for (const [id, text] of Object.entries(overrides)) {
    if (text === null) out[id] = null;
    else {
      const i = criterion(s, id).options.findIndex((o) => o.text.startsWith(text));
      expect(i, `${id}: "${text}"`).toBeGreaterThanOrEqual(0);
      out[id] = i;
    }
  }
  return out;
}

describe('star bands', () => {
  it.each([
    [100, 5],
    [90, 5],
    [89, 4],
    [70, 4],
    [69, 3],
    [50, 3],
    [49, 2],
    [30, 2],
    [29, 1],
    [0, 1],
  ])('%i points fall in the %i-star band', (points, stars) => {
    expect(bandOf(points)).toBe(stars);
  });
});

describe('scoreSheet on Bộ 1 (rau, củ, quả, hạt tươi)', () => {
  const s = sheet(1);

  it('leaves the sensory section to the council: the best answers give 100 minus its 13 points', () => {
    const r = scoreSheet(s, answers(s));
    expect(r.parts).toEqual({ A: 40, B: 25, C: 22 });
    expect(r.open).toEqual({ A: 0, B: 0, C: 13 });
    expect(r.total).toBe(87);
    expect(r.ceiling).toBe(100);
    expect(r.stars).toBe(4);
    expect(r.starsAtCeiling).toBe(5);
    // For 5 stars: 3 points more, and what remains mandatory is the council's to judge.
    expect(r.next?.stars).toBe(5);
    expect(r.next?.pointsNeeded).toBe(3);
    expect(r.next?.missing.length).toBeGreaterThan(0);
    expect(r.next?.missing.every((m) => m.council)).toBe(true);
  });

  it('a skipped criterion counts 0 and is listed', () => {
    const r = scoreSheet(s, answers(s, { 'B.4.c': null }));
    expect(r.parts.B).toBe(21);
    expect(r.skipped.map((c) => c.id)).toEqual(['B.4.c']);
  });

  it('names the mandatory criteria a star needs, star by star', () => {
    expect(requiredPoints(criterion(s, 'A.1.b'), 4)).toBe(0);
    expect(requiredPoints(criterion(s, 'A.1.b'), 5)).toBe(3);
    expect(requiredPoints(criterion(s, 'A.1.c'), 3)).toBe(0);
    expect(requiredPoints(criterion(s, 'A.1.c'), 4)).toBe(2);
    expect(requiredPoints(criterion(s, 'A.1.c'), 5)).toBe(3);
    // "Sở hữu trí tuệ" is mandatory as a whole from 4 stars: its lowest option with points.
    expect(requiredPoints(criterion(s, 'A.3.e'), 3)).toBe(0);
    expect(requiredPoints(criterion(s, 'A.3.e'), 4)).toBe(1);
    expect(requiredPoints(criterion(s, 'B.5.b'), 3)).toBe(3);
    expect(requiredPoints(criterion(s, 'B.5.b'), 4)).toBe(5);
  });

  it('without a standard declared by the rules, 86 points are no 3 stars, and the declaration is what is missing', () => {
    const r = scoreSheet(s, answers(s, { 'C.9.a': 'Có tiêu chuẩn chất lượng sản phẩm' }));
    expect(r.total).toBe(86);
    expect(r.band).toBe(4);
    expect(r.stars).toBe(2);
    expect(r.next?.stars).toBe(3);
    expect(r.next?.pointsNeeded).toBe(0);
    expect(r.next?.missing.map((m) => [m.criterion.id, m.needs, m.option])).toEqual([
      ['C.9.a', 2, 'Có công bố tiêu chuẩn/chất lượng sản phẩm theo quy định'],
    ]);
  });

  it('without a registered trademark a product in the 4-star band stays at 3, and the trademark is named', () => {
    const r = scoreSheet(s, answers(s, { 'A.3.e': null }));
    expect(r.total).toBe(85);
    expect(r.stars).toBe(3);
    expect(r.next?.stars).toBe(4);
    const missing = r.next!.missing.filter((m) => !m.council).map((m) => m.criterion.id);
    expect(missing).toEqual(['A.3.e']);
  });

  it('for 5 stars, names each own criterion below its 5-star option', () => {
    const r = scoreSheet(s, answers(s, { 'A.1.b': 'Ứng dụng máy móc' }));
    expect(r.total).toBe(86);
    expect(r.stars).toBe(4);
    expect(r.next?.missing.filter((m) => !m.council).map((m) => [m.criterion.id, m.needs])).toEqual([['A.1.b', 3]]);
  });

  it('a story of its own but not a distinctive one: 3 stars at most, whatever the total', () => {
    const r = scoreSheet(s, answers(s, { 'B.5.b': 'Có câu chuyện riêng' }));
    expect(r.total).toBe(85);
    expect(r.stars).toBe(3);
    expect(r.next?.missing.filter((m) => !m.council).map((m) => m.criterion.id)).toEqual(['B.5.b']);
  });

  it('the best gains are the criteria furthest below their maximum', () => {
    const r = scoreSheet(
      s,
      answers(s, { 'B.4.a': 'Thị trường trong huyện', 'B.5.a': 'Không có câu chuyện', 'A.1.e': 'Không sử dụng' }),
    );
    expect(r.next?.gains.map((g) => [g.criterion.id, g.gain])).toEqual([
      ['B.5.a', 5],
      ['B.4.a', 4],
      ['A.1.e', 1],
    ]);
  });
});

describe('scoreSheet on Bộ 26 (du lịch): a section of two alternative cases', () => {
  const s = sheet(26);
  it('counts the case that applies, not both', () => {
    const base = answers(s);
    const both = scoreSheet(s, base);
    const oneSkipped = scoreSheet(s, { ...base, 'C.8.b': null });
    expect(both.parts.C).toBe(oneSkipped.parts.C);
    expect(both.total).toBeLessThanOrEqual(100);
  });
});

describe('every sheet', () => {
  it.each(sheets.map((s) => [s.set, s.name, s] as const))(
    'Bộ %i (%s): the best answers and the open points make 100',
    (_n, _name, s) => {
      const r = scoreSheet(s, answers(s));
      expect(r.ceiling).toBe(100);
      expect(r.total + r.open.A + r.open.B + r.open.C).toBe(100);
    },
  );
});

/**
 * test/fixtures/scoring/hand-sums.yaml: for every set, two sets of answers chosen and added up by hand by someone
 * who read only the research transcription (neither these YAML sheets nor the code), naming each option by its
 * printed text.
 */
interface HandPick {
  section: number;
  criterion: string;
  option: string;
}
interface HandCase {
  set: number;
  answers: Record<'low' | 'high', HandPick[]>;
  expected: Record<'low' | 'high', { A: number; B: number; C: number }>;
}
const hand = parseYaml(
  readFileSync(new URL('../../fixtures/scoring/hand-sums.yaml', import.meta.url), 'utf8'),
) as HandCase[];
const plain = (t: string) => t.replace(/\*+/g, '').replace(/\s+/g, ' ').trim();

describe('hand-computed sums, sheet by sheet', () => {
  it('covers all 26 sets', () => {
    expect(new Set(hand.map((h) => h.set)).size).toBe(26);
  });
  it.each(hand.flatMap((h) => (['low', 'high'] as const).map((which) => [h.set, which, h] as const)))(
    'Bộ %i, answers "%s": the points per part equal the hand sum',
    (set, which, h) => {
      const s = sheet(set);
      const answers: ScoreAnswers = {};
      for (const pick of h.answers[which]) {
        const c = criteriaOf(s).find(
          (x) => x.section.number === pick.section && x.key === pick.criterion.normalize('NFC'),
        );
        expect(c, `Bộ ${set} ${pick.section}.${pick.criterion}`).toBeDefined();
        const i = c!.options.findIndex((o) => plain(o.text) === plain(pick.option));
        expect(i, `Bộ ${set} ${pick.section}.${pick.criterion}: "${pick.option}"`).toBeGreaterThanOrEqual(0);
        answers[c!.id] = i;
      }
      expect(scoreSheet(s, answers).parts).toEqual(h.expected[which]);
    },
  );
});
