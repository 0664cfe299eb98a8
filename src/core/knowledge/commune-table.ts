/**
 * The table of Cao Bằng's communes and wards (knowledge/don-vi-hanh-chinh-cao-bang.md, `#danh-sach .data`): each
 * unit after the 2025 reorganisation, its code, and the former communes, wards and towns it was formed from, each
 * with its former district. Read by the commune directory (the registration form) and by the answerer (place
 * names); checked by `kb check`.
 *
 * A row: `| Xã Quảng Uyên | 01576 | thị trấn Quảng Uyên, xã Phi Hải, xã Phúc Sen, xã Chí Thảo (huyện Quảng Hòa) |`.
 * The third cell lists groups separated by ";", each a comma-separated list of former units followed by their
 * district in parentheses: `xã Đức Hạnh (huyện Bảo Lâm); xã Cốc Pàng (huyện Bảo Lạc)`.
 */

/** The data section with the table. */
export const COMMUNE_TABLE_ID = 'don-vi-hanh-chinh-cao-bang#danh-sach';
/** The passage on the list and the resolution it comes from: cited by answers read from the table. */
export const COMMUNE_SOURCE_ID = 'don-vi-hanh-chinh-cao-bang#danh-sach-chua-du';

export type UnitKind = 'commune' | 'ward';
export type FormerUnitKind = UnitKind | 'town';

export interface FormerUnit {
  kind: FormerUnitKind;
  /** Without its prefix: "Phúc Sen". */
  name: string;
  /** With its level, as written: "huyện Quảng Hòa", "thành phố Cao Bằng". */
  district: string;
}

export interface CommuneRow {
  /** With its prefix: "Xã Quảng Uyên", "Phường Thục Phán". */
  name: string;
  kind: UnitKind;
  /** Five digits: "01576". */
  code: string;
  formedFrom: FormerUnit[];
}

const UNIT = /^(Xã|Phường)\s+(\S.*)$/u;
const FORMER = /^(xã|phường|thị trấn)\s+(\S.*)$/iu;
const GROUP = /^(.+?)\s*\(\s*((?:huyện|thành phố)\s+[^()]+?)\s*\)$/iu;
const CODE = /^\d{5}$/;

const KIND_OF_PREFIX: Record<string, FormerUnitKind> = { xã: 'commune', phường: 'ward', 'thị trấn': 'town' };
const PREFIX_OF_KIND: Record<FormerUnitKind, string> = { commune: 'xã', ward: 'phường', town: 'thị trấn' };

/** "xã Phúc Sen", "thị trấn Trùng Khánh". */
export function formerUnitLabel(unit: Pick<FormerUnit, 'kind' | 'name'>): string {
  return `${PREFIX_OF_KIND[unit.kind]} ${unit.name}`;
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** The rows of the table, and what is wrong with it (a row that does not parse, a name or code given twice). */
export function parseCommuneTable(body: string): { rows: CommuneRow[]; problems: string[] } {
  const rows: CommuneRow[] = [];
  const problems: string[] = [];
  const lines = body
    .normalize('NFC')
    .split('\n')
    .filter((l) => l.trim().startsWith('|'));
  // The header and the |---| line.
  for (const line of lines.slice(2)) {
    const [name = '', code = '', from = '', ...extra] = cells(line);
    const where = `commune table row "${name}"`;
    const unit = UNIT.exec(name);
    if (!unit) problems.push(`${where}: the name must start with "Xã" or "Phường"`);
    if (!CODE.test(code)) problems.push(`${where}: code "${code}" must be five digits`);
    if (extra.length) problems.push(`${where}: more than three cells`);
    const formedFrom: FormerUnit[] = [];
    for (const group of from.split(';').map((g) => g.trim())) {
      const g = GROUP.exec(group);
      if (!g) {
        problems.push(`${where}: "${group}" must be former units followed by "(huyện …)" or "(thành phố …)"`);
        continue;
      }
      const district = g[2]!.replace(/\s+/g, ' ');
      for (const former of g[1]!.split(',').map((f) => f.trim())) {
        const f = FORMER.exec(former);
        if (!f) problems.push(`${where}: "${former}" must start with "xã", "phường" or "thị trấn"`);
        else formedFrom.push({ kind: KIND_OF_PREFIX[f[1]!.toLowerCase()]!, name: f[2]!.trim(), district });
      }
    }
    if (!formedFrom.length) problems.push(`${where}: no former unit`);
    if (unit) rows.push({ name, kind: unit[1] === 'Xã' ? 'commune' : 'ward', code, formedFrom });
  }
  const seen = new Set<string>();
  for (const r of rows) {
    for (const key of [r.name.toLowerCase(), r.code]) {
      if (seen.has(key)) problems.push(`commune table: "${key}" is given twice`);
      seen.add(key);
    }
  }
  const formers = new Set<string>();
  for (const f of rows.flatMap((r) => r.formedFrom)) {
    const key = `${formerUnitLabel(f)} (${f.district})`.toLowerCase();
    if (formers.has(key)) problems.push(`commune table: former unit "${key}" is given twice`);
    formers.add(key);
  }
  if (!rows.length) problems.push('commune table: no row');
  return { rows, problems };
}
