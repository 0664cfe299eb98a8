/**
 * Asking for one's personal data to be deleted (Nghị định 13/2023/NĐ-CP), as farmers type it, with and without
 * diacritics: a request to erase, and questions about deletion that stay questions. The held-out table was
 * written before the vocabulary and not looked at while choosing its words.
 */
import { describe, expect, it } from 'vitest';
import { assistant } from '../../support/app.js';

const reader = () => assistant().answerer.reader;
const kind = (text: string) => reader().read(text).request.kind;

describe('a request to delete personal data', () => {
  it.each([
    'xóa dữ liệu của tôi',
    'xoa du lieu cua toi',
    'xoa thong tin ca nhan cua em',
    'em muốn xoá số điện thoại đã gửi',
    'gỡ hồ sơ của tôi',
    'hủy hồ sơ và xóa thông tin',
    'Xin xóa toàn bộ thông tin cá nhân của tôi',
    'xóa sđt của em đi',
    'xoa so dien thoai cua minh nhe',
    'tôi muốn xóa hồ sơ',
    'xoá dữ liệu cá nhân',
    'làm ơn xóa thông tin của tôi khỏi hệ thống',
    'e muon xoa het du lieu',
    'bỏ thông tin cá nhân của tôi đi',
  ])('%s → erase', (typed) => expect(kind(typed)).toBe('erase'));
});

describe('the Telegram command', () => {
  it('/xoadulieu asks to erase, and is in the command list', () => {
    expect(kind('/xoadulieu')).toBe('erase');
    expect(assistant().messages.bot_commands.map((c) => c.command)).toContain('xoadulieu');
  });
});

describe('a question about deletion is a question', () => {
  it.each([
    'dữ liệu được lưu bao lâu?',
    'hồ sơ có bị xóa không?',
    'làm sao để xóa dữ liệu?',
    'thông tin cá nhân của tôi dùng vào việc gì?',
    'xoa du lieu thi co anh huong gi khong',
    'ai được xem số điện thoại của tôi?',
    // "go" unaccented is as often "gỗ": a question about wooden products is no request to erase.
    'cho em xin thong tin ve do go my nghe',
    'thong tin san pham go',
  ])('%s → question', (typed) => expect(kind(typed)).toBe('question'));
});

describe('held out: written before the vocabulary', () => {
  it.each([
    ['Cho tôi xóa thông tin đã đăng ký', 'erase'],
    ['xoa giup chau cai so dt voi a', 'erase'],
    ['bác không muốn để số điện thoại nữa, xóa đi', 'erase'],
    ['xóa hết dữ liệu về tôi', 'erase'],
    ['xoá thông tin của chị nhé', 'erase'],
    ['go thong tin ca nhan cua toi', 'erase'],
    ['Tôi yêu cầu xóa dữ liệu cá nhân theo Nghị định 13', 'erase'],
    ['xóa email của em', 'erase'],
    ['dữ liệu của tôi có bị lộ không?', 'question'],
    ['xóa dữ liệu rồi có gửi lại được không?', 'question'],
    ['bao lâu thì hồ sơ bị xóa', 'question'],
    ['số điện thoại của em lưu ở đâu', 'question'],
    // Not deletion: the other requests are unchanged.
    ['hồ sơ của tôi', 'profile'],
    ['hủy nhận thông báo', 'unsubscribe'],
    ['em muốn đăng ký ý tưởng sản phẩm', 'register'],
  ])('%s → %s', (typed, expected) => expect(kind(typed)).toBe(expected));
});
