/**
 * Questions on what a commune or ward was formed from and what a former commune became, answered from the table of
 * units with the resolution cited and the caution its secondary source calls for; questions that only name a
 * commune are left to the passages. The table-driven part takes its expectations from
 * test/fixtures/communes/units.json, not from the knowledge file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMUNE_SOURCE_ID, type FormerUnit, formerUnitLabel } from '../../../src/core/knowledge/commune-table.js';
import { fold } from '../../../src/core/text/vietnamese.js';
import { assistant } from '../../support/app.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/communes/units.json', import.meta.url), 'utf8')) as {
  units: { name: string; formedFrom: FormerUnit[] }[];
  sharedFormerNames: Record<string, unknown>;
};

const ask = (q: string) => assistant().answerer.answer(q);
const inSentence = (unit: string) => unit.replace(/^(Xã|Phường)/u, (p) => p.toLowerCase());

describe('commune questions answered from the table of units', () => {
  const m = assistant().messages;

  it('says what a unit was formed from, citing the resolution with the caution', () => {
    const a = ask('xã Quảng Uyên gồm những xã cũ nào');
    expect(a.kind).toBe('commune');
    expect(a.body).toContain('xã Quảng Uyên được lập từ: thị trấn Quảng Uyên, xã Phi Hải, xã Phúc Sen, xã Chí Thảo');
    expect(a.body).toContain('1657/NQ-UBTVQH15');
    expect(a.sources.map((s) => s.id)).toEqual([COMMUNE_SOURCE_ID]);
    expect(a.text).toContain(m.caution_secondary);
  });

  it.each([
    ['xã Phúc Sen cũ nay thuộc xã nào', 'xã Quảng Uyên'],
    ['xa phuc sen cu nay thuoc xa nao', 'xã Quảng Uyên'],
    ['phường Tân Giang gồm những phường cũ nào', 'xã Lê Chung'],
    ['thi tran ta lung sap nhap vao xa nao', 'xã Phục Hòa'],
    ['Xã Hưng Đạo huyện Nguyên Bình cũ nay thuộc xã nào', 'xã Tam Kim'],
    ['Hưng Đạo (Nguyên Bình) bây giờ là xã gì', 'xã Tam Kim'],
  ])('%j → %s', (q, unit) => {
    const a = ask(q);
    expect(a.kind).toBe('commune');
    expect(a.body).toContain(unit);
  });

  it('lists every district of a former name several districts had, unless one is named', () => {
    const all = ask('xã Hưng Đạo cũ nay thuộc xã nào').body;
    for (const unit of ['phường Thục Phán', 'xã Hưng Đạo', 'xã Tam Kim']) expect(all).toContain(`nay thuộc ${unit}`);
    const one = ask('xã Hưng Đạo của huyện Nguyên Bình cũ nay thuộc xã nào').body;
    expect(one).toContain('xã Tam Kim');
    expect(one).not.toContain('Thục Phán');
  });

  it.each([
    'xa phuc sen co may sp ocop',
    'Hồ sơ OCOP gồm những giấy tờ gì?',
    "lan's homestay dat ocop o xa nao vay",
    'Tôi ở xã Trùng Khánh, muốn đăng ký ý tưởng thì nộp ở đâu?',
    'Cao Bằng có những phường nào?',
  ])('leaves %j to the passages', (q) => expect(ask(q).kind).not.toBe('commune'));

  it('answers "Cao Bằng có những phường nào" with the three wards', () => {
    const a = ask('Cao Bằng có những phường nào');
    for (const w of ['Thục Phán', 'Nùng Trí Cao', 'Tân Giang']) expect(a.body).toContain(w);
  });

  // Every former unit whose name no other district had, asked as written and without diacritics.
  const cases = fixture.units.flatMap((u) =>
    u.formedFrom
      .filter((f) => !(f.name in fixture.sharedFormerNames))
      .flatMap((f) => {
        const q = `${formerUnitLabel(f)} cũ nay thuộc xã nào`;
        return [
          [q, u.name],
          [fold(q), u.name],
        ] as const;
      }),
  );
  it('covers the former units', () => expect(cases.length).toBeGreaterThan(280));
  it.each(cases)('%j → %s', (q, unit) => {
    const a = ask(q);
    expect(a.kind).toBe('commune');
    expect(fold(a.body)).toContain(fold(`nay thuộc ${inSentence(unit)}`));
  });
});
