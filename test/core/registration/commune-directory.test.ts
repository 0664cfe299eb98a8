/**
 * Reading the commune a producer types against the directory: the repository's table of 56 units and their former
 * units (typed as written, without diacritics, with prefixes, typos, a former district, a district next to a former
 * name shared by several districts), and small made-up directories for the edge cases.
 */
import { describe, expect, it } from 'vitest';
import type { FormerUnit } from '../../../src/core/knowledge/commune-table.js';
import {
  COMMUNE_LIST_ID,
  CommuneDirectory,
  type CommuneMatch,
  OTHER_PLACES_ID,
} from '../../../src/core/registration/commune-directory.js';
import { assistant } from '../../support/app.js';

const former = (kind: FormerUnit['kind'], name: string, district: string): FormerUnit => ({ kind, name, district });
const exact = (name: string): CommuneMatch => ({ kind: 'exact', name });
const suggest = (...names: string[]): CommuneMatch => ({ kind: 'suggest', options: names.map((name) => ({ name })) });

describe('CommuneDirectory from the repository knowledge base', () => {
  const directory = CommuneDirectory.fromKnowledgeBase(assistant().kb);

  it('lists the 3 wards and 53 communes in the order of the table', () => {
    const all = directory.listAll();
    expect(all).toHaveLength(56);
    expect(all.filter((n) => n.startsWith('Phường '))).toEqual([
      'Phường Thục Phán',
      'Phường Nùng Trí Cao',
      'Phường Tân Giang',
    ]);
    expect(all.slice(3, 5)).toEqual(['Xã Bảo Lâm', 'Xã Lý Bôn']);
    expect(new Set(all).size).toBe(56);
  });

  it.each<[string, CommuneMatch]>([
    // current units, with and without diacritics, case, prefixes, the province and a former district around them
    ['Quảng Lâm', exact('Xã Quảng Lâm')],
    ['quang lam', exact('Xã Quảng Lâm')],
    ['QUANG LAM', exact('Xã Quảng Lâm')],
    ['xa quang lam', exact('Xã Quảng Lâm')],
    ['x. Cô Ba', exact('Xã Cô Ba')],
    ['Quảng Lâm, Cao Bằng', exact('Xã Quảng Lâm')],
    ['quang lam tinh cao bang', exact('Xã Quảng Lâm')],
    ['P. Thuc Phan', exact('Phường Thục Phán')],
    ['P.Thục Phán', exact('Phường Thục Phán')],
    ['phuong tan giang', exact('Phường Tân Giang')],
    ['Tĩnh Túc', exact('Xã Tĩnh Túc')], // "Tĩnh" is not the prefix "tỉnh"
    ['thôn Nà Rụa, xã Quảng Lâm, huyện Bảo Lâm, tỉnh Cao Bằng', exact('Xã Quảng Lâm')],
    ['xa quang lam huyen bao lam tinh cao bang', exact('Xã Quảng Lâm')],
    // the units the first list lacked, and names the knowledge base wrongly called districts only
    ['xã Trùng Khánh', exact('Xã Trùng Khánh')],
    ['xa ha lang', exact('Xã Hạ Lang')],
    ['Quảng Uyên', exact('Xã Quảng Uyên')],
    ['tra linh', exact('Xã Trà Lĩnh')],
    ['Đàm Thủy', exact('Xã Đàm Thủy')],
    ['xã Đàm Thuỷ', exact('Xã Đàm Thủy')], // tone placement variant
    // a former unit of the same name is the unit
    ['tt Nguyên Bình', exact('Xã Nguyên Bình')],
    ['thị trấn Trùng Khánh', exact('Xã Trùng Khánh')],
    ['P. Tân Giang', exact('Phường Tân Giang')],
    // former units under another name
    [
      'Phúc Sen',
      { kind: 'former_unit', name: 'Xã Quảng Uyên', former: former('commune', 'Phúc Sen', 'huyện Quảng Hòa') },
    ],
    [
      'xa phuc sen',
      { kind: 'former_unit', name: 'Xã Quảng Uyên', former: former('commune', 'Phúc Sen', 'huyện Quảng Hòa') },
    ],
    [
      'thi tran ta lung',
      { kind: 'former_unit', name: 'Xã Phục Hòa', former: former('town', 'Tà Lùng', 'huyện Quảng Hòa') },
    ],
    ['xã Tà Lùng', { kind: 'former_unit', name: 'Xã Phục Hòa', former: former('town', 'Tà Lùng', 'huyện Quảng Hòa') }],
    [
      'phường Sông Hiến',
      { kind: 'former_unit', name: 'Phường Thục Phán', former: former('ward', 'Sông Hiến', 'thành phố Cao Bằng') },
    ],
    [
      'xa noi thon',
      { kind: 'former_unit', name: 'Xã Tổng Cọt', former: former('commune', 'Nội Thôn', 'huyện Hà Quảng') },
    ],
    // a former name of several districts: the district named next to it decides, or a question
    [
      'xã Hưng Đạo',
      {
        kind: 'choose_former',
        former: 'Hưng Đạo',
        options: [
          { name: 'Xã Hưng Đạo', former: former('commune', 'Hưng Đạo', 'huyện Bảo Lạc') },
          { name: 'Phường Thục Phán', former: former('commune', 'Hưng Đạo', 'thành phố Cao Bằng') },
          { name: 'Xã Tam Kim', former: former('commune', 'Hưng Đạo', 'huyện Nguyên Bình') },
        ],
      },
    ],
    [
      'hung dao, nguyen binh',
      { kind: 'former_unit', name: 'Xã Tam Kim', former: former('commune', 'Hưng Đạo', 'huyện Nguyên Bình') },
    ],
    ['xã Hưng Đạo huyện Bảo Lạc', exact('Xã Hưng Đạo')],
    [
      'Hưng Đạo thành phố Cao Bằng',
      { kind: 'former_unit', name: 'Phường Thục Phán', former: former('commune', 'Hưng Đạo', 'thành phố Cao Bằng') },
    ],
    [
      'phuc sen quang hoa',
      { kind: 'former_unit', name: 'Xã Quảng Uyên', former: former('commune', 'Phúc Sen', 'huyện Quảng Hòa') },
    ],
    [
      'xa vinh quang huyen bao lam',
      { kind: 'former_unit', name: 'Xã Lý Bôn', former: former('commune', 'Vĩnh Quang', 'huyện Bảo Lâm') },
    ],
    // typos → suggestions, of current names and of former ones
    ['quang lma', suggest('Xã Quảng Lâm')],
    ['quanglam', suggest('Xã Quảng Lâm')],
    ['thuc phna', suggest('Phường Thục Phán')],
    ['tan', suggest('Phường Tân Giang', 'Xã Canh Tân')],
    [
      'phuc sem',
      {
        kind: 'suggest',
        options: [{ name: 'Xã Quảng Uyên', former: former('commune', 'Phúc Sen', 'huyện Quảng Hòa') }],
      },
    ],
    // former districts
    ['Quang Hoa', { kind: 'former_district', district: 'huyện Quảng Hòa' }],
    ['huyện Trùng Khánh', { kind: 'former_district', district: 'huyện Trùng Khánh' }],
    ['H. Hòa An', { kind: 'former_district', district: 'huyện Hòa An' }],
    ['tp cao bang', { kind: 'former_district', district: 'thành phố Cao Bằng' }],
    ['Trùng Khánh', { kind: 'former_district', district: 'huyện Trùng Khánh', sameNameUnit: 'Xã Trùng Khánh' }],
    ['Bảo Lạc', { kind: 'former_district', district: 'huyện Bảo Lạc', sameNameUnit: 'Xã Bảo Lạc' }],
    ['hoa an', { kind: 'former_district', district: 'huyện Hòa An', sameNameUnit: 'Xã Hòa An' }],
    // unknown
    ['Hoàn Kiếm', { kind: 'unknown' }],
    ['abc', { kind: 'unknown' }],
    ['Hà Nội', { kind: 'unknown' }],
    ['Cao Bằng', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
  ])('%j', (input, expected) => expect(directory.match(input)).toEqual(expected));

  it.each([
    ['quang lâmm', 'Xã Quảng Lâm'],
    ['Thuc Phna', 'Phường Thục Phán'],
    ['nung tri ca', 'Phường Nùng Trí Cao'],
    ['luong nam', 'Xã Lũng Nặm'],
    ['nguyen hu', 'Xã Nguyễn Huệ'],
    ['tong cto', 'Xã Tổng Cọt'],
    ['xuan truog', 'Xã Xuân Trường'],
    ['trung khan', 'Xã Trùng Khánh'],
  ])('%j suggests or finds %s first', (input, name) => {
    const m = directory.match(input);
    const first = m.kind === 'exact' ? m.name : m.kind === 'suggest' ? m.options[0]?.name : undefined;
    expect(first).toBe(name);
    if (m.kind === 'suggest') expect(m.options.length).toBeLessThanOrEqual(3);
  });

  it('lists the units formed from the communes of a former district', () => {
    expect(directory.unitsOfDistrict('huyện Hạ Lang')).toEqual([
      'Xã Lý Quốc',
      'Xã Quang Long',
      'Xã Hạ Lang',
      'Xã Vinh Quý',
    ]);
    // Units across two former districts belong to both.
    expect(directory.unitsOfDistrict('huyện Quảng Hòa')).toContain('Xã Trà Lĩnh');
    expect(directory.unitsOfDistrict('huyện Trùng Khánh')).toContain('Xã Trà Lĩnh');
    expect(directory.unitsOfDistrict('thành phố Cao Bằng')).toEqual([
      'Phường Thục Phán',
      'Phường Nùng Trí Cao',
      'Phường Tân Giang',
    ]);
  });
});

describe('CommuneDirectory built from lists', () => {
  // Two made-up units whose names fold alike, and made-up former units.
  const directory = new CommuneDirectory(
    [
      'Xã Hòa An',
      'Xã Hoà Ân',
      'Phường Tân An',
      { name: 'Xã Tân An', formedFrom: [former('commune', 'Tân Hòa', 'huyện Tân Yên')] },
      {
        name: 'Xã Bình Minh',
        formedFrom: [former('commune', 'Bình Minh', 'huyện Tân Yên'), former('town', 'Tân Hòa', 'huyện Bắc Sơn')],
      },
    ],
    ['Tân Yên'],
  );

  it.each<[string, CommuneMatch]>([
    ['hoa an', suggest('Xã Hòa An', 'Xã Hoà Ân')],
    ['Hoá An', suggest('Xã Hòa An', 'Xã Hoà Ân')], // accents fit neither
    ['Hòa Ân', exact('Xã Hoà Ân')], // tone placement variant of "Hoà Ân"
    ['Hoà An', exact('Xã Hòa An')], // tone placement variant of "Hòa An"
    ['Hoa Ân', suggest('Xã Hòa An', 'Xã Hoà Ân')], // partly accented, fits neither
    ['hoà ân', exact('Xã Hoà Ân')],
    ['phường Tân An', exact('Phường Tân An')],
    ['xã tan an', exact('Xã Tân An')],
    ['tan an', suggest('Phường Tân An', 'Xã Tân An')],
    ['Tân Yên', { kind: 'former_district', district: 'huyện Tân Yên' }],
    // a former name in two districts; the prefix or the district tells them apart
    [
      'tan hoa',
      {
        kind: 'choose_former',
        former: 'Tân Hòa',
        options: [
          { name: 'Xã Tân An', former: former('commune', 'Tân Hòa', 'huyện Tân Yên') },
          { name: 'Xã Bình Minh', former: former('town', 'Tân Hòa', 'huyện Bắc Sơn') },
        ],
      },
    ],
    [
      'thị trấn Tân Hòa',
      { kind: 'former_unit', name: 'Xã Bình Minh', former: former('town', 'Tân Hòa', 'huyện Bắc Sơn') },
    ],
    [
      'tân hòa, huyện tân yên',
      { kind: 'former_unit', name: 'Xã Tân An', former: former('commune', 'Tân Hòa', 'huyện Tân Yên') },
    ],
    ['Bắc Sơn', { kind: 'former_district', district: 'huyện Bắc Sơn' }], // a district of the former units
  ])('%j', (input, expected) => expect(directory.match(input)).toEqual(expected));

  it('rejects a unit without its prefix', () => {
    expect(() => new CommuneDirectory(['Quảng Lâm'], [])).toThrow(/Xã/);
  });

  it('reads the table and the district lines of a knowledge base by id, and refuses a broken table', () => {
    const table = [
      '| Đơn vị | Mã | Hình thành từ |',
      '|---|---|---|',
      '| Phường Thục Phán | 01273 | phường Sông Hiến, xã Hưng Đạo (thành phố Cao Bằng); xã Hoàng Tung (huyện Hòa An) |',
      '| Xã Quảng Lâm | 01304 | xã Quảng Lâm, xã Thạch Lâm (huyện Bảo Lâm) |',
    ].join('\n');
    const kb = (body: string) => ({
      data: new Map([
        [COMMUNE_LIST_ID, { body }],
        [OTHER_PLACES_ID, { body: '- Tỉnh Cao Bằng\n- Huyện Trùng Khánh' }],
      ]),
    });
    const dir = CommuneDirectory.fromKnowledgeBase(kb(table));
    expect(dir.listAll()).toEqual(['Phường Thục Phán', 'Xã Quảng Lâm']);
    expect(dir.match('trung khanh')).toEqual({ kind: 'former_district', district: 'huyện Trùng Khánh' });
    expect(dir.match('hoang tung')).toEqual({
      kind: 'former_unit',
      name: 'Phường Thục Phán',
      former: former('commune', 'Hoàng Tung', 'huyện Hòa An'),
    });
    expect(dir.match('cao bang')).toEqual({ kind: 'unknown' });
    expect(() => CommuneDirectory.fromKnowledgeBase(kb(`${table}\n| Quảng Uyên | 1576 | Phúc Sen |`))).toThrow(
      /Xã.*Phường|five digits/,
    );
  });
});
