import { describe, expect, it } from 'vitest';
import {
  normalizeEmail,
  normalizePhone,
  parseOwnerType,
  parseRawMaterialSource,
  parseYesNo,
} from '../../../src/core/registration/field-parsers.js';
import { editDistance } from '../../../src/core/registration/text-match.js';
import type { OwnerType, RawMaterialSource } from '../../../src/core/registration/types.js';
import { parseCategoryTable } from '../../../src/core/knowledge/classifier.js';
import type { KnowledgeBase } from '../../../src/core/knowledge/knowledge-base.js';
import { wordPairsOf } from '../../../src/core/knowledge/answerer.js';
import { tonedKey } from '../../../src/core/text/vietnamese.js';
import { assistant } from '../../support/app.js';

describe('normalizePhone: Vietnamese mobile numbers in national form', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['0912-345-678', '0912345678'],
    ['(0912) 345 678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['+84912345678', '0912345678'],
    ['84912345678', '0912345678'],
    ['+84 (0) 912 345 678', '0912345678'],
    ['0084 912 345 678', '0912345678'],
    ['sdt: 0912345678', '0912345678'],
    ['số của tôi là 0912 345 678', '0912345678'],
    ['sđt0912345678', '0912345678'],
    ['  0987654321  ', '0987654321'],
    ['0386 123 456', '0386123456'],
    ['0562.123.456', '0562123456'],
    ['0789-123-456', '0789123456'],
    ['0812345678.', '0812345678'],
    ['tôi 45 tuổi, sdt 0386 123 456', '0386123456'],
    ['0912345678, nhắc lại: 0912 345 678', '0912345678'],
  ])('%j → %s', (input, expected) => expect(normalizePhone(input)).toBe(expected));

  it.each([
    [''],
    ['abc'],
    ['091234567'], // 9 digits
    ['09123456789'], // 11 digits
    ['0912 345 67'],
    ['0206 3852 123'], // Cao Bằng landline
    ['02063852123'],
    ['0243 826 1234'], // Hà Nội landline
    ['0912abc345678'],
    ['O912345678'], // letter O
    ['09l2345678'], // letter l
    ['0912345678abc'],
    ['0912345678 hoặc 0987654321'],
    ['0912345678 0987654321'],
    ['0612345678'], // no mobile range 06
    ['0412345678'],
    ['0112345678'],
    ['+1 912 345 678'], // foreign
    ['+84 206 385 2123'], // landline in international form
    ['912345678'], // no leading 0 or 84
    ['0012345678'],
  ])('%j → undefined', (input) => expect(normalizePhone(input)).toBeUndefined());
});

describe('normalizeEmail', () => {
  it.each([
    ['nguyenvana@gmail.com', 'nguyenvana@gmail.com'],
    ['  Nguyen.Van@Gmail.COM ', 'nguyen.van@gmail.com'],
    ['htx.quanglam@caobang.gov.vn', 'htx.quanglam@caobang.gov.vn'],
    ['ocop+cb@yahoo.com.vn', 'ocop+cb@yahoo.com.vn'],
  ])('%j → %s', (input, expected) => expect(normalizeEmail(input)).toBe(expected));

  it.each([
    [''],
    ['abc'],
    ['a@b'],
    ['@gmail.com'],
    ['nguyen van@gmail.com'],
    ['email: a@gmail.com'],
    ['a@@gmail.com'],
    ['không có'],
  ])('%j → undefined', (input) => expect(normalizeEmail(input)).toBeUndefined());
});

describe('parseOwnerType', () => {
  it.each<[string, OwnerType]>([
    ['hợp tác xã', 'cooperative'],
    ['htx', 'cooperative'],
    ['HTX', 'cooperative'],
    ['hop tac xa', 'cooperative'],
    ['là htx', 'cooperative'],
    ['chúng tôi là hợp tác xã', 'cooperative'],
    ['Hợp tác xã nông nghiệp Quảng Lâm', 'cooperative'],
    ['tổ hợp tác', 'cooperative_group'],
    ['tht', 'cooperative_group'],
    ['to hop tac', 'cooperative_group'],
    ['doanh nghiệp', 'enterprise'],
    ['dn', 'enterprise'],
    ['công ty', 'enterprise'],
    ['cty', 'enterprise'],
    ['cong ty tnhh', 'enterprise'],
    ['Công ty TNHH MTV Hà Quảng', 'enterprise'],
    ['doanh nghep', 'enterprise'], // one typo
    ['doanh ngiệp tư nhân', 'enterprise'],
    ['hộ kinh doanh', 'household'],
    ['hộ sản xuất', 'household'],
    ['hộ gia đình', 'household'],
    ['hkd', 'household'],
    ['ho kd', 'household'],
    ['hộ', 'household'],
    ['mình là hộ', 'household'],
    ['ho kinh doah', 'household'], // one typo
    ['cá nhân', 'individual'],
    ['ca nhan', 'individual'],
    ['cá nhân chưa đăng ký kinh doanh', 'individual'],
    ['người dân', 'individual'],
    ['tôi là nguoi dan', 'individual'],
    ['ca nhna', 'individual'], // swapped letters
    ['không phải htx, là hộ kinh doanh', 'household'],
  ])('%j → %s', (input, expected) => expect(parseOwnerType(input)).toBe(expected));

  it.each([
    [''],
    ['abc'],
    ['không biết'],
    ['tôi bán mật ong'],
    ['hồ sơ'],
    ['ho so'],
    ['họ'],
    ['hỗ trợ'],
    ['doanh thu'],
    ['kinh doanh'],
    ['hop tac'],
    ['htx hay doanh nghiệp'],
    ['nhân viên'],
  ])('%j → undefined', (input) => expect(parseOwnerType(input)).toBeUndefined());
});

describe('parseYesNo: the meaning of the whole short answer', () => {
  it.each([
    'có',
    'co',
    'Có!',
    'rồi',
    'roi',
    'đã có',
    'da co',
    'có rồi',
    'có rồi nhé',
    'yes',
    'ok',
    'OK',
    'ok ạ',
    'ừ',
    'uh',
    'đúng',
    'dung',
    'đúng rồi',
    'vâng',
    'vang',
    'dạ vâng',
    'đồng ý',
    'dong y',
    'có ạ',
    'dạ có',
    'có anh ơi',
  ])('%j → true', (input) => expect(parseYesNo(input)).toBe(true));

  it.each([
    'không',
    'khong',
    'Không.',
    'ko',
    'k',
    'kh',
    'chưa',
    'chua',
    'chưa có',
    'không có',
    'no',
    'sai',
    'ko ạ',
    'ko a',
    'dạ không',
    'chưa ạ',
    'khong co dau',
  ])('%j → false', (input) => expect(parseYesNo(input)).toBe(false));

  it.each([
    '',
    'không biết',
    'tôi không biết',
    'có lẽ',
    'có không',
    'đúng không',
    'có và không',
    'cỏ',
    'dùng',
    'thôi',
    'để tôi hỏi đã',
    'mật ong',
  ])('%j → undefined', (input) => expect(parseYesNo(input)).toBeUndefined());
});

describe('parseRawMaterialSource', () => {
  it.each<[string, RawMaterialSource]>([
    ['tại địa phương', 'local'],
    ['tai cho', 'local'],
    ['của xã', 'local'],
    ['tự trồng', 'local'],
    ['nhà trồng', 'local'],
    ['địa phương', 'local'],
    ['nguyên liệu tại địa phương', 'local'],
    ['tu trong 100%', 'local'],
    ['tai dp', 'local'],
    ['mua của bà con trong xã', 'local'],
    ['một phần', 'partly_local'],
    ['mot phan', 'partly_local'],
    ['vừa tự trồng vừa mua', 'partly_local'],
    ['vua trong vua mua them', 'partly_local'],
    ['nhà tự trồng, thiếu thì mua ngoài', 'partly_local'],
    ['mua ngoài', 'outside'],
    ['mua nơi khác', 'outside'],
    ['nhập', 'outside'],
    ['nhập từ tỉnh khác', 'outside'],
    ['tỉnh khác', 'outside'],
    ['ngoai tinh', 'outside'],
    ['không phải địa phương', 'outside'],
    ['ko phai dia phuong', 'outside'],
  ])('%j → %s', (input, expected) => expect(parseRawMaterialSource(input)).toBe(expected));

  it.each([[''], ['abc'], ['không biết'], ['mua']])('%j → undefined', (input) =>
    expect(parseRawMaterialSource(input)).toBeUndefined(),
  );
});

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['quang lam', 'quang lam', 0],
    ['quang lma', 'quang lam', 1], // swapped letters
    ['thuc phn', 'thuc phan', 1], // missing letter
    ['ly boon', 'ly bon', 1], // extra letter
    ['kitten', 'sitting', 3],
  ])('%s ~ %s = %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

/**
 * Product names → QĐ 148 sub-groups through the real classifier and knowledge/phan-loai-san-pham.md.
 * Known misses (not asserted here, reported to the lead): "cam Trùng Khánh"/"cam" → none (I.1.a expected);
 * "khau nhục" → none (I.3.d); "vịt quay 7 vị" → I.1.b (processed: I.3.d); "mắc mật" → I.2.b (spice: I.4.b);
 * "măng ớt" → I.2.b (pickled: I.3.c); "chè đắng" → I.5.a (not Camellia: I.5.b); "giấy bản", "chổi chít",
 * "khẩu sli" → none.
 */
describe('product names map to classification groups through the real classifier', () => {
  const classifier = assistant().answerer.classifier!;

  it.each([
    ['mật ong bạc hà', 'I.2.b'],
    ['mat ong bac ha', 'I.2.b'],
    ['miến dong', 'I.3.c'],
    ['mien dong Phia Den', 'I.3.c'],
    ['rượu ngô men lá', 'II.1.a'],
    ['ruou ngo men la', 'II.1.a'],
    ['hạt dẻ Trùng Khánh', 'I.1.a'],
    ['hat de trung khanh', 'I.1.a'],
    ['thạch đen', 'I.3.c'],
    ['chè shan tuyết', 'I.5.a'],
    ['che shan tuyet', 'I.5.a'],
    ['homestay', 'VI.1'],
    ['thổ cẩm', 'IV.2'],
    ['gạo nếp hương Bảo Lạc', 'I.2.a'],
    ['lạp sườn hun khói', 'I.3.d'],
    ['hoa hồi', 'I.4.b'],
    ['tinh dầu hồi', 'III.3'],
    ['tinh dau hoi', 'III.3'],
    ['nho hạ đen', 'I.1.a'],
    ['mắc khén', 'I.4.b'],
    ['bánh khảo', 'I.3.b'],
    ['gạo séng cù', 'I.2.a'],
    ['dao rèn Phúc Sen', 'IV.1'],
    ['trà hoa vàng', 'I.5.b'],
    ['thịt trâu gác bếp', 'I.3.d'],
    ['tam thất', 'III.3'],
    ['rượu mơ', 'II.1.b'],
    ['nấm hương khô', 'I.2.b'],
    ['hạt dẻ rang', 'I.3.c'],
    ['tương Bảo Lạc', 'I.4.a'],
  ])('%j → %s', (name, code) => expect(classifier.classify(name, 'group')?.category.code).toBe(code));

  // Cao Bằng's own products by name (ocop-facts-2 §2.3): their names appear in the knowledge base's texts, whose
  // word pairs ("Homestay thuộc", "Phúc Sen") must not hide them.
  it.each([
    ['chè Đoỏng Pán', 'I.5.a'],
    ['che doong pan', 'I.5.a'],
    ['bún trắng khô', 'I.3.b'],
    ['bun trang kho co Luyen', 'I.3.b'],
    ['dao Phúc Sen', 'IV.1'],
    ['dao phuc sen', 'IV.1'],
    ['dao Minh Tuấn', 'IV.1'],
    ["Lan's Homestay", 'VI.1'],
    ["Lan's Homestay ở Trùng Khánh", 'VI.1'],
    ['Yến Nhi - Bản Giốc Homestay', 'VI.1'],
    ['yen nhi ban gioc homestay', 'VI.1'],
    ['Mế Farmstay', 'VI.1'],
    ['me farmstay', 'VI.1'],
    ['làng đá Khuổi Ky', 'VI.1'],
    ['khuoi ky', 'VI.1'],
    ['Pác Rằng', 'VI.1'],
    ['homestay thuộc nhóm nào', 'VI.1'],
  ])('%j → %s', (name, code) => expect(classifier.classify(name, 'group')?.category.code).toBe(code));
});

describe('word pairs of the texts (a one-word product inside one is that other word)', () => {
  const passage = (text: string, questions: string[] = []) => ({ heading: 'Du lịch', text, questions });
  const kb = {
    passages: [
      passage("- xã Đàm Thủy: Lan's Homestay, Yến Nhi - Bản Giốc Homestay;\n- xã Thành Công: trà.", ['thu hồi giấy?']),
      passage('Mật ong rừng (Hoàng Tung). Homestay "Mế" ở đây'),
    ],
  } as unknown as KnowledgeBase;
  const categories = parseCategoryTable(
    '| Mã | Ngành | Nhóm | Phân nhóm | Nhóm theo QĐ 490 (2019) | Ví dụ sản phẩm |\n|---|---|---|---|---|---|\n| I.2.b | Thực phẩm | Thô | Mật | Thực phẩm | mật ong |',
  );
  const pairs = wordPairsOf(kb, categories);
  const pair = (a: string, b: string) => `${tonedKey(a)} ${tonedKey(b)}`;

  it('pairs the words of one clause', () => {
    expect(pairs.has(pair('thu', 'hồi'))).toBe(true);
    expect(pairs.has(pair('yến', 'nhi'))).toBe(true);
    expect(pairs.has(pair('ong', 'rừng'))).toBe(true);
  });
  it('never pairs words across punctuation or a line break', () => {
    expect(pairs.has(pair('homestay', 'yến'))).toBe(false);
    expect(pairs.has(pair('homestay', 'xã'))).toBe(false);
    expect(pairs.has(pair('rừng', 'hoàng'))).toBe(false);
    expect(pairs.has(pair('tung', 'homestay'))).toBe(false);
    expect(pairs.has(pair('homestay', 'mế'))).toBe(false);
  });
  it('drops the pairs that are products themselves', () => expect(pairs.has(pair('mật', 'ong'))).toBe(false));
});
