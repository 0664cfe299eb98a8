/**
 * A follow-up that names another unit of the table ("thế còn Hưng Đạo ở Nguyên Bình", "còn phường Nùng Trí Cao")
 * is answered for that unit, with what the question before asked (what it became, or what it was formed from).
 */
import { describe, expect, it } from 'vitest';
import { assistant } from '../../support/app.js';

function dialogue(first: string, second: string) {
  const { answerer } = assistant();
  const r0 = answerer.reader.read(first);
  const a0 = answerer.answer(r0);
  const previous = answerer.reader.topicOf(r0, a0.sources[0]?.id, 0, a0.body);
  return { first: a0, second: answerer.answer(answerer.reader.readInContext(second, { previous, now: 0 })) };
}

describe('follow-ups about other units of the table', () => {
  it.each([
    [
      'xã Hưng Đạo cũ ở Bảo Lạc giờ là xã nào',
      'thế còn Hưng Đạo ở Nguyên Bình',
      /Hưng Đạo cũ \(huyện Nguyên Bình\) nay thuộc xã Tam Kim/,
    ],
    [
      'Xã Vĩnh Quang cũ thuộc thành phố Cao Bằng nay thuộc đơn vị nào?',
      'Còn xã Vĩnh Quang ở huyện Bảo Lâm cũ?',
      /nay thuộc xã Lý Bôn/,
    ],
    [
      'phường Thục Phán gồm những xã phường cũ nào',
      'còn phường Nùng Trí Cao',
      /Nùng Trí Cao được lập từ: phường Sông Bằng/,
    ],
  ])('%s → %s', (first, second, expected) => {
    const d = dialogue(first, second);
    expect(d.first.kind).toBe('commune');
    expect(d.second.kind).toBe('commune');
    expect(d.second.body).toMatch(expected);
  });
});

describe('parts of the criteria are no product group', () => {
  it('a product in the setting does not turn a question about parts A, B, C into a classification', () => {
    const a = assistant().answerer.answer(
      'Nhà tôi làm miến dong bán ở chợ phiên. Nghe nói OCOP chấm 100 điểm. Vậy 100 điểm chia cho phần A, B, C thế nào?',
    );
    expect(a.kind).toBe('retrieval');
    expect(a.body).toMatch(/Phần A 40 điểm/);
  });
});
