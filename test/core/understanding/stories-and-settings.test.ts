/**
 * What people tell before they ask: a story of what they did before ("hôm trước lỡ hủy"), a setting of their
 * product and market ("… có 2 đại lý ở Hà Nội. …?"), a clause that says no to something, a reference code typed
 * loosely, a message with no word to go on, and a question about the app itself. Each reading is checked through
 * the real reader, and the replies through the engine.
 */
import { describe, expect, it } from 'vitest';
import { app, assistant } from '../../support/app.js';

const reader = () => assistant().answerer.reader;
const kind = (text: string) => reader().read(text).request.kind;

describe('a story of what was done before gives way to what is wanted now', () => {
  it.each([
    'bat lai thong bao giup t, hom truoc lo huy',
    'Tháng trước tôi đã hủy nhận thông báo vì bận mùa vụ. Nay tôi muốn nhận lại thông báo như cũ.',
    'cho e nhận tin lại nha, hôm bữa tắt rồi',
    'Trước tôi bấm Hủy nhận thông báo, giờ đổi ý rồi, cho tôi nhận tiếp.',
    'hôm qua em lỡ tắt thông báo, bật lại giúp em',
  ])('%s → subscribe', (text) => {
    expect(kind(text)).toBe('subscribe');
  });

  it('a story of stopping, with nothing wanted now, is still the stopping', () => {
    expect(kind('tắt thông báo đi, hôm trước nhận nhiều quá')).toBe('unsubscribe');
  });
});

describe('a clause that says no', () => {
  it('"ko hủy thông báo nữa" says no to stopping; the form is what is asked', () => {
    expect(kind('t đổi ý rồi, ko hủy thông báo nữa, cho t đk sp')).toBe('register');
  });

  it('"chỉ … thôi" is "only", no word of stopping', () => {
    expect(kind('Không phải đăng ký sản phẩm, tôi chỉ muốn đăng ký nhận thông báo thôi.')).toBe('subscribe');
    expect(kind('em chỉ muốn nhận tin ocop thôi')).toBe('subscribe');
  });

  it('"không nhớ mã hồ sơ" refuses nothing: the look at one\'s submission stays the request', () => {
    expect(kind('Tôi có gửi ý tưởng rượu ngô. Tôi không nhớ mã hồ sơ, bạn xem giúp tôi hồ sơ đó còn không.')).toBe(
      'profile',
    );
  });
});

describe('reference codes typed loosely open "Hồ sơ của tôi"', () => {
  it.each(['OCOP-CB-2026-000123', 'ocop cb 2026 123', 'CB-2026-000123 tới đâu rồi', 'mã 2026-000123 sao rồi ad'])(
    '%s',
    (text) => {
      const r = reader().read(text);
      expect(r.entities.referenceCodes[0]?.code).toMatch(/^OCOP-CB-2026-000123$/);
      expect(r.request.kind).toBe('profile');
    },
  );

  it('a year and a short number is no code ("năm 2026 có 12 sản phẩm")', () => {
    expect(reader().read('năm 2026 có 12 sản phẩm mới không').entities.referenceCodes).toEqual([]);
  });

  it.each(['tôi muốn xem hồ sơ', 'không phải đăng ký, tôi muốn xem hồ sơ', 'hồ sơ của tui đâu mất rồi dzậy'])(
    '%s → "Hồ sơ của tôi"',
    (text) => {
      expect(kind(text)).toBe('profile');
    },
  );

  it('"hồ sơ của mình đang thế nào" asks the state of one\'s own submission', () => {
    expect(kind('Hồ sơ của mình đang thế nào vậy?')).toBe('profile');
    expect(kind('Hồ sơ OCOP đang thế nào thì được công nhận?')).toBe('question');
  });
});

describe('a message with no word to go on gets the menu, and is no unanswered question', () => {
  it.each(['hả', '???', 'hả?', 'gì vậy'])('%s', async (text) => {
    expect(kind(text)).toBe('unclear');
    const a = app();
    const replies = await a.engine.handle({ channel: 'web', userId: `u-${text}`, text, kind: 'text' });
    expect(replies.map((r) => r.text)).toContain(a.messages.menu_prompt);
    expect(replies.some((r) => r.text === a.messages.abstain)).toBe(false);
  });

  it('"ok" stays small talk', () => {
    expect(kind('ok')).toBe('ack');
  });
});

describe('a question about the app itself is the help', () => {
  it.each([
    'xài cái này sao dzậy',
    'Cháu cài cho bà ứng dụng này, bà hỏi nó giúp được những việc gì ạ?',
    'Cán bộ xã giới thiệu bot này nhưng tôi không biết bắt đầu từ đâu.',
    'Bà tôi không biết dùng, trong này có những mục gì để tôi chỉ bà?',
  ])('%s → help', (text) => {
    expect(kind(text)).toBe('help');
  });

  it.each([
    ['sản phẩm OCOP dùng được bao lâu', 'question'],
    ['nó dùng được bao lâu', 'question'],
    ['cán bộ xã bảo bot này dùng hay lắm, đúng thật 😄', 'question'],
  ])('%s is no request for help', (text, expected) => {
    expect(kind(text)).not.toBe('help');
    expect(kind(text)).toBe(expected);
  });

  it('where to start registering is the registration', () => {
    const r = reader().read('muon dang ky ocop nhung chua biet bat dau tu dau');
    expect(r.request.kind).toBe('register');
  });
});

describe('a setting before the question', () => {
  const answer = (q: string) => assistant().answerer.answer(q);

  it('a question mark says which sentence asks; the setting weighs less', () => {
    const r = reader().read(
      'HTX tôi làm chiếu trúc, đã có nhãn nhưng chưa có công bố chất lượng. Hộ kinh doanh có được điểm cộng gì không?',
    );
    expect(r.asking).toBe('Hộ kinh doanh có được điểm cộng gì không?');
    expect(r.tokens.filter((t) => t.aside).length).toBeGreaterThan(3);
  });

  it('when the whole message finds nothing, the asking sentence is answered on its own', () => {
    const q =
      'Tôi là phụ nữ Nùng, làm chủ hộ kinh doanh bánh gai và bánh trứng kiến, có 9 lao động là người trong bản. Khi chấm OCOP tôi có được điểm cộng gì không?';
    const whole = assistant().answerer.reader.read(q);
    expect(whole.asking).toBe('Khi chấm OCOP tôi có được điểm cộng gì không?');
    const a = answer(q);
    expect(a.abstained).toBe(false);
    expect(a.sources[0]?.id).toBe(answer('Khi chấm OCOP tôi có được điểm cộng gì không?').sources[0]?.id);
    expect(a.question).toBe(q);
  });

  it('a province where the writer sells is no question about that province', () => {
    const r = reader().read('Mật ong nhà tôi 3 sao, mở thêm 2 đại lý ở Hà Nội. Muốn đánh giá lại thì cần hồ sơ gì?');
    expect(r.entities.provinces.map((p) => [p.name, p.market])).toEqual([['Hà Nội', true]]);
    expect(answer(r.typed).abstainReason).not.toBe('other_province');
  });

  it.each(['muon danh gia lai thi can gi', 'Muốn đánh giá lại thì cần hồ sơ gì?'])(
    '"%s" names no province (Gia Lai)',
    (text) => {
      expect(reader().read(text).entities.provinces).toEqual([]);
    },
  );

  it('a province typed with its own accents, or none, is still that province', () => {
    expect(
      reader()
        .read('OCOP tỉnh Gia Lai có gì')
        .entities.provinces.map((p) => p.name),
    ).toEqual(['Gia Lai']);
    expect(
      reader()
        .read('ocop gia lai co bao nhieu sp')
        .entities.provinces.map((p) => p.name),
    ).toEqual(['Gia Lai']);
  });

  it('a province where the writer lives still is', () => {
    const r = reader().read('Tôi ở Hà Nội, muốn làm OCOP thì nộp hồ sơ ở đâu?');
    expect(r.entities.provinces[0]?.market).toBeUndefined();
    expect(answer(r.typed).abstainReason).toBe('other_province');
  });
});

describe('never mind, putting off, and small talk however long', () => {
  it.each(['thôi không đăng ký nữa đâu', 'thôi không hủy nữa, cứ để vậy', 'không hủy nữa'])(
    '"%s" outside the form changes nothing and gets a short reply',
    async (text) => {
      const a = app();
      await a.subscribers.touch('telegram', 'nm', { at: Date.now() });
      await a.subscribers.setOptIn('telegram', 'nm', true);
      const replies = await a.engine.handle({ channel: 'telegram', userId: 'nm', text, kind: 'text' });
      expect(replies.map((r) => r.text)).not.toContain(a.messages.confirm_unsubscribe);
      expect((await a.subscribers.get('telegram', 'nm'))?.optedIn).toBe(true);
    },
  );

  it('a bare "thôi" still asks before stopping the news', async () => {
    const a = app();
    await a.subscribers.touch('telegram', 'th', { at: Date.now() });
    await a.subscribers.setOptIn('telegram', 'th', true);
    const replies = await a.engine.handle({ channel: 'telegram', userId: 'th', text: 'thôi', kind: 'text' });
    expect(replies.map((r) => r.text)).toContain(a.messages.confirm_unsubscribe);
  });

  it.each([
    ['Thôi để mai tôi làm, giờ đang bận.', 'ack'],
    ['Ok mình nhận được tin rồi nhé.', 'ack'],
    ['à cảm ơn nhé thế thôi tôi đi làm đây lúc khác nói chuyện tiếp nhé', 'thanks'],
  ])('%s → %s', (text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  it.each(['rồi bước sau đó', 'ok vậy đăng ký ở đâu', 'ocop cao bang giai doan 2026-2030 con lam ko hay dung r'])(
    '"%s" is no small talk',
    (text) => {
      expect(['ack', 'thanks', 'goodbye']).not.toContain(kind(text));
    },
  );

  it('"ngừng gửi", "khỏi gửi nữa" stop the news', () => {
    expect(kind('ngừng gửi')).toBe('unsubscribe');
    expect(kind('khỏi gửi nữa')).toBe('unsubscribe');
  });
});

describe('vowels marked, tones left out', () => {
  it('a message with no tone mark anywhere is read as typed without accents, and restored', () => {
    const r = reader().read('ba lam chiêu truc đan tay lâu rôi, chau hoi xem đăng ky ocop thi vao nhom nao');
    expect(r.tokens.find((t) => t.raw === 'chiêu')?.accented).toBe(false);
    const a = assistant().answerer.answer(r);
    expect(a.kind).toBe('classification');
    expect(a.body).toMatch(/Chiếu trúc/);
  });

  it('a message with its tones keeps its accents as typed', () => {
    const r = reader().read('Chương trình OCOP năm nay có gì mới');
    expect(r.tokens.find((t) => t.folded === 'chuong')?.accented).toBe(true);
    expect(r.tokens.find((t) => t.raw === 'năm')?.accented).toBe(true);
  });

  it('a short message with a level-tone word is no toneless message', () => {
    expect(
      reader()
        .read('đăng ký ocop')
        .tokens.find((t) => t.raw === 'đăng')?.accented,
    ).toBe(true);
  });
});

describe('"là … gì" asks what something is', () => {
  it.each(['ocop là chương trình gì vậy ạ', 'HTX là tổ chức gì'])('%s', (text) => {
    expect(reader().read(text).answerTypes).toContain('definition');
  });

  it('"là cái gì" is the plain definition cue too, and "gì" mid-clause is none', () => {
    expect(reader().read('giấy chứng nhận là gì').answerTypes).toContain('definition');
    expect(reader().read('hồ sơ là phiếu gì đó cần nộp ở xã').answerTypes).not.toContain('definition');
  });
});

describe('asking leave, conditions, and questions about the bot', () => {
  it('wanting the idea form and asking leave asks for it, in capitals and without a space after the comma', () => {
    expect(reader().read('TOI MUON DANG KY Y TUONG SAN PHAM MIEN DONG,CO DUOC KHONG').request.kind).toBe('register');
  });

  it('"cập nhật thông báo" is receiving the news', () => {
    expect(kind('Tôi muốn được cập nhật thông báo mới nhất của tỉnh')).toBe('subscribe');
  });

  it('a condition ("nếu … thì … không?") asks what would follow, and requests nothing', () => {
    expect(kind('Nếu tôi hủy nhận thông báo thì hồ sơ đã nộp có bị hủy theo không?')).toBe('question');
    expect(kind('nếu được thì cho em đăng ký luôn')).toBe('register');
  });

  it.each(['Bot này dùng để làm gì?', 'Bot có những chức năng gì để tôi giới thiệu cho bà con?'])(
    '%s → help',
    (text) => {
      expect(kind(text)).toBe('help');
    },
  );

  it('"giấy chứng nhận dùng để làm gì" asks about the certificate', () => {
    expect(kind('giấy chứng nhận dùng để làm gì')).toBe('question');
  });
});

describe('markets and years to come', () => {
  it('"bán chủ yếu ở Lạng Sơn", with the accent on "bán", names a market', () => {
    const r = reader().read('Tôi trồng hạt dẻ ở Trùng Khánh nhưng bán chủ yếu ở Lạng Sơn. Nộp hồ sơ ở đâu?');
    expect(r.entities.provinces.map((p) => [p.name, p.market])).toEqual([['Lạng Sơn', true]]);
  });

  it('"bạn ở Lạng Sơn" is no market', () => {
    expect(reader().read('bạn ở Lạng Sơn thì nộp hồ sơ ở đâu').entities.provinces[0]?.market).toBeUndefined();
  });

  it("how a year to come will be is a prediction; a plan's target for it is not", () => {
    const next = new Date().getFullYear() + 1;
    expect(reader().read(`nam ${next} cao bang co sp 5 sao ko`).outOfScope).toBe('prediction');
    expect(reader().read(`đến ${next + 3} cao bang phan dau bn sp ocop`).outOfScope).toBeUndefined();
  });
});
