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
