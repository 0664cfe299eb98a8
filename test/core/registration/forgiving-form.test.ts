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
import { TYPED_ANSWERS } from '../../support/submissions.js';
import { app } from '../../support/app.js';

/** A good answer for each step, used to walk the form to the step under test. */
const GOOD = TYPED_ANSWERS;

function formChat(channel: ChannelName = 'zalo', userId = 'u1') {
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

describe('what the name already says is not asked again', () => {
  it.each([
    ['HTX Nông nghiệp Phia Đén', 'cooperative'],
    ['htx phia den', 'cooperative'],
    ['Hợp tác xã Chè shan tuyết Phja Oắc', 'cooperative'],
    ['Hộ kinh doanh Nông Văn Dũng', 'household'],
    ['hkd Bế Thị Hoa', 'household'],
    ['Công ty TNHH Chè Cao Bằng', 'enterprise'],
    ['Tổ hợp tác Bánh Coóng phù Hòa An', 'cooperative_group'],
  ] as const)('«%s» sets the owner type %s, says so, and skips its question', async (name, type) => {
    const c = formChat();
    await c.reach('ownerName');
    await c.say(name);
    const d = await c.draft();
    expect(d!.answers.ownerType).toBe(type);
    expect(d!.step).toBeGreaterThan(FIELD_ORDER.indexOf('ownerType'));
    expect(c.texts()).toContain(
      format(c.m.form_echo_type_from_name, {
        label: c.m.form_fields.ownerType.label,
        value: c.m.owner_type_labels[type],
      }),
    );
    expect(c.texts()).not.toContain(c.m.form_fields.ownerType.question);
    // "quay lại" goes back to the name, over the question that was not asked.
    await c.say(c.m.form_back_button);
    expect(await c.step()).toBe(0);
  });

  it.each(['Bế Thị Hoa', 'Hồ Văn Nam', 'ho van nam', 'Hợp tác xã', 'Rau sạch Nà Rụa'])(
    '«%s» says no type: the type is asked',
    async (name) => {
      const c = formChat();
      await c.reach('ownerName');
      await c.say(name);
      expect((await c.draft())!.answers.ownerType).toBeUndefined();
      expect(c.texts()).toContain(c.m.form_fields.ownerType.question);
    },
  );

  it('the type typed anyway after such a name is not taken as the contact name', async () => {
    const c = formChat();
    await c.reach('ownerName');
    await c.say('HTX Nông nghiệp Phia Đén');
    await c.say('Hợp tác xã');
    const d = await c.draft();
    expect(d!.answers.contactName).toBeUndefined();
    expect(d!.step).toBe(FIELD_ORDER.indexOf('contactName'));
  });
});

describe('each saved answer is echoed in one short line', () => {
  it('before every next question, with long answers cut, and a skip shown as skipped', async () => {
    const c = formChat();
    await c.say('Đăng ký ý tưởng sản phẩm');
    const answers: Partial<Record<FieldId, string>> = {
      ownerName: 'Bế Thị Hoa',
      ownerType: 'cá nhân',
      email: 'ko',
      description: `${'Miến dong làm thủ công từ củ dong riềng trồng trên nương, phơi nắng tự nhiên, '.repeat(2)}không phẩm màu.`,
    };
    const echoes: string[] = [];
    for (let guard = 0; (await c.step()) < FIELD_ORDER.length && guard < 30; guard++) {
      const field = FIELD_ORDER[await c.step()]!;
      await c.say(answers[field] ?? GOOD[field]);
      const first = c.last()[0]!.text.split('\n')[0]!;
      if ((await c.step()) < FIELD_ORDER.length) {
        expect(first.startsWith(`✓ ${c.m.form_fields[field].label}: `)).toBe(true);
        echoes.push(first);
      }
    }
    expect(echoes).toContain(format(c.m.form_echo, { label: c.m.form_fields.ownerName.label, value: 'Bế Thị Hoa' }));
    expect(echoes).toContain(
      format(c.m.form_echo, { label: c.m.form_fields.email.label, value: c.m.form_summary_empty }),
    );
    expect(echoes).toContain(format(c.m.form_echo, { label: c.m.form_fields.phone.label, value: '0912345678' }));
    const description = echoes.find((e) => e.startsWith(`✓ ${c.m.form_fields.description.label}`))!;
    expect(description.endsWith('…')).toBe(true);
    expect(description.length).toBeLessThan(100);
    // Not before the summary, which shows every answer.
    expect(c.texts().startsWith(c.m.form_summary_intro)).toBe(true);
  });
});

describe('editing from the summary', () => {
  async function atSummary() {
    const c = formChat('telegram');
    await c.reach('supportWanted');
    await c.say(GOOD.supportWanted);
    expect(await c.step()).toBe(FIELD_ORDER.length);
    return c;
  }

  it('«sửa N» shows the current value of field N before asking the new one', async () => {
    const c = await atSummary();
    await c.say('sửa 1');
    expect(c.last()[0]!.text).toBe(
      format(c.m.form_edit_current, { n: 1, label: c.m.form_fields.ownerName.label, value: GOOD.ownerName }),
    );
    expect(c.last()[1]!.text).toContain(c.m.form_fields.ownerName.question);
    await c.say('quay lại'); // back to the summary, nothing changed
    await c.say('sua 6');
    expect(c.last()[0]!.text).toContain(GOOD.email);
  });

  it('the summary has one edit button per field, its payload the field id, after submit and cancel', async () => {
    const c = await atSummary();
    const buttons = c.last().at(-1)!.buttons!;
    expect(buttons.slice(0, 2).map((b) => b.value)).toEqual(['form:submit', 'form:cancel']);
    expect(buttons.slice(2).map((b) => b.value)).toEqual(FIELD_ORDER.map((f) => `form:edit:${f}`));
    expect(buttons[2]!.label).toBe(format(c.m.form_edit_button, { n: 1, label: c.m.form_fields.ownerName.label }));
  });

  it('a tapped edit button edits that field and returns to the summary', async () => {
    const c = await atSummary();
    const edit = c
      .last()
      .at(-1)!
      .buttons!.find((b) => b.value === 'form:edit:packaging')!;
    expect(edit.ref).toBeDefined();
    const r = await c.a.engine.handle({ channel: 'telegram', userId: 'u1', buttonRef: edit.ref });
    expect(r[0]!.text).toBe(
      format(c.m.form_edit_current, { n: 11, label: c.m.form_fields.packaging.label, value: GOOD.packaging }),
    );
    await c.say('túi giấy kraft 200 g');
    expect((await c.draft())!.answers.packaging).toBe('túi giấy kraft 200 g');
    expect(c.texts()).toContain('11. Quy cách đóng gói: túi giấy kraft 200 g');
  });
});

describe('the consent notice (Nghị định 13/2023/NĐ-CP)', () => {
  it('is shown before the first personal field, once per user: not on resuming, restarting or a second form', async () => {
    const c = formChat('telegram', 'consent');
    const notices = () => c.last().filter((r) => r.text === c.m.form_consent_notice).length;
    await c.say('Đăng ký ý tưởng sản phẩm');
    expect(notices()).toBe(1);
    const texts = c.last().map((r) => r.text);
    expect(texts.indexOf(c.m.form_consent_notice)).toBeLessThan(
      texts.findIndex((t) => t.includes(c.m.form_fields.ownerName.question)),
    );
    await c.say(GOOD.ownerName);
    await c.say('tạm dừng');
    await c.say('Đăng ký ý tưởng sản phẩm'); // the saved draft: continue or restart?
    expect(notices()).toBe(0);
    const restart = c.last()[0]!.buttons!.find((b) => b.value === 'form:restart')!;
    await c.a.engine.handle({ channel: 'telegram', userId: 'consent', buttonRef: restart.ref });
    expect((await c.draft())!.step).toBe(0);
    expect((await c.draft())!.consentShown).toBe(true);
    // The whole form, submitted; a second form starts without the notice.
    for (let guard = 0; (await c.step()) < FIELD_ORDER.length && guard < 30; guard++)
      await c.say(GOOD[FIELD_ORDER[await c.step()]!]);
    await c.say('Gửi đăng ký');
    expect(c.texts()).toMatch(/OCOP-CB-\d{4}-\d{6}/);
    await c.say('Đăng ký ý tưởng sản phẩm');
    expect(c.texts()).toContain(c.m.form_fields.ownerName.question);
    expect(notices()).toBe(0);
    // Another user of the same app is shown it.
    const other = await c.a.engine.handle({
      channel: 'telegram',
      userId: 'someone-else',
      text: 'Đăng ký ý tưởng sản phẩm',
    });
    expect(other.some((r) => r.text === c.m.form_consent_notice)).toBe(true);
  });
});
