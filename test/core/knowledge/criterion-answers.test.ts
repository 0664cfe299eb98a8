/**
 * Questions on one criterion or section of the QĐ 148 scoring sheets, answered from the sheets themselves
 * (knowledge/bo-tieu-chi/*.yaml) with the caution their secondary source calls for; questions on whole parts, or
 * that only share words with a criterion's name, are left to the passages. Expectations come from the sheets.
 */
import { describe, expect, it } from 'vitest';
import { loadScoringSheets } from '../../../src/adapters/files/load-files.js';
import { fold } from '../../../src/core/text/vietnamese.js';
import { assistant } from '../../support/app.js';
import { afterAnswer } from '../../support/follow-up.js';

const sheets = loadScoringSheets('knowledge');
const ask = (q: string) => assistant().answerer.answer(q);

/** Criteria of parts A and B that every sheet has, with the same maximum. */
const shared = sheets[0]!.parts
  .filter((p) => p.part !== 'C')
  .flatMap((p) => p.sections.flatMap((s) => s.criteria))
  .filter((c) =>
    sheets.every((sheet) =>
      sheet.parts.some((p) => p.sections.some((s) => s.criteria.some((x) => x.title === c.title && x.max === c.max))),
    ),
  );

describe('criterion questions answered from the scoring sheets', () => {
  it('finds criteria every sheet shares', () => {
    expect(shared.length).toBeGreaterThanOrEqual(5);
  });

  it.each(shared.map((c) => [c.title.replace(/\s*\(.*$/s, ''), c.max] as const))(
    '"%s" → tối đa %i điểm, as written and typed without diacritics',
    (title, max) => {
      for (const q of [`Tiêu chí ${title} được tối đa mấy điểm?`, fold(`${title} duoc bao nhieu diem`)]) {
        const a = ask(q);
        expect(a.kind).toBe('criterion');
        expect(a.body).toContain(`«${title}»`);
        expect(a.body).toContain(`được tối đa ${max} điểm`);
      }
    },
  );

  it('quotes each option with its points, and cites the sheets with the caution line', () => {
    const a = ask('lao dong dia phuong chiem bn % thi dc diem toi da');
    expect(a.body).toContain('Có sử dụng ≥ 75% lao động là người trên địa bàn cấp huyện: 3 điểm');
    expect(a.sources.map((s) => s.id)).toEqual(['tieu-chi-danh-gia#phieu-cham-diem']);
    expect(a.text).toContain(assistant().messages.caution_secondary);
  });

  it('answers a section with its points and its criteria', () => {
    const a = ask('Trong phần A, mục sức mạnh cộng đồng được tối đa bao nhiêu điểm?');
    expect(a.body).toContain('«Sức mạnh cộng đồng» của Phần A được tối đa 12 điểm');
    expect(a.body).toContain('Sử dụng lao động địa phương: tối đa 3 điểm');
  });

  it('names the sheets whose maximum differs', () => {
    const a = ask('gia tăng giá trị được mấy điểm');
    expect(a.body).toContain('Hoa (23), Cây cảnh (24), Động vật cảnh (25) tối đa 4 điểm');
  });

  it('reads a criterion named in part ("độ tinh xảo") inside a longer question', () => {
    const a = ask('làm nông cụ rèn thì có tiêu chí nào cho độ tinh xảo không, được tối đa mấy điểm?');
    expect(a.kind).toBe('criterion');
    expect(a.body).toContain('«Mức độ tinh xảo/sắc nét của sản phẩm»');
  });

  it('a follow-up naming another section is read with what the question before asked of the first', () => {
    const second = afterAnswer(
      'Trong phần A, mục tổ chức sản xuất được tối đa bao nhiêu điểm?',
      'Còn mục phát triển sản phẩm?',
    );
    const a = assistant().answerer.answer(second);
    expect(a.kind).toBe('criterion');
    expect(a.body).toContain('«Phát triển sản phẩm» của Phần A được tối đa 10 điểm');
  });

  it.each([
    ['Phần C về chất lượng sản phẩm chiếm bao nhiêu điểm?', '35'],
    ['Thang điểm OCOP chia thành phần A, B, C, mỗi phần tối đa bao nhiêu điểm?', '40'],
    ['Bộ Nông nghiệp và Phát triển nông thôn hợp nhất với Bộ Tài nguyên và Môi trường từ thời điểm nào?', '2025'],
    ['phát triển sản phẩm OCOP giai đoạn 2021-2025 kinh phí bao nhiêu', '120 tỷ'],
    // A part named by its title, or a section's name said as a part.
    ['Khả năng tiếp thị được chấm tối đa mấy điểm?', '25'],
    ['Phần sức mạnh cộng đồng được bao nhiêu điểm?', '40'],
    // "chấm" without asking how or how much; "điểm" inside a name.
    ['Có cần sổ sách kế toán với nhật ký sản xuất để chấm OCOP không?', 'sổ sách'],
    ['Điểm du lịch sinh thái thác nước thì đăng ký OCOP nhóm gì?', 'Dịch vụ du lịch'],
  ])('%j is no criterion question', (q, fact) => {
    const a = ask(q);
    expect(a.kind).not.toBe('criterion');
    expect(a.body).toContain(fact);
  });
});
