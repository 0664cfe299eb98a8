/**
 * Requests and questions as the tuning-22 writers typed them: stopping the sending in so many words, complaints of
 * too many messages, "bb" and "mai hỏi tiếp" as goodbyes, an office's hours and phone typed without accents, and the
 * state of someone else's file, which product tastes better, and a product named alone. Each through the real
 * reader and answerer.
 */
import { describe, expect, it } from 'vitest';
import { assistant } from '../../support/app.js';

const read = (text: string) => assistant().answerer.reader.read(text);
const scope = (text: string) => read(text).outOfScope;

describe('stopping the announcements', () => {
  it('"thoi dung gui nua" stops the sending, not a form', () => {
    expect(read('thoi dung gui nua').request.kind).toBe('unsubscribe');
    // Cancelling the sending of a file stays a cancel.
    expect(read('thôi hủy gửi hồ sơ').request.kind).toBe('cancel');
  });

  it.each(['Dạo này tin nhắn gửi về nhiều quá, tôi đọc không xuể.', 'nhắn nhiều quá phiền ghê ad 😩'])(
    '%j is a complaint: the bot asks before stopping',
    (text) => {
      const r = read(text);
      expect(r.request.kind).toBe('unsubscribe');
      expect(r.request.confirm).toBe(true);
    },
  );

  it('a question about sending many papers is no complaint', () => {
    expect(read('hồ sơ phải gửi nhiều quá không').request.kind).toBe('question');
  });
});

describe('goodbyes', () => {
  it.each(['bb', 'bb ad, mai e hỏi tiếp', 'pp ad nhé', 'mai e hoi tiep nha'])('%j is a goodbye', (text) => {
    expect(read(text).request.kind).toBe('goodbye');
  });
});

describe('out of scope, typed without accents', () => {
  it.each([
    ['ubnd xa may h mo cua', 'office_hours'],
    ['bo phan 1 cua xa may h dong cua', 'office_hours'],
    ['Ủy ban nhân dân xã làm việc đến mấy giờ, sáng thứ bảy có mở cửa không?', 'office_hours'],
    ['cho minh xin so dien thoai phong kinh te xa Quang Uyen', 'agency_contact'],
    ['Hồ sơ OCOP của bà Nông Thị Lệ Thùy hiện đã được xử lý đến bước nào rồi?', 'someone_file'],
  ])('%j → %s', (text, expected) => {
    expect(scope(text)).toBe(expected);
  });

  it('"nâng hạng lại bn sp" asks a count, not a profit', () => {
    expect(scope('gd 21-25 tinh nang hang lai bn sp da co sao')).toBeUndefined();
  });

  it.each([
    'Rượu ngô Đại Hoàng với rượu ngô Bình Long, loại nào ngon hơn?',
    'Which is better: mật ong Hoàng Tung hay mật ong Đoàn Linh? Mình nên mua loại nào?',
  ])('%j asks an opinion', (text) => {
    expect(scope(text)).toBe('opinion');
  });

  it("another province's figure is answered only from a passage naming its stars or year as well", () => {
    const answer = (q: string) => assistant().answerer.answer(q);
    expect(answer('Tỉnh Quảng Ninh hiện có bao nhiêu sản phẩm OCOP 5 sao?').abstainReason).toBe('other_province');
    expect(answer('Tỉnh Quảng Ninh năm 2024 có bao nhiêu sản phẩm OCOP du lịch cộng đồng?').abstainReason).toBe(
      'other_province',
    );
    expect(answer('Bắc Ninh thưởng bao nhiêu cho sản phẩm 3 sao').body).toContain('Bắc Ninh thưởng 8 triệu');
    expect(answer('tỉnh Quảng Ninh nhận ý tưởng sản phẩm vào tháng mấy').body).toContain('Quảng Ninh');
  });

  it('the steps of the dossier stay a question', () => {
    expect(scope('Hồ sơ OCOP gồm những bước nào')).toBeUndefined();
  });
});

describe('a product named and nothing else', () => {
  const answer = (q: string) => assistant().answerer.answer(q);

  it.each([
    ['hat de', 'Hạt dẻ Trùng Khánh', 'ngành Thực phẩm'],
    ['Khẩu sli?', 'Khẩu sli Nà Giàng', 'ngành Thực phẩm'],
    ['dau hoi?', 'Dầu hồi', 'Dược liệu'],
  ])('%j: the passage about it, then its group', (q, about, group) => {
    const a = answer(q);
    expect(a.body).toContain(about);
    expect(a.body).toContain(group);
    expect(a.body.indexOf(about)).toBeLessThan(a.body.indexOf(group));
  });

  it('a question about the product gets no group line', () => {
    expect(answer('hạt dẻ trùng khánh được mấy sao').body).not.toContain('theo Bộ tiêu chí OCOP hiện hành');
  });
});
