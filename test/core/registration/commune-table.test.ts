/**
 * Every unit of Cao Bằng after 1/7/2025 and every one of the 161 former units, typed as written and without
 * diacritics, with and without their prefix and next to their former district, read by the commune directory of
 * the repository's knowledge base. The expected answers come from test/fixtures/communes/units.json, written from
 * the research notes on NQ 1657/NQ-UBTVQH15, not from the knowledge file the directory reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMUNE_TABLE_ID, type FormerUnit, parseCommuneTable } from '../../../src/core/knowledge/commune-table.js';
import { CommuneDirectory, type CommuneMatch } from '../../../src/core/registration/commune-directory.js';
import { fold, tonedKey, words } from '../../../src/core/text/vietnamese.js';
import { assistant } from '../../support/app.js';

interface Fixture {
  units: { code: string; name: string; formedFrom: FormerUnit[] }[];
  sharedFormerNames: Record<string, { district: string; unit: string }[]>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/communes/units.json', import.meta.url), 'utf8'),
) as Fixture;

const PREFIX: Record<FormerUnit['kind'], string> = { commune: 'xã', ward: 'phường', town: 'thị trấn' };
const bare = (unit: string) => unit.replace(/^(Xã|Phường) /u, '');
/** The former districts ("Trùng Khánh"), whose bare names ask whether the district or the commune is meant. */
const districts = new Set(
  fixture.units.flatMap((u) => u.formedFrom.map((f) => f.district)).filter((d) => d.startsWith('huyện ')),
);
const isDistrict = (name: string) => districts.has(`huyện ${name}`);

interface Case {
  typed: string;
  /** The unit it must resolve to, or the choice it must ask (former district → unit). */
  unit?: string;
  choice?: { district: string; unit: string }[];
  /** A bare former district name: the question "this commune, or another of the district?". */
  district?: string;
}

/** Each case as written and without diacritics. */
const bothWays = (c: Case): Case[] => [c, { ...c, typed: fold(c.typed) }];

function cases(): Case[] {
  const out: Case[] = [];
  for (const u of fixture.units) {
    const name = bare(u.name);
    const shared = fixture.sharedFormerNames[name];
    const prefix = u.name.startsWith('Phường') ? 'phường' : 'xã';
    const expected: Case = shared ? { typed: '', choice: shared } : { typed: '', unit: u.name };
    out.push(...bothWays({ ...expected, typed: `${prefix} ${name}` }));
    if (shared) out.push(...bothWays({ typed: name, choice: shared }));
    else if (isDistrict(name)) out.push(...bothWays({ typed: name, district: `huyện ${name}`, unit: u.name }));
    else out.push(...bothWays({ typed: name, unit: u.name }));
  }
  for (const u of fixture.units) {
    for (const f of u.formedFrom) {
      const shared = fixture.sharedFormerNames[f.name];
      const typed = `${PREFIX[f.kind]} ${f.name}`;
      if (shared) {
        out.push(...bothWays({ typed, choice: shared }), ...bothWays({ typed: f.name, choice: shared }));
      } else {
        out.push(...bothWays({ typed, unit: u.name }));
        if (isDistrict(f.name)) out.push(...bothWays({ typed: f.name, district: `huyện ${f.name}`, unit: u.name }));
        else out.push(...bothWays({ typed: f.name, unit: u.name }));
      }
      // Next to its former district, every former unit is one unit.
      out.push(...bothWays({ typed: `${typed}, ${f.district}`, unit: u.name }));
    }
  }
  return out;
}

/** What the directory says, in the terms of a case. */
function reading(m: CommuneMatch): Omit<Case, 'typed'> {
  switch (m.kind) {
    case 'exact':
      return { unit: m.name };
    case 'former_unit':
      return { unit: m.name };
    case 'choose_former':
      return { choice: m.options.map((o) => ({ district: o.former?.district ?? '', unit: o.name })) };
    case 'former_district':
      return { district: m.district, ...(m.sameNameUnit ? { unit: m.sameNameUnit } : {}) };
    default:
      return {};
  }
}

const byDistrict = (a: { district: string }, b: { district: string }) => a.district.localeCompare(b.district);

describe('the commune table: all units and former units, from the fixture', () => {
  const directory = CommuneDirectory.fromKnowledgeBase(assistant().kb);

  it('holds 56 units (3 wards, 53 communes) formed from 161 former units, as the resolution says', () => {
    expect(fixture.units).toHaveLength(56);
    expect(fixture.units.filter((u) => u.name.startsWith('Phường'))).toHaveLength(3);
    expect(fixture.units.flatMap((u) => u.formedFrom)).toHaveLength(161);
    expect([...directory.listAll()].sort()).toEqual(fixture.units.map((u) => u.name).sort());
  });

  it('is the table of the knowledge base: names, codes, former units and their districts', () => {
    // Tone placement aside ("Thuỷ", "Thủy"), letter for letter.
    const key = (name: string) => words(name).map(tonedKey).join(' ');
    const view = (u: { code: string; name: string; formedFrom: FormerUnit[] }) => ({
      code: u.code,
      name: key(u.name),
      formedFrom: u.formedFrom.map((f) => `${f.kind} ${key(f.name)} (${f.district})`).sort(),
    });
    const { rows, problems } = parseCommuneTable(assistant().kb.data.get(COMMUNE_TABLE_ID)?.body ?? '');
    expect(problems).toEqual([]);
    expect(rows.map(view).sort((a, b) => a.code.localeCompare(b.code))).toEqual(
      fixture.units.map(view).sort((a, b) => a.code.localeCompare(b.code)),
    );
  });

  it('lists as shared exactly the former names found in several districts', () => {
    const districtsOf = new Map<string, Set<string>>();
    for (const f of fixture.units.flatMap((u) => u.formedFrom))
      districtsOf.set(f.name, (districtsOf.get(f.name) ?? new Set()).add(f.district));
    const shared = [...districtsOf].filter(([, d]) => d.size > 1).map(([n]) => n);
    expect(shared.sort()).toEqual(Object.keys(fixture.sharedFormerNames).sort());
  });

  // One case per typed text: the same text from two rows ("xã Quảng Lâm", a unit and its former commune) must
  // expect the same.
  const byTyped = new Map<string, Case>();
  const conflicts: string[] = [];
  for (const c of cases()) {
    const seen = byTyped.get(c.typed);
    if (seen && JSON.stringify(seen) !== JSON.stringify(c)) conflicts.push(c.typed);
    if (!seen) byTyped.set(c.typed, c);
  }
  const all = [...byTyped.values()];
  it('has one expectation for every text, and a case for every way of typing', () => {
    expect(conflicts).toEqual([]);
    expect(all.length).toBeGreaterThan(800);
  });

  it.each(all.map((c) => [c.typed, c] as const))('%j', (typed, c) => {
    const got = reading(directory.match(typed));
    if (c.choice) {
      expect(got.choice?.sort(byDistrict)).toEqual([...c.choice].sort(byDistrict));
    } else if (c.district) {
      expect(got).toEqual({ district: c.district, unit: c.unit });
    } else {
      expect(got).toEqual({ unit: c.unit });
    }
  });
});
