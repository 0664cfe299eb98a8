/**
 * What a sentence must hold to answer a kind of question, with Vietnamese words whole (JavaScript's \b is ASCII
 * only: "xã", "tại", "Ủy ban" never matched it).
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_EVIDENCE } from '../../../src/core/knowledge/ranking.js';

describe('answer evidence', () => {
  it.each([
    ['where', 'Công ty ở Phja Đén, xã Thành Công.', true],
    ['where', 'Hồ sơ nộp tại UBND xã.', true],
    ['where', 'Sản phẩm có mã xã riêng.', true],
    ['where', 'Sản phẩm đạt 4 sao.', false],
    ['where', 'Hợp tác xã và doanh nghiệp đều đăng ký được.', false],
    ['where', 'Chương trình Mỗi xã một sản phẩm.', false],
    ['who', 'Ủy ban nhân dân tỉnh công nhận.', true],
    ['who', 'Bộ Nông nghiệp và Môi trường công nhận sản phẩm 5 sao.', true],
    ['who', 'Bộ tiêu chí OCOP có 26 bộ sản phẩm.', false],
    ['who', 'Sở Công Thương hỗ trợ xúc tiến thương mại.', true],
    ['group', 'Mật ong thuộc nhóm thực phẩm.', true],
    ['group', 'Nhóm: thực phẩm.', true],
  ] as const)('%s in «%s»: %s', (type, sentence, holds) => {
    expect(ANSWER_EVIDENCE[type]!.test(sentence)).toBe(holds);
  });
});

describe('a list named in a row', () => {
  it.each([
    ['Hồ sơ gồm phiếu đăng ký, báo cáo tự đánh giá và tài liệu minh chứng.', true],
    ['Bộ tiêu chí gồm Phần A 35 điểm, Phần B 25 điểm và Phần C 40 điểm.', false],
  ])('«%s»: %s', (sentence, holds) => {
    expect(ANSWER_EVIDENCE.list!.test(sentence)).toBe(holds);
  });
});
