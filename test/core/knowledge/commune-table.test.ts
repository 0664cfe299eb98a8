/** The table of communes and wards: what a row says, what is wrong with a broken one, and kb check reporting it. */
import { describe, expect, it } from 'vitest';
import { parseCommuneTable } from '../../../src/core/knowledge/commune-table.js';
import { checkKnowledgeBase } from '../../../src/core/knowledge/knowledge-base.js';

const HEAD = '| Đơn vị | Mã | Hình thành từ |\n|---|---|---|\n';

describe('parseCommuneTable', () => {
  it('reads a unit, its code and its former units grouped by former district', () => {
    const { rows, problems } = parseCommuneTable(
      `${HEAD}| Xã Trà Lĩnh | 01447 | thị trấn Trà Lĩnh, xã Cao Chương (huyện Trùng Khánh); xã Quốc Toản (huyện Quảng Hòa) |`,
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        name: 'Xã Trà Lĩnh',
        kind: 'commune',
        code: '01447',
        formedFrom: [
          { kind: 'town', name: 'Trà Lĩnh', district: 'huyện Trùng Khánh' },
          { kind: 'commune', name: 'Cao Chương', district: 'huyện Trùng Khánh' },
          { kind: 'commune', name: 'Quốc Toản', district: 'huyện Quảng Hòa' },
        ],
      },
    ]);
  });

  it.each([
    ['| Trà Lĩnh | 01447 | xã Cao Chương (huyện Trùng Khánh) |', /must start with "Xã" or "Phường"/],
    ['| Xã Trà Lĩnh | 1447 | xã Cao Chương (huyện Trùng Khánh) |', /five digits/],
    ['| Xã Trà Lĩnh | 01447 | xã Cao Chương |', /followed by "\(huyện …\)"/],
    ['| Xã Trà Lĩnh | 01447 | Cao Chương (huyện Trùng Khánh) |', /must start with "xã", "phường" or "thị trấn"/],
    [
      '| Xã Trà Lĩnh | 01447 | xã Cao Chương (huyện Trùng Khánh) |\n| Xã Quang Hán | 01456 | xã Cao Chương (huyện Trùng Khánh) |',
      /given twice/,
    ],
  ])('reports %j', (rows, problem) => {
    expect(parseCommuneTable(`${HEAD}${rows}`).problems.join('\n')).toMatch(problem);
  });

  it('is checked by kb check', () => {
    const file = (table: string) => ({
      name: 'don-vi-hanh-chinh-cao-bang.md',
      text: [
        '---',
        'id: don-vi-hanh-chinh-cao-bang',
        'title: Đơn vị hành chính',
        'sources:',
        '  - key: nq',
        '    doc: Nghị quyết 1657/NQ-UBTVQH15',
        'applies: 2025',
        'confidence: verified-2nd',
        '---',
        '## Số xã {#so-xa}',
        'Tỉnh Cao Bằng có 56 đơn vị hành chính cấp xã.',
        '<!-- questions',
        '- Cao Bằng có bao nhiêu xã?',
        '- cb co bn xa',
        '- Tỉnh có mấy xã, phường?',
        '-->',
        '## Danh sách {#danh-sach .data}',
        `${HEAD}${table}`,
        '',
      ].join('\n'),
    });
    const good = '| Xã Trà Lĩnh | 01447 | xã Cao Chương (huyện Trùng Khánh) |';
    expect(checkKnowledgeBase([file(good)]).problems).toEqual([]);
    expect(checkKnowledgeBase([file('| Xã Trà Lĩnh | 0144 | xã Cao Chương (huyện Trùng Khánh) |')]).problems).toEqual([
      expect.stringMatching(/^don-vi-hanh-chinh-cao-bang#danh-sach: .*five digits/),
    ]);
  });
});
