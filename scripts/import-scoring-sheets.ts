/**
 * How knowledge/bo-tieu-chi/ was made: `node bin/run-ts.mjs scripts/import-scoring-sheets.ts <transcription.md>`
 * reads the Markdown transcription of QĐ 148 Phụ lục III (the research file qd148-scoring-sheets.md, one "### Bộ N."
 * per set) and writes one YAML file per set. Run once; the YAML files are then edited by hand and checked by
 * `npm run kb:check`. Kept so the next editor can see exactly what was read and what was repaired.
 *
 * Repairs (each written into the sheet's `notes`): a criterion with no title takes its section's; a missing
 * "tối đa" takes the largest option's points; the source's OCR slips "lđ"/"tđ" read as 1 point; sub-criteria
 * ("- - Tạp chất" under "a) Ngoại hình") become criteria of their own, named "Ngoại hình: Tạp chất".
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SET_CODES } from '../src/core/scoring/sheet.js';

interface OptionOut {
  text: string;
  points: number;
  mandatory?: number;
}
interface Missing {
  points: number;
  note: string;
}
interface CriterionOut {
  key: string;
  title: string;
  max: number;
  missing?: Missing;
  mandatory?: number;
  requirement?: string;
  note?: string;
  options: OptionOut[];
}
interface SectionOut {
  number: number;
  title: string;
  points: number;
  note?: string;
  oneOf?: boolean;
  council?: boolean;
  criteria: CriterionOut[];
}
interface PartOut {
  part: string;
  title: string;
  points: number;
  missing?: Missing;
  sections: SectionOut[];
}

const [input, outDir = 'knowledge/bo-tieu-chi'] = process.argv.slice(2);
if (!input) {
  console.error('usage: import-scoring-sheets.ts <qd148-scoring-sheets.md> [out-dir]');
  process.exit(2);
}
const lines = readFileSync(input, 'utf8').split('\n');

const MANDATORY = / \*\*\[bắt buộc (\d)★\]\*\*/;
/** "TÍNH ĐỘC ĐÁO (Chất lượng: …)" → "Tính độc đáo (Chất lượng: …)": a heading in capitals, in sentence case. */
const sentenceCase = (s: string) => {
  const t = s.trim();
  const cut = t.indexOf('(') > 0 ? t.indexOf('(') : t.length;
  const head = t.slice(0, cut);
  return head === head.toUpperCase() ? head.charAt(0) + head.slice(1).toLowerCase() + t.slice(cut) : t;
};
/**
 * Sections judged by the council (tasting, inspection): the sensory ones, and the first quality section of the
 * craft and ornamental sets (workmanship, design; the state of a flower, a plant, an animal).
 */
const judgedByCouncil = (setNumber: number, sectionNumber: number, title: string) =>
  /cảm quan/i.test(title) || (setNumber >= 21 && setNumber <= 25 && sectionNumber === 6);
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function splitNote(rest: string): { requirement?: string; note?: string } {
  const m = / — _(.*)_$/.exec(rest);
  if (!m) return {};
  const body = m[1]!.replace(/^\((.*)\)$/, '$1').trim();
  const req = /^Yêu cầu:\s*(.*)$/.exec(body);
  if (req) return { requirement: req[1]!.trim() };
  return { note: body.replace(/^Ghi chú:\s*/, '').trim() };
}

mkdirSync(outDir, { recursive: true });
let set: { number: number; name: string; source: string; parts: PartOut[]; notes: string[] } | undefined;
let section: SectionOut | undefined;
let criterion: CriterionOut | undefined;
let parent: { key: string; title: string; max: number } | undefined;
let subIndex = 0;

function finishCriterion(): void {
  if (!criterion || !section) return;
  // A line that only groups sub-criteria ("a) Ngoại hình (tối đa 4đ)") has no options of its own.
  if (criterion.options.length === 0) {
    criterion = undefined;
    return;
  }
  if (criterion.max === 0) {
    criterion.max = Math.max(...criterion.options.map((o) => o.points));
    set!.notes.push(`${section.number}.${criterion.key}: "tối đa" missing in the source, read as ${criterion.max}`);
  }
  // The source gives some keys twice ("a) Ngoại hình - Tạp chất lạ", "a) Ngoại hình - Màu sắc"…).
  const used = new Set(section.criteria.map((c) => c.key));
  if (used.has(criterion.key)) {
    let n = 2;
    while (used.has(`${criterion.key}${n}`)) n++;
    set!.notes.push(`${section.number}.${criterion.key}${n}: the source repeats the key "${criterion.key})"`);
    criterion.key = `${criterion.key}${n}`;
  }
  // …and some option texts twice, for different points: the lower one is kept (an estimate errs low).
  const seen = new Set<string>();
  criterion.options = criterion.options.filter((o) => {
    if (!seen.has(o.text)) {
      seen.add(o.text);
      return true;
    }
    set!.notes.push(`${section!.number}.${criterion!.key}: "${o.text}" is listed twice, kept the lower points`);
    return false;
  });
  const best = Math.max(...criterion.options.map((o) => o.points));
  if (best < criterion.max) {
    criterion.missing = { points: criterion.max - best, note: 'no option of the transcription gives the maximum' };
  }
  section.criteria.push(criterion);
  criterion = undefined;
}

/** Points a part lacks in the transcription (its sections add up to less than the part's total). */
function markMissing(parts: PartOut[]): void {
  for (const p of parts) {
    const sum = p.sections.reduce((a, x) => a + x.points, 0);
    if (sum < p.points)
      p.missing = { points: p.points - sum, note: 'the sections of the transcription add up to less' };
  }
}

function write(): void {
  finishCriterion();
  if (!set) return;
  markMissing(set.parts);
  const code = SET_CODES[set.number - 1]!;
  const file = join(outDir, `bo-${String(set.number).padStart(2, '0')}-${slug(set.name)}.yaml`);
  const doc = {
    set: set.number,
    code,
    name: set.name,
    decision: 'QĐ 148/QĐ-TTg ngày 24/02/2023, Phụ lục III',
    confidence: 'verified-2nd',
    source: set.source,
    ...(set.notes.length ? { notes: set.notes } : {}),
    parts: set.parts,
  };
  writeFileSync(file, stringify(doc, { lineWidth: 0 }));
  console.log(`${file}: ${set.parts.map((p) => `${p.part} ${p.sections.length} sections`).join(', ')}`);
}

for (const line of lines) {
  let m: RegExpExecArray | null;
  if ((m = /^### Bộ (\d+)\. (.*)$/.exec(line))) {
    write();
    set = { number: Number(m[1]), name: m[2]!.trim(), source: '', parts: [], notes: [] };
    section = undefined;
    continue;
  }
  if (!set) continue;
  if ((m = /^Source file: (.*?)\. VERIFIED-2nd\.$/.exec(line))) {
    set.source = m[1]!.replace(/`/g, '');
    continue;
  }
  if ((m = /^\*\*Phần ([ABC])[.:]? (.*?)(?: \((\d+) Điểm\))?\*\* — (\d+) điểm$/.exec(line))) {
    finishCriterion();
    set.parts.push({
      part: m[1]!,
      title: sentenceCase(m[2]!.replace(/^:\s*/, '')),
      points: Number(m[4]),
      sections: [],
    });
    continue;
  }
  if ((m = /^- \*\*(\d+)\. (.*)\*\* \((\d+)đ\)(.*)$/.exec(line))) {
    finishCriterion();
    const rest = m[4]!;
    const { requirement, note } = splitNote(rest);
    const title = sentenceCase(m[2]!);
    section = {
      number: Number(m[1]),
      title,
      points: Number(m[3]),
      ...(note || requirement ? { note: note ?? requirement } : {}),
      ...(/một trong hai trường hợp/i.test(rest) ? { oneOf: true } : {}),
      ...(set.parts.at(-1)?.part === 'C' && judgedByCouncil(set.number, Number(m[1]), title) ? { council: true } : {}),
      criteria: [],
    };
    set.parts.at(-1)!.sections.push(section);
    parent = undefined;
    continue;
  }
  if ((m = /^ {2}- (- )?(?:(\S+?) ?[).] )?(.*?) ?\(tối đa (\d*)đ\)(.*)$/.exec(line))) {
    finishCriterion();
    const isSub = m[1] !== undefined;
    const rest = m[5]!;
    const mandatory = MANDATORY.exec(rest);
    const { requirement, note } = splitNote(rest.replace(MANDATORY, ''));
    let key = m[2] ?? 'a';
    let title = sentenceCase(m[3]!.trim() || section!.title);
    const max = Number(m[4] || 0);
    if (!isSub) {
      parent = { key, title, max };
      subIndex = 0;
    } else {
      subIndex += 1;
      key = `${parent!.key}${subIndex}`;
      title = `${parent!.title}: ${title}`;
    }
    criterion = {
      key,
      title,
      max,
      ...(mandatory ? { mandatory: Number(mandatory[1]) } : {}),
      ...(requirement ? { requirement } : {}),
      ...(note ? { note } : {}),
      options: [],
    };
    continue;
  }
  if ((m = /^ {4}- (.*) → (\d+|l|t)đ(.*)$/.exec(line))) {
    if (!criterion) {
      // Options straight under a section ("6. VỊ TRÍ"): one criterion named as the section.
      criterion = { key: 'a', title: section!.title, max: section!.points, options: [] };
    }
    let points = Number(m[2]);
    if (Number.isNaN(points)) {
      points = 1;
      set.notes.push(`${section!.number}.${criterion.key}: the source reads "${m[2]}đ" for "${m[1]}", read as 1`);
    }
    const mandatory = MANDATORY.exec(m[3]!);
    criterion.options.push({ text: m[1]!.trim(), points, ...(mandatory ? { mandatory: Number(mandatory[1]) } : {}) });
  }
}
write();
