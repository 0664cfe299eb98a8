import { describe, expect, it } from 'vitest';
import { decodeTelex, decodeVni, fold, normalizeNumbers, tonedKey } from '../../../src/core/text/vietnamese.js';
import { analyze } from '../../../src/core/understanding/analyze.js';

/** The content words of a message, as toned keys (accented) or folded forms (unaccented). */
function content(text: string): string {
  return analyze(text, { mode: 'chat' })
    .filter((t) => !t.stop)
    .map((t) => t.folded)
    .join(' ');
}

describe('fold', () => {
  it.each([
    ['Sản phẩm', 'san pham'],
    ['ĐĂNG KÝ', 'dang ky'],
    ['Đồ uống', 'do uong'],
    ['thuỷ sản', 'thuy san'],
    ['Ủy ban', 'uy ban'],
  ])('%s → %s', (input, expected) => expect(fold(input)).toBe(expected));
});

describe('tonedKey: tone-mark placement variants compare equal, different tones do not', () => {
  it.each([
    ['hoà', 'hòa'],
    ['thuý', 'thúy'],
    ['khoẻ', 'khỏe'],
    ['uỷ', 'ủy'],
    ['Hoà', 'hòa'],
    ['hoà'.normalize('NFD'), 'hòa'],
  ])('%s = %s', (a, b) => expect(tonedKey(a)).toBe(tonedKey(b)));
  it.each([
    ['phân', 'phần'],
    ['ba', 'bà'],
    ['mây', 'mấy'],
    ['sao', 'sáo'],
  ])('%s ≠ %s', (a, b) => expect(tonedKey(a)).not.toBe(tonedKey(b)));
});

describe('Telex and VNI leftovers', () => {
  it.each([
    ['nhuwngx', 'những'],
    ['buowcs', 'bước'],
    ['ddaau', 'đâu'],
    ['sanr', 'sản'],
    ['phaamr', 'phẩm'],
    ['ddawng', 'đăng'],
    ['chuwngs', 'chứng'],
    ['nhaanj', 'nhận'],
    ['nhoms', 'nhóm'],
  ])('telex %s → %s', (input, word) => expect(decodeTelex(input)).toBe(tonedKey(word)));
  it.each(['ocop', 'san', 'pham', 'bonsai', 'homestay', 'thuoc'])('leaves a plain word alone: %s', (w) =>
    expect(decodeTelex(w)).toBeUndefined(),
  );
  it.each([
    ['vie6t5', 'việt'],
    ['d9a6u', 'đâu'],
    ['nhu7ng4', 'những'],
    ['d9a8ng', 'đăng'],
  ])('vni %s → %s', (input, word) => expect(decodeVni(input)).toBe(tonedKey(word)));
});

describe('number formats', () => {
  it.each([
    ['326.325 tỷ', '326325 tỷ'],
    ['326,325 tỷ', '326325 tỷ'],
    ['326 tỷ 325 triệu đồng', '326 tỷ 325 triệu 326325 đồng'],
    ['76 tỷ 325 triệu', '76 tỷ 325 triệu 76325'],
    ['1.000.000 đồng', '1000000 đồng'],
    ['22/11/2019', '22/11/2019'],
  ])('%s → %s', (input, expected) => expect(normalizeNumbers(input)).toBe(expected));
});

describe('analyze: how producers really type', () => {
  it.each([
    // [what was typed, the content words it must reduce to]
    ['mat ong thuoc nhom nao', 'mat ong thuoc nhom'],
    ['Mật ong thuộc nhóm nào?', 'mat ong thuoc nhom'],
    ['MẬT ONG THUỘC NHÓM NÀO', 'mat ong thuoc nhom'],
    ['sp cua htx dk o dau', 'san pham hop tac xa dang ky'],
    ['đk ý tưởng sp ở đâu ạ', 'dang ky y tuong san pham'],
    ['giay cn ocop co han may nam', 'giay chung nhan ocop han may nam'],
    ['sđt ubnd xã', 'so dien thoai uy ban nhan dan xa'],
    ['nhuwngx buowcs cuar chu trinhf', 'buoc chu trinh'],
    ['kinh phi bao nhiu', 'kinh phi'],
    ['cho em hỏi OCOP là gì ạ 🙏', 'ocop'],
    ['Phần B của bộ tiêu chí', 'phan b bo tieu chi'],
    ['dn co dc tham gia ko ad', 'doanh nghiep tham gia'],
    ['tinh dau que', 'tinh dau que'],
  ])('%s → %s', (typed, expected) => expect(content(typed)).toBe(expected));

  it('keeps accents where the user typed them, so "phân bón" is not "phần"', () => {
    const [phan] = analyze('phân bón', { mode: 'chat' });
    expect(phan).toMatchObject({ folded: 'phan', accented: true, toned: tonedKey('phân') });
    expect(phan!.toned).not.toBe(tonedKey('phần'));
  });

  it('does not expand chat shorthand inside curated text', () => {
    expect(analyze('Phần A, mục k', { mode: 'knowledge' }).map((t) => t.folded)).toEqual(['phan', 'a', 'muc', 'k']);
    expect(analyze('UBND xã', { mode: 'knowledge' }).map((t) => t.folded)).toEqual(['uy', 'ban', 'nhan', 'dan', 'xa']);
  });
});
