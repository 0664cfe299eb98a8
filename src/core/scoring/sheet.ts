/**
 * The scoring sheets of QĐ 148/QĐ-TTg Phụ lục III as data (knowledge/bo-tieu-chi/*.yaml, one file per "bộ sản
 * phẩm"): parts A/B/C, their numbered sections, each section's lettered criteria and each criterion's options with
 * points and the star level for which an option (or the whole criterion) is mandatory. Format:
 * docs/knowledge-format.md, "Phiếu chấm điểm". `checkSheets` is what `kb check` runs over them.
 */
import { z } from 'zod';

/**
 * The classification code of each set, in the order of the sets (Bộ 1 = I.1.a … Bộ 26 = VI.1): the 26 rows of the
 * classification table in knowledge/phan-loai-san-pham.md, which kb check holds this list against.
 */
export const SET_CODES = [
  'I.1.a',
  'I.1.b',
  'I.2.a',
  'I.2.b',
  'I.3.a',
  'I.3.b',
  'I.3.c',
  'I.3.d',
  'I.4.a',
  'I.4.b',
  'I.5.a',
  'I.5.b',
  'I.6',
  'II.1.a',
  'II.1.b',
  'II.2.a',
  'II.2.b',
  'III.1',
  'III.2',
  'III.3',
  'IV.1',
  'IV.2',
  'V.1',
  'V.2',
  'V.3',
  'VI.1',
] as const;

/** The parts of every sheet and their totals (QĐ 148: A 40, B 25, C 35; 100 in all). */
export const PART_TOTALS = { A: 40, B: 25, C: 35 } as const;
export type PartKey = keyof typeof PART_TOTALS;
export const PART_KEYS = Object.keys(PART_TOTALS) as PartKey[];

const star = z.number().int().min(1).max(5);

const optionSchema = z.object({
  text: z.string().trim().min(1),
  points: z.number().min(0),
  /** Choosing at least this option is required for a product of this many stars or more. */
  mandatory: star.optional(),
});

/** Points the transcription does not give (its options or sections fall short of the stated total), and why. */
const missingSchema = z.object({ points: z.number().positive(), note: z.string().trim().min(1) });

const criterionSchema = z.object({
  key: z.string().trim().min(1),
  title: z.string().trim().min(1),
  max: z.number().positive(),
  missing: missingSchema.optional(),
  /** The whole criterion is required (at least its lowest option with points) from this star level on. */
  mandatory: star.optional(),
  requirement: z.string().optional(),
  note: z.string().optional(),
  options: z.array(optionSchema).min(1),
});

const sectionSchema = z.object({
  number: z.number().int().positive(),
  title: z.string().trim().min(1),
  points: z.number().positive(),
  note: z.string().optional(),
  /** Its criteria are alternative cases ("Trường hợp 1 … / Trường hợp 2 …"): one applies. */
  oneOf: z.boolean().optional(),
  /** Judged by the council's tasting or inspection (sensory criteria): a producer cannot score it alone. */
  council: z.boolean().optional(),
  criteria: z.array(criterionSchema).min(1),
});

const partSchema = z.object({
  part: z.enum(['A', 'B', 'C']),
  title: z.string().trim().min(1),
  points: z.number().positive(),
  missing: missingSchema.optional(),
  sections: z.array(sectionSchema).min(1),
});

export const sheetSchema = z.object({
  set: z.number().int().min(1).max(SET_CODES.length),
  code: z.string(),
  name: z.string().trim().min(1),
  decision: z.string().trim().min(1),
  confidence: z.enum(['verified', 'verified-2nd', 'unverified']),
  source: z.string().trim().min(1),
  notes: z.array(z.string()).optional(),
  parts: z.array(partSchema).length(3),
});

export type ScoringSheet = z.infer<typeof sheetSchema>;
export type SheetSection = ScoringSheet['parts'][number]['sections'][number];
export type SheetCriterion = SheetSection['criteria'][number];

/** A criterion with where it sits: its id ("A.1.a") is what answers are saved under. */
export interface PlacedCriterion extends SheetCriterion {
  id: string;
  part: PartKey;
  section: SheetSection;
}

/** Every criterion of a sheet, in order. */
export function criteriaOf(sheet: ScoringSheet): PlacedCriterion[] {
  return sheet.parts.flatMap((p) =>
    p.sections.flatMap((s) =>
      s.criteria.map((c) => ({ ...c, id: `${p.part}.${s.number}.${c.key}`, part: p.part, section: s })),
    ),
  );
}

/** The points a section can give: the sum of its criteria, or the best single case of a one-of section. */
export function sectionMax(section: SheetSection): number {
  const maxes = section.criteria.map((c) => c.max);
  return section.oneOf ? Math.max(...maxes) : maxes.reduce((a, b) => a + b, 0);
}

/** Parses one sheet file's YAML value; problems are named with the file. */
export function parseSheet(name: string, value: unknown): { sheet?: ScoringSheet; problems: string[] } {
  const parsed = sheetSchema.safeParse(value);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((i) => `${name}: ${i.path.join('.') || '(file)'}: ${i.message}`),
    };
  return { sheet: parsed.data, problems: checkSheet(name, parsed.data) };
}

/** What does not add up in a sheet: part totals, section points, criteria maxima, options, star marks. */
export function checkSheet(name: string, sheet: ScoringSheet): string[] {
  const problems: string[] = [];
  const at = (where: string, what: string) => problems.push(`${name}: ${where}: ${what}`);
  if (SET_CODES[sheet.set - 1] !== sheet.code)
    at('code', `set ${sheet.set} is ${SET_CODES[sheet.set - 1]}, not ${sheet.code}`);
  const parts = sheet.parts.map((p) => p.part);
  if (parts.join() !== PART_KEYS.join()) at('parts', `expected parts A, B, C in order, found ${parts.join(', ')}`);
  for (const part of sheet.parts) {
    const expected = PART_TOTALS[part.part];
    if (part.points !== expected) at(`part ${part.part}`, `worth ${part.points}, QĐ 148 gives ${expected}`);
    const sum = part.sections.reduce((a, s) => a + s.points, 0) + (part.missing?.points ?? 0);
    if (sum !== part.points)
      at(
        `part ${part.part}`,
        `sections add up to ${sum}${part.missing ? ' with the missing points' : ''}, not ${part.points}`,
      );
    const numbers = new Set<number>();
    for (const section of part.sections) {
      const where = `${part.part}.${section.number}`;
      if (numbers.has(section.number)) at(where, 'section number used twice');
      numbers.add(section.number);
      const max = sectionMax(section);
      if (max !== section.points) at(where, `criteria add up to ${max}, not ${section.points}`);
      const keys = new Set<string>();
      for (const c of section.criteria) {
        const cw = `${where}.${c.key}`;
        if (keys.has(c.key)) at(cw, 'criterion key used twice');
        keys.add(c.key);
        const best = Math.max(...c.options.map((o) => o.points)) + (c.missing?.points ?? 0);
        if (best !== c.max) at(cw, `best option gives ${best}, the criterion ${c.max}`);
        if (c.mandatory !== undefined && !c.options.some((o) => o.points > 0))
          at(cw, 'mandatory but no option gives points');
        const texts = new Set<string>();
        for (const o of c.options) {
          if (texts.has(o.text)) at(cw, `option "${o.text}" listed twice`);
          texts.add(o.text);
        }
      }
    }
  }
  return problems;
}

/** Problems of a whole collection: every set once, and each sheet's own. */
export function checkSheets(files: { name: string; value: unknown }[]): { sheets: ScoringSheet[]; problems: string[] } {
  const problems: string[] = [];
  const sheets: ScoringSheet[] = [];
  for (const f of files) {
    const r = parseSheet(f.name, f.value);
    problems.push(...r.problems);
    if (r.sheet) sheets.push(r.sheet);
  }
  const seen = new Map<number, number>();
  for (const s of sheets) seen.set(s.set, (seen.get(s.set) ?? 0) + 1);
  for (let n = 1; n <= SET_CODES.length; n++) {
    if (!seen.has(n)) problems.push(`bo-tieu-chi: no sheet for set ${n} (${SET_CODES[n - 1]})`);
    else if (seen.get(n)! > 1) problems.push(`bo-tieu-chi: set ${n} has ${seen.get(n)} sheets`);
  }
  return { sheets: sheets.sort((a, b) => a.set - b.set), problems };
}
