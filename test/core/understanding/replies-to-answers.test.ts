/**
 * What people write back to an answer, and words that look like a request but are not: "sai rồi" (the answer
 * missed), "dung roi" (đúng rồi, not dừng), "hủy gửi hồ sơ" (cancelling a submission, not the news), "tem OCOP
 * dùng thế nào" (the label, not the bot), and a count asked for a year the knowledge base has no figure for.
 * Readings go through the real reader, replies through the engine with its real stores.
 */
import { describe, expect, it } from 'vitest';
import { app, assistant } from '../../support/app.js';
import { afterAnswer } from '../../support/follow-up.js';

const reader = () => assistant().answerer.reader;
const kind = (text: string) => reader().read(text).request.kind;

async function optedIn(userId: string) {
  const a = app();
  await a.subscribers.touch('telegram', userId, { at: Date.now() });
  await a.subscribers.setOptIn('telegram', userId, true);
  return a;
}

describe('"the answer missed" is said back, not asked', () => {
  it.each(['sai rồi', 'sai roi', 'Sai rồi bạn ơi', 'không phải cái đó', 'khong dung', 'hiểu nhầm rồi ạ', 'lạc đề'])(
    '%s → wrong',
    (text) => {
      expect(kind(text)).toBe('wrong');
    },
  );

  it('gets the apology and how to ask again, never a passage', async () => {
    const a = app();
    await a.engine.handle({ channel: 'web', userId: 'w1', text: 'OCOP là gì?', kind: 'text' });
    const replies = await a.engine.handle({ channel: 'web', userId: 'w1', text: 'sai roi', kind: 'text' });
    expect(replies.map((r) => r.text)).toEqual([a.messages.small_talk.wrong]);
    expect(replies.some((r) => r.sources?.length)).toBe(false);
  });

  it('with a question after it, the question is answered', () => {
    expect(kind('sai rồi, tôi hỏi phần C được bao nhiêu điểm')).toBe('question');
  });
});

describe('"dung roi" is "đúng rồi" before it is "dừng"', () => {
  it.each(['dung roi', 'đúng rồi', 'ok dung roi', 'dung roi a'])('%s → ack', (text) => {
    expect(kind(text)).toBe('ack');
  });

  it('keeps the announcements of a subscriber who types it', async () => {
    const a = await optedIn('dr');
    const replies = await a.engine.handle({ channel: 'telegram', userId: 'dr', text: 'dung roi', kind: 'text' });
    expect(replies.map((r) => r.text)).toEqual([a.messages.small_talk.ack]);
    expect((await a.subscribers.get('telegram', 'dr'))?.optedIn).toBe(true);
  });

  it('"dung" alone still asks before stopping', async () => {
    const a = await optedIn('d1');
    const replies = await a.engine.handle({ channel: 'telegram', userId: 'd1', text: 'dung', kind: 'text' });
    expect(replies.map((r) => r.text)).toContain(a.messages.confirm_unsubscribe);
  });
});

describe('cancelling a submission is no unsubscribing', () => {
  it.each(['hủy gửi hồ sơ', 'huy gui ho so', 'huy phieu dang ky', 'hủy gửi ý tưởng'])('%s → cancel, asked', (text) => {
    const r = reader().read(text).request;
    expect(r.kind).toBe('cancel');
    expect(r.confirm).toBe(true);
  });

  it('outside the form: nothing to cancel, and the news stay on', async () => {
    const a = await optedIn('hg');
    const replies = await a.engine.handle({ channel: 'telegram', userId: 'hg', text: 'hủy gửi hồ sơ', kind: 'text' });
    expect(replies.map((r) => r.text)).toContain(a.messages.nothing_to_stop);
    expect((await a.subscribers.get('telegram', 'hg'))?.optedIn).toBe(true);
  });

  it('the news named is still the news', () => {
    expect(kind('hủy nhận thông báo')).toBe('unsubscribe');
    expect(kind('hủy đăng ký nhận tin')).toBe('unsubscribe');
  });
});

describe('how to use something named is a question about it', () => {
  it.each(['tem OCOP dùng thế nào', 'cách sử dụng logo OCOP'])('%s → question', (text) => {
    expect(kind(text)).toBe('question');
  });

  it.each(['dùng thế nào', 'bot này dùng thế nào', 'hướng dẫn sử dụng', 'xài cái này sao'])('%s → help', (text) => {
    expect(kind(text)).toBe('help');
  });
});

describe('a count for a year with no figure', () => {
  it('abstains with what is known, and "hiện nay" alone gets the newest figure', () => {
    const answerer = assistant().answerer;
    const year = answerer.answer('Đến giữa năm 2026, tỉnh Cao Bằng có bao nhiêu sản phẩm OCOP?');
    expect(year.abstained).toBe(true);
    expect(year.abstainReason).toBe('not_known');
    expect(year.text).toContain('144');
    const now = answerer.answer('Hiện nay Cao Bằng có bao nhiêu sản phẩm OCOP?');
    expect(now.abstained).toBe(false);
    expect(now.body).toContain('144');
  });
});

describe('"ai ký" after a question about a decision', () => {
  it('carries the decision the previous question named', () => {
    const r = reader();
    const first = r.read('qđ 1489 sửa nội dung gì của bộ tiêu chí vậy ad');
    const next = r.readInContext('ai ki v', { previous: r.topicOf(first, undefined, Date.now()), now: Date.now() });
    expect(next.entities.documents.map((d) => d.number)).toContain('1489');
    expect(assistant().answerer.answer(next).body).toContain('Trần Hồng Hà');
  });

  it('carries the decision the previous answer named', () => {
    const next = afterAnswer('nghi quyet sap xep xa cua cb so may', 'ai ky');
    expect(assistant().answerer.answer(next).body).toContain('Trần Thanh Mẫn');
  });
});

describe('"giá" inside another word is no price', () => {
  it('"đánh giá bao nhiêu hồ sơ" asks a count; "mật ong giá bao nhiêu" a price', () => {
    expect(reader().read('Năm 2021 Cao Bằng đánh giá bao nhiêu hồ sơ sản phẩm ở cấp tỉnh?').outOfScope).toBeUndefined();
    expect(reader().read('mật ong giá bao nhiêu').outOfScope).toBe('price');
  });
});

describe('a follow-up asking for a part of the previous answer', () => {
  const ask = (first: string, second: string) => assistant().answerer.answer(afterAnswer(first, second)).body;

  it('keeps the year, and the part asked is answered', () => {
    expect(ask('Năm 2021 Cao Bằng đánh giá bao nhiêu hồ sơ sản phẩm ở cấp tỉnh?', 'Của bao nhiêu chủ thể?')).toContain(
      '23 chủ thể',
    );
    expect(ask('hết năm 2022 tỉnh có bao nhiêu sản phẩm ocop ạ', 'trong đó thực phẩm bao nhiêu ạ')).toMatch(
      /^[^.]*77 sản phẩm thực phẩm/,
    );
  });
});

describe('pointing back at what the previous answer was about', () => {
  it('"Nó …" opens a follow-up however long, and the product keeps its weight', () => {
    const next = afterAnswer(
      'Mật ong Đoàn Linh có phải là sản phẩm OCOP không?',
      'Nó được công nhận vào năm nào và do ai sản xuất?',
    );
    expect(next.followUp).toBe('strong');
    expect(assistant().answerer.answer(next).sources[0]?.id).toBe('san-pham-ocop-cao-bang#mat-ong');
  });

  it('"homestay đó" is the homestay asked about, not another', () => {
    const next = afterAnswer("Lan's Homestay ở Trùng Khánh đạt mấy sao OCOP?", 'Chủ của homestay đó là ai?');
    expect(assistant().answerer.answer(next).body).toContain('Hoàng Thị Lan');
  });

  it('"xã đó" is the commune the answer placed its subject in', () => {
    const next = afterAnswer('Mật ong Đoàn Linh ở đâu?', 'xã đó gồm những xã cũ nào');
    expect(next.text).toContain('xã Minh Tâm');
    expect(assistant().answerer.answer(next).body).toContain('Trương Lương');
  });
});
