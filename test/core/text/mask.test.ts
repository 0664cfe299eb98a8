/**
 * The masking contract, both ways: what must be masked (every form of phone number, bank account, e-mail
 * and secret seen under attack, and more), and what must be kept (the numbers OCOP questions are made of).
 */
import { describe, expect, it } from 'vitest';
import { MASK, maskPersonalData, withoutQueryStrings } from '../../../src/core/text/mask.js';
import { questionText } from '../../../src/core/insights/question-log.js';

const TOKEN_SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';

/**
 * [what, input, the secrets (none may survive), the text around them (all must survive)].
 * A secret with digits must leave no 4 consecutive of its digits; an e-mail must lose its local part and its @.
 */
const MUST_MASK: [string, string, string[], string[]][] = [
  ['phone, plain', 'Số của em là 0912345678 ạ', ['0912345678'], ['Số của em là ', ' ạ']],
  ['phone, spaces', 'gọi 0912 345 678 nhé', ['0912 345 678'], ['gọi ', ' nhé']],
  ['phone, double spaces', 'gọi 0912  345  678 nhé', ['0912  345  678'], ['gọi ', ' nhé']],
  ['phone, dots after a colon', 'sđt:0912.345.678', ['0912.345.678'], ['sđt:']],
  ['phone, hyphens', 'sđt 0912-345-678 chị Hoa', ['0912-345-678'], ['sđt ', ' chị Hoa']],
  ['phone, underscores', 'sđt 0912_345_678', ['0912_345_678'], ['sđt ']],
  ['phone, slashes', 'sđt 0912/345/678', ['0912/345/678'], ['sđt ']],
  ['phone, en dashes', 'sđt 0912–345–678 ạ', ['0912–345–678'], ['sđt ', ' ạ']],
  ['phone, em dashes', 'sđt 0912—345—678', ['0912—345—678'], ['sđt ']],
  ['phone, non-breaking hyphens', 'sđt 0912\u2011345\u2011678', ['0912345678'], ['sđt ']],
  ['phone, minus signs', 'sđt 0912\u2212345\u2212678', ['0912345678'], ['sđt ']],
  ['phone, (+84)', '(+84) 912 345 678 là số nhà em', ['84912345678'], [' là số nhà em']],
  ['phone, +84 (0)', 'Gọi +84 (0) 912 345 678 giúp em', ['840912345678'], ['Gọi ', ' giúp em']],
  ['phone, +84 with dots', 'liên hệ +84 912.345.678', ['84912345678'], ['liên hệ ']],
  ['phone, +84 as Telegram shares it', 'contact +84912345678', ['84912345678'], ['contact ']],
  ['phone, 84 without +', 'số 84912345678 nhé', ['84912345678'], ['số ', ' nhé']],
  ['phone, 84 with spaces', 'số 84 912 345 678', ['84912345678'], ['số ']],
  ['phone, 0084', 'số 0084 912 345 678', ['0084912345678'], ['số ']],
  ['phone, 84 with dots (money-shaped)', 'số 84.912.345.678 ạ', ['84912345678'], ['số ', ' ạ']],
  ['phone, full-width digits', 'sđt ０９１２３４５６７８ ạ', ['0912345678'], ['sđt ', ' ạ']],
  ['phone, full-width with ideographic spaces', 'sđt ０９１２\u3000３４５\u3000６７８', ['0912345678'], ['sđt ']],
  ['phone, full-width +84', 'sđt ＋８４ ９１２ ３４５ ６７８', ['84912345678'], ['sđt ']],
  ['phone, Arabic-Indic digits', 'sđt ٠٩١٢٣٤٥٦٧٨', ['0912345678'], ['sđt ']],
  ['phone, no-break spaces', 'sđt 0912\u00a0345\u00a0678', ['0912345678'], ['sđt ']],
  ['phone, zero-width spaces inside', 'sđt 0912\u200b345\u200b678 nhé', ['0912345678'], ['sđt ', ' nhé']],
  ['phone, soft hyphens inside', 'sđt 0912\u00ad345\u00ad678', ['0912345678'], ['sđt ']],
  ['phone, split over lines', 'sđt\n0912\n345\n678\ncảm ơn', ['0912345678'], ['sđt\n', '\ncảm ơn']],
  ['phone, 3-3-4', 'số 091 234 5678', ['0912345678'], ['số ']],
  ['phone, in pairs', 'số 09 12 34 56 78', ['0912345678'], ['số ']],
  ['phone, digit by digit', 'số 0 9 1 2 3 4 5 6 7 8 ạ', ['0912345678'], ['số ', ' ạ']],
  ['phone, glued to a word', 'sđt0912345678', ['0912345678'], ['sđt']],
  ['phone, +84 with hyphens', 'gọi +84-912-345-678', ['84912345678'], ['gọi ']],
  ['phone, tel: link', 'bấm tel:+84912345678 nhé', ['84912345678'], ['bấm tel:', ' nhé']],
  ['phone, in a Zalo link', 'nhắn https://zalo.me/0912345678', ['0912345678'], ['nhắn https://zalo.me/']],
  ['phone, mathematical bold digits', 'sđt 𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖', ['0912345678'], ['sđt ']],
  ['phone, tabs', 'sđt\t0912\t345\t678', ['0912345678'], ['sđt\t']],
  ['phone, middle dots', 'sđt 0912·345·678', ['0912345678'], ['sđt ']],
  ['phone, mixed separators', 'sđt 0912.345 678', ['0912345678'], ['sđt ']],
  ['phone, spaced hyphens', 'sđt 0912 - 345 - 678', ['0912345678'], ['sđt ']],
  ['phone, in brackets', 'anh Tú (0912345678) ạ', ['0912345678'], ['anh Tú (', ') ạ']],
  ['phone, in brackets with spaces', 'anh Tú ( 0912 345 678 ) ạ', ['0912345678'], ['anh Tú ( ', ' ) ạ']],
  ['phone, landline with area code', 'văn phòng (028) 3823 4567', ['02838234567'], ['văn phòng ']],
  ['phone, Cao Bằng landline', 'UBND xã 0206 3852 123', ['02063852123'], ['UBND xã ']],
  ['two phones', 'Liên hệ: 0987654321, 0978.111.222', ['0987654321', '0978111222'], ['Liên hệ: ']],
  ['phone after a date', 'ngày 16/6/2025 gọi 0912345678', ['0912345678'], ['ngày 16/6/2025 gọi ']],
  ['bank account, groups of 4', 'STK 1903 6543 2100 18 Techcombank', ['19036543210018'], ['STK ', ' Techcombank']],
  ['bank account, hyphens', 'STK 0071-000-123456 Vietcombank', ['0071000123456'], ['STK ', ' Vietcombank']],
  ['bank account, plain', 'chuyển khoản 19036543210018 giúp em', ['19036543210018'], ['chuyển khoản ', ' giúp em']],
  ['bank account, dots in fours', 'tài khoản 1234.5678.9012', ['123456789012'], ['tài khoản ']],
  ['bank account before "đồng ý"', 'STK 1903654321 đồng ý', ['1903654321'], ['STK ', ' đồng ý']],
  ['ID card number', 'CCCD 001085012345 của tôi', ['001085012345'], ['CCCD ', ' của tôi']],
  ['ID card number in threes', 'CCCD 001 085 012 345', ['001085012345'], ['CCCD ']],
  ['e-mail', 'email htxquanglam@gmail.com nhé', ['htxquanglam@gmail.com'], ['email ', ' nhé']],
  ['e-mail, upper case', 'Email: NGUYENVANA@GMAIL.COM ạ', ['NGUYENVANA@GMAIL.COM'], ['Email: ', ' ạ']],
  [
    'e-mail, plus-addressing and subdomains',
    'gửi vào nguyen.van.a+ocop@mail.caobang.gov.vn giúp em',
    ['nguyen.van.a+ocop@mail.caobang.gov.vn'],
    ['gửi vào ', ' giúp em'],
  ],
  ['e-mail, then a full stop', 'hộp thư lienhe@htxquanglam.vn.', ['lienhe@htxquanglam.vn'], ['hộp thư ', '.']],
  ['e-mail, glued to a colon', 'mail:hoa_nguyen-1990@yahoo.com.vn', ['hoa_nguyen-1990@yahoo.com.vn'], ['mail:']],
  ['e-mail, [at]', 'thư ten.ho [at] gmail.com nhé', ['ten.ho'], ['thư ', ' nhé']],
  ['e-mail, full-width', 'thư ｈｏａ＠ｇｍａｉｌ．ｃｏｍ ạ', ['ｈｏａ'], ['thư ', ' ạ']],
  ['e-mail, Vietnamese letters', 'thư điện tử lê.hoa@gmail.com', ['lê.hoa@gmail.com'], ['thư điện tử ']],
  ['Telegram bot token', `token 123456789:${TOKEN_SECRET} của bot`, [TOKEN_SECRET], ['token ', ' của bot']],
  [
    'Telegram bot token in a Bot API URL',
    `https://api.telegram.org/bot123456789:${TOKEN_SECRET}/sendMessage`,
    [TOKEN_SECRET],
    ['https://api.telegram.org/bot', '/sendMessage'],
  ],
  ['Zalo bot token', 'ZALO_BOT_TOKEN=1234567890:s3cr3t-Zalo-T0ken', ['s3cr3t-Zalo-T0ken'], ['ZALO_BOT_TOKEN=']],
  [
    'Zalo bot token in a Bot API URL',
    'https://bot-api.zaloplatforms.com/bot1234567890:zalo-Channel-T0ken/getUpdates',
    ['zalo-Channel-T0ken'],
    ['https://bot-api.zaloplatforms.com/bot', '/getUpdates'],
  ],
  [
    'access_token in a query',
    'GET /api/chat?access_token=abcDEF123456&x=1',
    ['abcDEF123456'],
    ['GET /api/chat?', '&x=1'],
  ],
  ['token in a query', 'https://example.vn/cb?token=Zx9-secret_val', ['Zx9-secret_val'], ['https://example.vn/cb?']],
  ['key= and code= in a query', 'key=abc123def&code=xyz789', ['abc123def', 'xyz789'], ['key=', '&code=']],
  ['secret= and mật khẩu:', 'secret=hunter2-xyz và mật khẩu: matkhau123', ['hunter2-xyz', 'matkhau123'], [' và ']],
  ['Bearer', 'Authorization: Bearer abcdefghijklmnopqrst', ['abcdefghijklmnopqrst'], ['Authorization: ']],
  ['password in a URL', 'redis://:p4ssw0rd-x@10.0.0.5:6379', ['p4ssw0rd-x'], ['redis://:', '@10.0.0.5:6379']],
  ['webhook secret header', 'X-Telegram-Bot-Api-Secret-Token: s3cr3t_header_value', ['s3cr3t_header_value'], []],
  ['API key in JSON', '{"api_key":"sk-abcdefghijklmnop1234"}', ['sk-abcdefghijklmnop1234'], ['{"api_key":"']],
  [
    'everything at once',
    'Em tên Hoa, sđt 0912 345 678, email hoa.nguyen@gmail.com, STK 1903 6543 2100 18 ạ',
    ['0912345678', 'hoa.nguyen@gmail.com', '19036543210018'],
    ['Em tên Hoa, sđt ', ', email ', ', STK ', ' ạ'],
  ],
];

/** Left exactly as typed. */
const MUST_KEEP: string[] = [
  'Mã hồ sơ OCOP-CB-2026-000123 đang ở trạng thái nào?',
  'Thông báo TB-2026-000001 đã gửi chưa',
  'Quyết định 148/QĐ-TTg ngày 24/02/2023',
  'QĐ 148/QĐ-TTg',
  'Quyết định số 1048/QĐ-UBND ngày 16/6/2025 của UBND tỉnh',
  'Thông tư 05/2021/TT-BNNPTNT',
  'Điều 5 khoản 2 Nghị định 98/2018/NĐ-CP',
  'giai đoạn 2021-2025',
  'giai đoạn 2021 – 2025 và 2019–2020',
  'các năm 2019, 2020, 2021',
  'sản phẩm đạt 70 điểm là 3 sao',
  'từ 50 đến 69 điểm, các phần 35, 25, 40',
  'hỗ trợ 12.000.000 đồng',
  'mức hỗ trợ 1,5 tỷ đồng',
  'kinh phí 500.000.000 đồng',
  'hỗ trợ 300.000.000',
  'doanh thu 1.500.000.000đ mỗi năm',
  'hỗ trợ 12000000 đồng',
  'năm 2025, 326.325 đồng',
  'hỗ trợ 12 000 000 đồng',
  'sản lượng 12.000 kg/năm trên 1.200 ha',
  'Hạn nộp hồ sơ là 30/6/2026, lúc 08:30 ngày 2025-06-16',
  'OCOP 2026: 1.234 sản phẩm của 10.456 hộ',
  'bản ghi 550e8400-e29b-41d4-a716-446655440000',
  'kết nối 127.0.0.1:6379 từ 192.168.10.200',
  'Sản phẩm của tôi thuộc nhóm nào?',
];

/** The ASCII digits of a text, whatever digits it was written with. */
const digitsOf = (text: string) => text.normalize('NFKC').replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));

describe('maskPersonalData: must mask', () => {
  it('has the rows the contract promises', () => expect(MUST_MASK.length).toBeGreaterThanOrEqual(40));

  it.each(MUST_MASK)('%s', (_what, input, secrets, around) => {
    const out = maskPersonalData(input);
    expect(out).toContain(MASK);
    for (const part of around) expect(out).toContain(part);
    // What is left once the text around is taken out: the masks and nothing of the secrets.
    const rest = around.reduce((o, part) => o.replace(part, ''), out);
    for (const secret of secrets) {
      const digits = digitsOf(secret).replace(/\D/g, '');
      if (secret.includes('@') || secret.includes('＠')) {
        const local = secret.split(/@|＠/)[0]!;
        expect(out.toLowerCase()).not.toContain(local.toLowerCase());
        expect(out).not.toMatch(/@|＠/);
      } else if (digits.length >= 7 && /^[\d\s\p{P}\p{Cf}\p{Zs}+]*$/u.test(secret)) {
        const left = digitsOf(rest).replace(/\D/g, '');
        for (let i = 0; i + 4 <= digits.length; i++) expect(left).not.toContain(digits.slice(i, i + 4));
      } else {
        expect(out).not.toContain(secret);
      }
    }
  });

  it('keeps the bot id of a token, which says which bot without giving it away', () => {
    expect(maskPersonalData(`bot 123456789:${TOKEN_SECRET}`)).toBe('bot 123456789:***');
  });

  it('masks a bracket with its number only when both brackets are in it', () => {
    expect(maskPersonalData('(+84) 912 345 678')).toBe('***');
    expect(maskPersonalData('(gọi 0912345678)')).toBe('(gọi ***)');
  });

  it.each(MUST_MASK)('is idempotent: %s', (_what, input) => {
    const once = maskPersonalData(input);
    expect(maskPersonalData(once)).toBe(once);
  });

  it('masks a phone number typed like a bot token', () => {
    expect(maskPersonalData('0912345678:***')).toBe('***:***');
  });
});

describe('maskPersonalData: must keep', () => {
  it('has the rows the contract promises', () => expect(MUST_KEEP.length).toBeGreaterThanOrEqual(15));

  it.each(MUST_KEEP)('%s', (text) => expect(maskPersonalData(text)).toBe(text));

  it('keeps the text around a masked number intact, diacritics and all (NFC or NFD)', () => {
    const nfd = 'Số điện thoại của tôi là 0912 345 678, cảm ơn ạ'.normalize('NFD');
    expect(maskPersonalData(nfd)).toBe('Số điện thoại của tôi là ***, cảm ơn ạ'.normalize('NFD'));
  });
});

describe('the question log and the masker', () => {
  it('collapses whitespace before masking, so a number spread over spaces and lines is masked', () => {
    expect(questionText('gọi  0912\n345\t\t678  nhé')).toBe('gọi *** nhé');
    expect(questionText('gọi 0912  345  678 hoặc hoa@gmail.com')).toBe('gọi *** hoặc ***');
  });
});

describe('withoutQueryStrings (logs)', () => {
  it.each([
    ['request /api/chat?access_token=abc&x=1', 'request /api/chat'],
    ['GET https://h.vn/p?q=0912345678#f', 'GET https://h.vn/p#f'],
    ['"/zalo/webhook?secret=x"', '"/zalo/webhook"'],
    ['không có gì ? thật sao', 'không có gì ? thật sao'],
  ])('%s → %s', (input, expected) => expect(withoutQueryStrings(input)).toBe(expected));
});
