/**
 * The form forgives how people type: words that give nothing skip an optional question and are never saved,
 * while a required question answered with one of them is asked again politely. Through the engine as the app
 * composes it (memory stores).
 */
import { describe, expect, it } from 'vitest';
import type { ChannelName, Reply } from '../../../src/core/conversation.js';
import { format } from '../../../src/core/messages.js';
import { FIELD_ORDER } from '../../../src/core/registration/fields.js';
import type { FieldId } from '../../../src/core/registration/types.js';
import { app } from '../../support/app.js';

/** A good answer for each step, used to walk the form to the step under test. */
const GOOD: Record<FieldId, string> = {
  ownerName: 'Nông Văn Dũng',
  ownerType: 'hộ kinh doanh',
  hasBusinessRegistration: 'có',
  contactName: 'Nông Văn Dũng',
  phone: '0912 345 678',
  email: 'dung.nong@gmail.com',
  commune: 'quang lam',
  productName: 'Mật ong bạc hà',
  productGroup: 'Đúng',
  description: 'Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát.',
  packaging: 'chai thủy tinh 500 ml',
  rawMaterialSource: 'tại địa phương',
  targetMarket: 'khách du lịch và Hà Nội',
  expectedOutput: '2 tấn/năm',
  supportWanted: 'thiết kế bao bì',
};

export function formChat(channel: ChannelName = 'zalo', userId = 'u1') {
  const a = app();
  let last: Reply[] = [];
  const say = async (text: string) => {
    last = await a.engine.handle({ channel, userId, text, kind: 'text' });
    return last;
  };
  const draft = () => a.drafts.get(channel, userId);
  const step = async () => (await draft())!.step;
  /** Starts the form and answers every step before `field` with a good answer. */
  const reach = async (field: FieldId, answers: Partial<Record<FieldId, string>> = {}) => {
    await say('Đăng ký ý tưởng sản phẩm');
    const target = FIELD_ORDER.indexOf(field);
    for (let guard = 0; (await step()) < target && guard < 30; guard++) {
      const current = FIELD_ORDER[await step()]!;
      await say(answers[current] ?? GOOD[current]);
    }
    expect(await step()).toBe(target);
  };
  const texts = () => last.map((r) => r.text).join('\n');
  return { a, m: a.messages, say, draft, step, reach, texts, last: () => last };
}

/** How producers say "nothing" on a phone, with and without accents. */
const SKIP_WORDS = [
  'ko',
  'k',
  'không',
  'khong',
  'không có',
  'k co',
  'ko co',
  'không có email',
  'khong co email',
  'không cần',
  'ko can',
  'k cần',
  'bỏ qua',
  'bo qua',
  'chưa có',
  'chua co',
  'chưa cần',
  'hong can',
  'ko cần hỗ trợ',
  'không cần hỗ trợ gì đâu ạ',
  'không có nhu cầu',
  'ko co a',
  '-',
  '.',
  'x',
  'n/a',
];
const OPTIONAL: FieldId[] = ['email', 'supportWanted'];

describe('words that give nothing', () => {
  it.each(OPTIONAL.flatMap((field) => SKIP_WORDS.map((word) => [field, word] as const)))(
    'the optional %s is skipped on «%s», and nothing is saved',
    async (field, word) => {
      const c = formChat();
      await c.reach(field);
      await c.say(word);
      const d = await c.draft();
      expect(d!.answers[field]).toBeUndefined();
      expect(d!.step).toBe(FIELD_ORDER.indexOf(field) + 1);
    },
  );

  const REQUIRED: FieldId[] = ['ownerName', 'contactName', 'packaging', 'targetMarket'];
  it.each(REQUIRED.flatMap((field) => SKIP_WORDS.map((word) => [field, word] as const)))(
    'the required %s answered «%s» is asked again politely, nothing saved',
    async (field, word) => {
      const c = formChat();
      await c.reach(field);
      await c.say(word);
      const d = await c.draft();
      expect(d!.answers[field]).toBeUndefined();
      expect(d!.step).toBe(FIELD_ORDER.indexOf(field));
      expect(c.texts()).toContain(c.m.form_fields[field].question);
      expect(c.texts()).toMatch(new RegExp(`${c.m.form_not_skippable}|${c.m.form_fields[field].retry}`));
    },
  );

  it.each([
    ['supportWanted', 'không cần vốn, cần thiết kế bao bì'],
    ['supportWanted', 'chưa có mã vạch, cần hỗ trợ làm mã vạch'],
    ['supportWanted', 'cần hỗ trợ thiết kế bao bì'],
    ['packaging', 'chưa có bao bì, đang đựng túi ni lông'],
  ] as const)('%s «%s» is a real answer and is saved', async (field, answer) => {
    const c = formChat();
    await c.reach(field);
    await c.say(answer);
    expect((await c.draft())!.answers[field]).toBe(answer);
  });

  it('the business-registration question still reads «không» as no', async () => {
    const c = formChat();
    await c.reach('hasBusinessRegistration');
    await c.say('không');
    const d = await c.draft();
    expect(d!.answers.hasBusinessRegistration).toBe(false);
    expect(c.texts()).toContain(
      format(c.m.form_step, { n: 4, total: 15, question: c.m.form_fields.contactName.question }),
    );
  });
});

/** Names as producers type them: with and without accents, with the owner type, short and long. */
const NAMES: [FieldId, string][] = [
  ['ownerName', 'HTX Nông nghiệp Phia Đén'],
  ['ownerName', 'Hộ kinh doanh Nông Văn Dũng'],
  ['ownerName', 'Hợp tác xã Dịch vụ Nông nghiệp và Du lịch cộng đồng Phia Đén'],
  ['ownerName', 'htx phia den'],
  ['ownerName', 'Công ty TNHH Chè Cao Bằng'],
  ['ownerName', 'Tổ hợp tác Bánh Coóng phù Hòa An'],
  ['ownerName', 'Bế Thị Hoa'],
  ['ownerName', 'Cơ sở sản xuất Hương Quê'],
  ['contactName', 'Bế Thị Hoa'],
  ['contactName', 'nong van dung'],
  ['contactName', 'Hoàng Thị Em'],
  ['contactName', 'Lưu Văn Khỏe'],
  ['contactName', 'Đàm Thị Thảo'],
  ['contactName', 'Hà Văn Cảm'],
  ['productName', 'Miến dong Nguyên Bình'],
  ['productName', 'Trà shan tuyết Phja Oắc'],
  ['productName', 'Hạt dẻ Trùng Khánh'],
  ['productName', 'Vịt quay 7 vị'],
  ['productName', 'Rượu ngô men lá'],
  ['productName', 'thach den thach an'],
  ['productName', 'Bánh cuốn Cao Bằng'],
];

/** What a farmer may type instead of a name: a wish, a question, not knowing, a greeting, a story. */
const SENTENCES = [
  'tôi muốn đăng ký ý tưởng',
  'toi muon dang ky',
  'cho em hỏi cái này',
  'em chưa biết',
  'e chua bit',
  'chưa nghĩ ra tên',
  'em không hiểu',
  'em không rõ lắm',
  'chào bạn',
  'xin chào ạ',
  'alo',
  'cảm ơn',
  'ok',
  'hỏi chút',
  'giúp em với',
  'cho mình xin mẫu đơn',
  'để em hỏi chồng đã',
  'mình đang làm bánh',
  'tôi là nông dân',
  'nhà em làm miến dong',
  'sao lại hỏi tên',
  'tên là gì vậy',
  'gì vậy',
  'Bế Thị Hoa?',
  'thôi để sau',
];

describe('a sentence is not a name', () => {
  it.each(NAMES)('%s «%s» is taken as the name', async (field, name) => {
    const c = formChat();
    await c.reach(field);
    await c.say(name);
    const d = await c.draft();
    expect(d!.answers[field]).toBe(name);
  });

  const NAME_STEPS: FieldId[] = ['ownerName', 'contactName', 'productName'];
  it.each(NAME_STEPS.flatMap((field) => SENTENCES.map((s) => [field, s] as const)))(
    '%s «%s» is refused with a polite re-ask',
    async (field, sentence) => {
      const c = formChat();
      await c.reach(field);
      await c.say(sentence);
      const d = await c.draft();
      expect(d?.answers[field]).toBeUndefined();
      // Still at the step (a greeting or "thôi để sau" may pause the form: it keeps the draft, never the text).
      expect(d!.step).toBe(FIELD_ORDER.indexOf(field));
    },
  );

  it('the re-ask says why and asks the same question again', async () => {
    const c = formChat();
    await c.reach('ownerName');
    await c.say('tôi muốn đăng ký ý tưởng');
    expect(c.last()[0]!.text).toBe(c.m.form_not_a_name);
    expect(c.texts()).toContain(c.m.form_fields.ownerName.question);
  });
});
