/**
 * Requests as a fresh round of writers typed them (tuning-16): the stroke of "đ" forgotten, shorthand read by the
 * word after it, the state of what was sent asked in a few words, no more need of the news, where to press, and
 * questions that look like requests but ask a fee or advice. Each through the real reader.
 */
import { describe, expect, it } from 'vitest';
import { assistant } from '../../support/app.js';
import { afterAnswer } from '../../support/follow-up.js';

const reader = () => assistant().answerer.reader;
const read = (text: string) => reader().read(text);
const kind = (text: string) => read(text).request.kind;
const readsAs = (text: string, expected: string) => expect(kind(text)).toBe(expected);

describe('"d" typed for "đ" beside other accents', () => {
  it('"dăng ki" is "đăng ký" when the knowledge base never writes "dăng"', () => {
    const r = read('dăng ki y tuong sp che');
    expect(r.request.kind).toBe('register');
  });

  it('a word the knowledge base writes with "d" stays as typed', () => {
    expect(read('dầu hồi là sp gì').product?.matched).toBe('dầu hồi');
  });
});

describe('shorthand read by the word after it', () => {
  it('"hd su dung" is the help; "hd cap tinh" stays the council', () => {
    expect(kind('hd su dung')).toBe('help');
    expect(read('hd cap tinh gom nhung ai').tokens.map((t) => t.folded)).toContain('hoi');
  });

  it('"kt tinh trang dk" and "kt ho so giup e" look at one\'s submissions', () => {
    expect(kind('kt tinh trang dk')).toBe('profile');
    expect(kind('kt ho so giup e')).toBe('profile');
  });
});

describe('the state of what was sent, in a few words', () => {
  it.each([
    'sp e dk xong chua a',
    'nhà e gửi 2 cái ý tưởng r, xem lại cả 2 đc ko',
    'Em đăng ký sản phẩm miến dong hôm qua, giờ muốn xem lại thông tin đã gửi.',
    'xem tiến độ giúp em',
  ])('%s → profile', (text) => {
    expect(kind(text)).toBe('profile');
  });

  it('what comes once it is done is a question', () => {
    expect(kind('dk y tuong xong thi lam j tiep')).toBe('question');
    expect(kind('giay chung nhan ocop dang ky xong dc bao lau thi het han')).toBe('question');
  });

  it('"Mở danh sách chức năng" is the help, not a list of submissions', () => {
    expect(kind('Mở danh sách chức năng.')).toBe('help');
  });
});

describe('wanting the form, said in other ways', () => {
  it('telling who one is and what one wants, with no question, asks for the form', () => {
    expect(kind('Chúng tôi là tổ hợp tác dệt thổ cẩm, muốn gửi ý tưởng sản phẩm để tham gia OCOP.')).toBe('register');
    expect(kind('Hộ gia đình như nhà tôi có được đăng ký tham gia không?')).toBe('question');
  });

  it('where to press for it is the form', () => {
    const r = read('hộ nhà em làm bún khô, muốn dk ý tưởng sp thì bấm đâu ạ').request;
    expect(r.kind).toBe('register');
    expect(r.clarify).toBeFalsy();
  });

  it('making a new file ("tạo hồ sơ đăng ký mới") offers the form or the explanation; what it needs is asked', () => {
    for (const text of ['tạo hồ sơ đăng ký mới', 'lam ho so moi', 'tao ho so dang ky cho htx em']) {
      const r = read(text).request;
      expect(r.kind, text).toBe('register');
      expect(r.clarify, text).toBe(true);
    }
    expect(kind('làm hồ sơ ocop cần những gì')).toBe('question');
  });

  it('may I, for a product named, offers the form or the explanation', () => {
    const r = read('dki ocop cho sp chieu truc dc k a').request;
    expect(r.kind).toBe('register');
    expect(r.clarify).toBe(true);
  });
});

describe('no more need of the news', () => {
  it.each(['thôi khỏi nhắn cho c nữa', 'k can tb nua dau', 'Không cần thông báo nữa.'])('%s → unsubscribe', (text) => {
    expect(kind(text)).toBe('unsubscribe');
  });

  it('"hiện menu lên đi" shows the menu', () => {
    expect(kind('hien menu len di')).toBe('menu');
  });
});

describe('look-alike questions the bot cannot answer', () => {
  it('a fee abstains (reason fee); the free assistant and announcements are answered; a budget is no fee', () => {
    const answerer = assistant().answerer;
    for (const q of ['Đăng ký OCOP có mất phí không, bao nhiêu tiền?', 'dk y tuong mat phi bn']) {
      const fee = answerer.answer(q);
      expect(fee.abstained).toBe(true);
      expect(fee.abstainReason).toBe('fee');
    }
    expect(answerer.answer('Nhận thông báo có mất phí không?').abstained).toBe(false);
    expect(answerer.answer('dùng trợ lý có mất phí không').sources[0]?.id).toBe('tro-ly-ocop#mien-phi');
    expect(answerer.answer('de an ocop cao bang tong kinh phi bn').body).toContain('326');
  });

  it('a phone number to register with abstains', () => {
    expect(assistant().answerer.answer('sdt dk ocop cao bang la j').abstained).toBe(true);
  });

  it('which product to choose is advice', () => {
    expect(read('nen dk sp nao de de dc 3 sao').outOfScope).toBe('opinion');
  });
});

describe('products in a long message, and pointed at again', () => {
  it('"Hồi năm 2018" is back then, no star anise; "hồi thuộc nhóm nào" is', () => {
    expect(read('Hồi năm 2018, Quyết định 490 chia sản phẩm OCOP thành những nhóm nào?').product).toBeUndefined();
    expect(read('hồi thuộc nhóm nào').product?.matched).toBe('hồi');
  });

  it('"homestay nhỏ" is a small homestay, not "hồi nhỏ"', () => {
    expect(
      read('nhà c mở homestay nhỏ ở Trùng Khánh, khách tây cũng hay đến, c muốn làm ocop thì thuộc nhóm j e').product
        ?.matched,
    ).toBe('homestay');
  });

  it('"Homestay đó nằm ở đâu?" after homestays asks where, of that homestay', () => {
    const next = afterAnswer('Cao Bằng có homestay nào đạt OCOP 4 sao không?', 'Homestay đó nằm ở đâu?');
    expect(assistant().answerer.answer(next).body).toContain('Đàm Thủy');
  });
});

describe('words typed glued together', () => {
  it('"gd2021-2025 kinhphi bn ty" is the period 2021-2025 and "kinh phí"', () => {
    const r = read('gd2021-2025 kinhphi bn ty');
    expect(r.entities.periods.map((p) => `${p.from}-${p.to}`)).toEqual(['2021-2025']);
    expect(r.tokens.map((t) => t.folded)).toEqual(expect.arrayContaining(['kinh', 'phi']));
    expect(assistant().answerer.answer(r).body).toContain('120 tỷ');
  });

  it('"qd148" is QĐ 148; a loan word is never cut', () => {
    expect(read('qd148 ai ky').entities.documents.map((d) => d.number)).toEqual(['148']);
    expect(read('homestay thuoc nhom nao').tokens[0]?.folded).toBe('homestay');
  });
});

describe('what the knowledge base says is not known', () => {
  it('a passage that opens with "chưa có thông tin / chưa tìm thấy" answers as not known', () => {
    const a = assistant().answerer.answer(
      'Quyết định nào phê duyệt Chương trình OCOP giai đoạn 2026–2030 thay cho Quyết định 919?',
    );
    expect(a.abstained).toBe(true);
    expect(a.abstainReason).toBe('not_known');
    expect(a.text).toContain('Chưa tìm thấy');
  });

  it('"thực hiện" says nothing of now, and the decision of 2021-2025 is answered', () => {
    const r = read('Chương trình OCOP giai đoạn 2021-2025 thực hiện theo quyết định nào của Thủ tướng?');
    expect(r.entities.recency).toBe(false);
    expect(assistant().answerer.answer(r).body).toContain('919');
  });

  it('the passage about a decision named answers it, whatever the message tells besides', () => {
    const a = assistant().answerer.answer('dang tren xe khach ve huyen, hoi nhanh cai qd 1489 la qd j vay');
    expect(a.abstained).toBe(false);
    expect(a.sources[0]?.id).toBe('van-ban-phap-ly#qd-1489');
  });
});

describe('a request typed with no spaces at all, or in other words (tuning-19)', () => {
  it.each([
    ['xemhosocuaem', 'profile'],
    ['dangkyytuong', 'register'],
    ['nhanthongbaoocop', 'subscribe'],
  ])('%s → %s', readsAs);

  it.each([
    // Told when something new comes: "có gì mới … báo", "báo cho bác khi có …", "theo dõi".
    ['co gi moi thi bao chi nhe', 'subscribe'],
    ['khi nao co hoi cho thi bao cho chi khi do nhe', 'subscribe'],
    ['theo dõi', 'subscribe'],
    // The code the bot gave, the list of what was sent.
    ['mã hồ sơ', 'profile'],
    ['lich su dang ky', 'profile'],
    // Another idea; "ý tg" is "ý tưởng".
    ['thêm một ý tưởng nữa', 'register'],
    ['dk y tg sp', 'register'],
    // The menu, the help, and putting it off.
    ['mở lại bảng chọn', 'menu'],
    ['chỉ tôi cách dùng với', 'help'],
    ['để em về bàn với nhà rồi tính sau', 'ack'],
  ])('%s → %s', readsAs);

  it.each([
    // Sending an idea is registering it; another one wanted is the form, whatever was sent before.
    ['Em muốn gửi một ý tưởng mới về miến dong', 'register'],
    ['chung toi muon dang ky them mot y tuong nua, ngoai cai da gui hom truoc', 'register'],
    // What was sent, listed; its code; its history; whether it went through.
    ['những gì em đã gửi', 'profile'],
    ['cho chi xem ma so phieu voi', 'profile'],
    ['xem lịch sử đăng ký của tôi', 'profile'],
    ['em gui roi ma khong biet da duoc chua', 'profile'],
  ])('%s → %s', readsAs);

  it('a question about them is still a question', () => {
    expect(kind('gửi ý tưởng cần những giấy tờ gì?')).toBe('question');
    expect(kind('phiếu đăng ký ý tưởng gồm những mục nào?')).toBe('question');
    expect(kind('theo dõi hồ sơ ở đâu vậy')).not.toBe('subscribe');
  });
});

describe('requests as tuning-20 typed them', () => {
  it.each([
    // The "n" of "ng" dropped: no Vietnamese syllable ends in a lone "g".
    ['em muốn đăg ký ý tưởg sp nhé', 'register'],
    // Sending the idea here and now, without a word of registering.
    ['co y tuong lam mien dong, gui qua day luon dc ko', 'register'],
    // The fair typed without accents is no "hỏi".
    ['cho minh nhan thong bao hoi cho voi', 'subscribe'],
    // What the bot can do for me; not knowing what to press.
    ['bot giúp được em những gì', 'help'],
    ['chi khong biet bam j ca', 'help'],
    // Sent on a day named, then looked for.
    ['em gửi phiếu đăng ký hôm kia, giờ xem lại chỗ nào', 'profile'],
    // Subscribed before, stopping now.
    ['tôi đã đăng ký nhận tin hôm trước, nay muốn hủy', 'unsubscribe'],
    // "hôm bữa e có gửi": sent the other day.
    ['hom bua e co gui y tuong roi, ad xem giup ho so do toi dau roi', 'profile'],
    ['tạo phiếu đăng ký', 'register'],
  ])('%s → %s', readsAs);

  it('a question about sending the idea is still a question', () => {
    expect(kind('gửi ý tưởng qua đây thì cần những giấy tờ gì?')).toBe('question');
    expect(read('blog ocop').tokens[0]?.folded).toBe('blog');
  });
});

describe('requests of tuning-21, as typed', () => {
  it.each([
    ['bot ơi xài sao z, chỉ e vs', 'help'],
    ['Hỏi mấy lần toàn trả lời sai. Rốt cuộc trợ lý này dùng thế nào?', 'help'],
    ['Em hướng dẫn chị cách dùng cái trợ lý này với, chị không rành điện thoại lắm.', 'help'],
    ['Chào bạn, tôi mới dùng lần đầu.', 'greeting'],
    ['về đầu đi', 'menu'],
    ['Có tin gì mới về OCOP thì em báo cho chị với nhé, chị đăng ký nhận tin.', 'subscribe'],
    ['OCOP năm 2026 có gì mới?', 'question'],
    ['giai đoạn đầu chọn bao nhiêu sản phẩm', 'question'],
    ['chú e là hộ nông dân thui, có đc đky OCOP hong bot', 'question'],
  ])('%s → %s', readsAs);

  it('interest in registering offers the form or the explanation', () => {
    const r = read('Tôi quan tâm đến việc đăng ký ý tưởng sản phẩm.').request;
    expect(r.kind).toBe('register');
    expect(r.clarify).toBe(true);
  });

  it('"chỉ e" is "chỉ em" (show me), "tiêu chí a" a criterion', () => {
    expect(read('chỉ e vs').tokens.some((t) => t.label)).toBe(false);
    expect(read('tiêu chí a gồm những gì').tokens.some((t) => t.label)).toBe(true);
  });
});

describe('the items of a list, asked', () => {
  it.each(['phieu dk y tuong can ghi nhung thong tin gi', 'hồ sơ gồm những nội dung nào', 'phiếu có những phần nào'])(
    '%s asks for the list',
    (text) => {
      expect(read(text).answerTypes).toContain('list');
    },
  );

  it('the whole list of what the idea form holds is quoted', () => {
    const a = assistant().answerer.answer('phieu dk y tuong can ghi nhung thong tin gi');
    expect(a.body).toContain('tên chủ thể');
    expect(a.body).toContain('quy cách đóng gói');
  });
});

describe('a story told before the request, in the same breath', () => {
  it('"… mấy năm nay rồi giờ tôi muốn đăng ký … luôn nhé" starts the form ("mấy năm nay" asks nothing)', () => {
    const r = read(
      'à thì kiểu là nhà tôi làm mật ong rừng ở bạch đằng mấy năm nay rồi giờ tôi muốn đang ký ý tưởng sản phẩm ấy vào ô cốp bạn cho tôi đang ký luôn nhé',
    ).request;
    expect(r.kind).toBe('register');
    expect(r.clarify).toBeFalsy();
  });
});

describe("the state of the writer's own, in two or three words", () => {
  it.each(['trạng thái của tôi', 'my status?', 'tình trạng của em'])('%j opens "Hồ sơ của tôi"', (text) => {
    readsAs(text, 'profile');
  });

  it('the state of something else named stays a question', () => {
    readsAs('trạng thái của hồ sơ OCOP là gì', 'question');
  });
});
