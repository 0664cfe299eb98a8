/**
 * A rough self-score on one QĐ 148 sheet: the points per part for the options a producer chose, the star band the
 * total falls in, and for the next star the mandatory criteria still missing and the criteria that would gain the
 * most. Pure: the dialogue (self-score-dialog.ts) asks, this counts.
 *
 * Star bands: 90–100 5★, 70–89 4★, 50–69 3★, 30–49 2★, under 30 1★ (verified for QĐ 1048, the 148 wording not read:
 * ocop-facts-2 §3.1). A star needs, besides its band, every criterion mandatory for it (and for the stars below).
 */
import { criteriaOf, PART_KEYS, type PartKey, type PlacedCriterion, type ScoringSheet } from './sheet.js';

/** The lowest total of each star level. */
export const STAR_BANDS: readonly { stars: number; from: number }[] = [
  { stars: 5, from: 90 },
  { stars: 4, from: 70 },
  { stars: 3, from: 50 },
  { stars: 2, from: 30 },
  { stars: 1, from: 0 },
];

export function bandOf(total: number): number {
  return STAR_BANDS.find((b) => total >= b.from)!.stars;
}

/** The option chosen per criterion id (index into its options); `null` is "skipped" (counted as 0). */
export type ScoreAnswers = Record<string, number | null>;

export interface MissingRequirement {
  criterion: PlacedCriterion;
  /** The points the criterion needs for the star. */
  needs: number;
  /** The lowest option that meets it. */
  option: string;
  /** Judged by the council: a producer cannot check it alone. */
  council: boolean;
}

export interface Gain {
  criterion: PlacedCriterion;
  now: number;
  /** Points the criterion could still add. */
  gain: number;
}

export interface ScoreResult {
  /** Points per part from the answers (council criteria and skipped ones count 0). */
  parts: Record<PartKey, number>;
  /** Points per part the council's criteria and the transcription's gaps could still add. */
  open: Record<PartKey, number>;
  total: number;
  /** The total if every council criterion and gap gave its maximum. */
  ceiling: number;
  /** The band of the total, and the stars after the mandatory criteria. */
  band: number;
  stars: number;
  /** The same for the ceiling. */
  starsAtCeiling: number;
  /** Criteria answered "skipped". */
  skipped: PlacedCriterion[];
  /** The next star up (none above 5). */
  next?: {
    stars: number;
    /** Points still needed to reach its band. */
    pointsNeeded: number;
    missing: MissingRequirement[];
    gains: Gain[];
  };
}

/** Points a criterion needs for a star level: the highest of its mandatory marks up to that level. */
export function requiredPoints(criterion: PlacedCriterion, stars: number): number {
  let needs = 0;
  if (criterion.mandatory !== undefined && criterion.mandatory <= stars) {
    needs = Math.min(...criterion.options.filter((o) => o.points > 0).map((o) => o.points));
  }
  for (const o of criterion.options)
    if (o.mandatory !== undefined && o.mandatory <= stars) needs = Math.max(needs, o.points);
  return needs;
}

/** The criteria a producer is asked (the council's are left out), in order. */
export function askedCriteria(sheet: ScoringSheet): PlacedCriterion[] {
  return criteriaOf(sheet).filter((c) => !c.section.council);
}

const BEST_GAINS = 3;

export function scoreSheet(sheet: ScoringSheet, answers: ScoreAnswers): ScoreResult {
  const all = criteriaOf(sheet);
  const pointsOf = (c: PlacedCriterion): number => {
    const i = answers[c.id];
    return i === null || i === undefined ? 0 : (c.options[i]?.points ?? 0);
  };
  const parts = Object.fromEntries(PART_KEYS.map((k) => [k, 0])) as Record<PartKey, number>;
  const open = Object.fromEntries(PART_KEYS.map((k) => [k, 0])) as Record<PartKey, number>;
  for (const part of sheet.parts) {
    open[part.part] += part.missing?.points ?? 0;
    for (const section of part.sections) {
      const criteria = all.filter((c) => c.section === section);
      if (section.council) {
        open[part.part] += section.points;
        continue;
      }
      const got = criteria.map(pointsOf);
      // One case of a one-of section applies: the best answered one counts.
      parts[part.part] += section.oneOf ? Math.max(0, ...got) : got.reduce((a, b) => a + b, 0);
      open[part.part] += criteria.reduce((a, c) => a + (c.missing?.points ?? 0), 0);
    }
  }
  const total = PART_KEYS.reduce((a, k) => a + parts[k], 0);
  const ceiling = total + PART_KEYS.reduce((a, k) => a + open[k], 0);

  const missingFor = (stars: number, assumeCouncil: boolean): MissingRequirement[] =>
    all.flatMap((c): MissingRequirement[] => {
      const needs = requiredPoints(c, stars);
      if (needs === 0) return [];
      const council = c.section.council === true;
      if (council && assumeCouncil) return [];
      // A one-of section's requirement is met by the case that applies.
      if (c.section.oneOf) {
        const cases = all.filter((x) => x.section === c.section);
        if (cases.some((x) => pointsOf(x) >= requiredPoints(x, stars))) return [];
      }
      if (!council && pointsOf(c) >= needs) return [];
      const option = c.options.find((o) => o.points >= needs)!.text;
      return [{ criterion: c, needs, option, council }];
    });
  // The council's own criteria are not held against the estimate: it judges them.
  const starsFor = (points: number): number => {
    let stars = bandOf(points);
    while (stars > 1 && missingFor(stars, true).length) stars -= 1;
    return stars;
  };
  const band = bandOf(total);
  const stars = starsFor(total);
  const starsAtCeiling = starsFor(ceiling);
  const skipped = all.filter((c) => answers[c.id] === null);

  let next: ScoreResult['next'];
  if (stars < 5) {
    const target = stars + 1;
    const from = STAR_BANDS.find((b) => b.stars === target)!.from;
    const gains = all
      .filter((c) => !c.section.council)
      .map((c) => ({ criterion: c, now: pointsOf(c), gain: c.max - (c.missing?.points ?? 0) - pointsOf(c) }))
      .filter((g) => g.gain > 0)
      .sort((a, b) => b.gain - a.gain)
      .slice(0, BEST_GAINS);
    next = { stars: target, pointsNeeded: Math.max(0, from - total), missing: missingFor(target, false), gains };
  }
  return { parts, open, total, ceiling, band, stars, starsAtCeiling, skipped, ...(next ? { next } : {}) };
}
