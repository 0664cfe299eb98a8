/**
 * Follow-ups that carry the previous question's entities: a product named twice is replaced both times, "năm sau
 * đó" is the year after the one asked (written as it was: "hết năm"), a star level typed glued to its number
 * ("3sao") replaces the previous one. And the sentence quoted for "hết năm 2023" is the total up to then, "riêng
 * năm 2023" the year's own. Read and answered through the real reader and knowledge base.
 */
import { describe, expect, it } from 'vitest';
import { assistant } from '../../support/app.js';
import { afterAnswer } from '../../support/follow-up.js';

const answerer = () => assistant().answerer;
const answerAfter = (first: string, second: string) => answerer().answer(afterAnswer(first, second));

describe('a follow-up about another product', () => {
  it.each([
    ['Nhà tôi làm mật ong, cho hỏi mật ong thuộc nhóm OCOP nào?', 'Còn rượu ngô thì sao?', 'II.1.a'],
    ['chi ban mien dong o cho, mien dong thuoc nhom nao vay', 'the con mat ong', 'I.2.b'],
  ])('%s → %s', (first, second, code) => {
    const a = answerAfter(first, second);
    expect(a.kind).toBe('classification');
    expect(a.category?.code).toBe(code);
  });
});

describe('"năm sau đó", "năm trước" after a question about a year', () => {
  it('is the next year, asked as the first was ("hết năm" stays the total)', () => {
    const reading = afterAnswer(
      'Đến hết năm 2022 Cao Bằng có bao nhiêu sản phẩm OCOP?',
      'thế năm sau đó thì bao nhiêu',
    );
    expect(reading.entities.years.map((y) => [y.year, y.through])).toEqual([[2023, true]]);
    expect(answerer().answer(reading).body).toContain('144');
  });
  it('is the year before', () => {
    const reading = afterAnswer('Riêng năm 2023 Cao Bằng có thêm bao nhiêu sản phẩm OCOP?', 'còn năm trước đó');
    expect(reading.entities.years.map((y) => y.year)).toEqual([2022]);
  });
  it('leaves a follow-up that names its own year alone', () => {
    const reading = afterAnswer('Năm 2023 Cao Bằng có bao nhiêu sản phẩm OCOP?', 'năm sau là 2025 thì sao');
    expect(reading.entities.years.map((y) => y.year)).toEqual([2025]);
  });
});

describe('a number typed glued to what it counts', () => {
  it('"con 3sao" after a question about 4-star products asks about 3-star ones', () => {
    const reading = afterAnswer('nam2022 cb co bn sp ocop dc 4 sao', 'con 3sao');
    expect(reading.entities.stars.map((s) => s.stars)).toEqual([3]);
    expect(answerer().answer(reading).body).toContain('88 sản phẩm 3 sao');
  });
  it('"1kg", "1 kg" is a kilogram, and its price is not known', () => {
    for (const typed of ['hat de trung khanh ban bn 1kg', 'mien dong ban bn 1 kg vay']) {
      const a = answerer().answer(typed);
      expect(a.abstained).toBe(true);
      expect(a.abstainReason).toBe('price');
    }
  });
});

describe('the sentence for the time asked', () => {
  it('"hết năm 2023" quotes the total up to then, "riêng năm 2023" the year\'s own', () => {
    expect(answerer().answer('hết năm 2023 cb có bn sp ocop').body.split('\n')[0]).toContain('144');
    expect(answerer().answer('riêng năm 2023 cb có thêm bn sp ocop').body.split('\n')[0]).toContain('68');
  });
});

describe('pointing back at what was asked', () => {
  it('"chương trình đó" in a longer follow-up is the programme just asked about', () => {
    const a = answerer().answer(
      afterAnswer(
        'Chương trình OCOP đầu tiên giai đoạn 2018 - 2020 được phê duyệt bằng quyết định nào?',
        'Vậy kinh phí dự kiến cho chương trình đó tất cả là bao nhiêu?',
      ),
    );
    expect(a.body).toContain('45.000');
  });
  it('"xã đó" is the commune the question named, not one the answer mentions in passing', () => {
    const reading = afterAnswer('Xã Phúc Sen cũ có mấy sản phẩm OCOP?', 'xã đó giờ thuộc xã mới nào');
    expect(reading.text).toContain('xã Phúc Sen');
    expect(answerer().answer(reading).body).toContain('Quảng Uyên');
  });
});

describe('the names after the count', () => {
  it('"mấy phường, tên gì" after the count of communes names the three wards', () => {
    const body = answerer().answer(
      afterAnswer('Cao Bằng sau sắp xếp có bao nhiêu xã, phường?', 'Trong đó có mấy phường, tên là gì?'),
    ).body;
    for (const ward of ['Thục Phán', 'Nùng Trí Cao', 'Tân Giang']) expect(body).toContain(ward);
  });
});

describe('who signed the decision pointed back at, or one named', () => {
  it('"Quyết định đó do ai ký?" after a question about QĐ 1489 is answered from QĐ 1489 itself', () => {
    const a = answerAfter(
      'Quyết định 1489/QĐ-TTg thay đổi những gì trong quy trình đánh giá, phân hạng sản phẩm OCOP?',
      'Quyết định đó do ai ký?',
    );
    expect(a.sources[0]?.id).toBe('van-ban-phap-ly#qd-1489');
    expect(a.body).toContain('Trần Hồng Hà');
  });

  it('"the qd moi …" after a question about QĐ 1048 is not QĐ 1048', () => {
    const a = answerAfter('bo tieu chi ocop gio van la qd 1048 dung ko', 'the qd moi do ban hanh ngay nao');
    expect(a.sources[0]?.id).not.toBe('van-ban-phap-ly#qd-1048');
  });
});

describe('"còn …" with another year, in a longer message', () => {
  it('"Còn bộ tiêu chí năm 2023 thì chia ra sao?" asks the first question of 2023', () => {
    const first = 'Bộ tiêu chí OCOP ban hành năm 2019 chia điểm các phần A, B, C như thế nào?';
    const reading = afterAnswer(first, 'Còn bộ tiêu chí năm 2023 thì chia ra sao?');
    expect(reading.followUp).toBe('strong');
    expect(reading.entities.years.map((y) => y.year)).toEqual([2023]);
    const a = answerer().answer(reading);
    expect(a.sources[0]?.id).toBe('tieu-chi-danh-gia#bo-tieu-chi-hien-hanh');
    // Every part asked is in the list quoted, "A" too (a letter as common as a word).
    for (const part of ['Phần A', 'Phần B', 'Phần C']) expect(a.body).toContain(part);
  });
});

describe('where the company of the answer before is', () => {
  it('"cty nay o dau vay" after a question about Kolia tea quotes where Kolia is', () => {
    const a = answerAfter('tra kolia dc may sao ocop', 'cty nay o dau vay');
    expect(a.body).toContain('Phja Đén');
  });
});

describe('what a decision changed', () => {
  it('is answered from the decision itself, and the papers of a re-evaluation from their own passage', () => {
    const a = answerer().answer(
      'Quyết định 1489 năm 2025 đã thay đổi những gì trong quy trình đánh giá, phân hạng sản phẩm OCOP?',
    );
    expect(a.sources[0]?.id).toBe('van-ban-phap-ly#qd-1489');
    const b = answerer().answer('Hồ sơ đánh giá lại khi giấy chứng nhận hết hạn gồm những gì?');
    expect(b.body).toContain('phiếu đăng ký');
  });
});

describe('a word spelt as a demonstrative but read as another', () => {
  it('"con do uong" after the food group asks the drinks group ("đồ", not "đó")', () => {
    expect(answerAfter('nhom thuc pham gom nhung gi', 'con do uong').body).toContain('có cồn');
  });

  it('"nhom do gom nhung j" points back at the group asked before', () => {
    expect(afterAnswer('so voi truoc thi ocop them nhom moi nao', 'nhom do gom nhung j').text).not.toMatch(/^nhom do /);
  });
});
