/**
 * The registration form as conversations, through the engine as the app composes it (memory stores): every
 * step, validation, going back, cancelling, side questions, pausing and resuming, the summary with edits,
 * and submitting once.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelName, Reply } from '../../../src/core/conversation.js';
import { format } from '../../../src/core/messages.js';
import { FIELD_ORDER } from '../../../src/core/registration/fields.js';
import { app } from '../../support/app.js';

function chat(channel: ChannelName = 'zalo', userId = 'u1') {
  const a = app();
  const m = a.messages;
  let last: Reply[] = [];
  const say = async (text: string) => {
    last = await a.engine.handle({ channel, userId, text, kind: 'text' });
    return last;
  };
  // The echo of the saved answer ("✓ Tên chủ thể: …") is tested on its own (forgiving-form.test.ts).
  const echo = m.form_echo.slice(0, m.form_echo.indexOf('{'));
  const texts = () =>
    last
      .map((r) => r.text)
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith(echo))
      .join('\n');
  const step = (field: (typeof FIELD_ORDER)[number]) =>
    format(m.form_step, {
      n: FIELD_ORDER.indexOf(field) + 1,
      total: FIELD_ORDER.length,
      question: m.form_fields[field].question,
    });
  return { a, m, say, texts, step, last: () => last };
}

/** Answers that fill the whole form, in order. */
const HAPPY: [string, string][] = [
  ['ownerName', 'Hợp tác xã Nông sản Quảng Lâm'],
  ['ownerType', 'htx'],
  ['contactName', 'Nông Văn Minh'],
  ['phone', '0912 345 678'],
  ['email', 'htxquanglam@gmail.com'],
  ['commune', 'quang lam'],
  ['productName', 'Mật ong bạc hà'],
  ['productGroup', 'Đúng'],
  ['description', 'Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát.'],
  ['packaging', 'chai thủy tinh 500 ml'],
  ['rawMaterialSource', 'tại địa phương'],
  ['targetMarket', 'khách du lịch và Hà Nội'],
  ['expectedOutput', '2 tấn/năm'],
  ['supportWanted', 'thiết kế bao bì'],
];

async function fillAll(c: ReturnType<typeof chat>, answers = HAPPY) {
  await c.say('Đăng ký ý tưởng sản phẩm');
  for (const [, text] of answers) await c.say(text);
}

describe('registration dialog', () => {
  it('an update run a second time (its answer was lost before it was recorded) asks the same question again', async () => {
    const a = app();
    const user = { channel: 'telegram' as const, userId: 'replayed' };
    const run = (n: number, text: string) => a.engine.handle({ ...user, text, kind: 'text', updateKey: `tg:1:${n}` });
    const steps: string[] = [];
    const answers = ['Đăng ký ý tưởng sản phẩm', ...HAPPY.map(([, text]) => text)];
    for (const [n, text] of answers.entries()) {
      const first = await run(n, text);
      const draftAfterFirst = await a.drafts.get(user.channel, user.userId);
      // The same update again: the draft does not move, and the user is asked what they were asked.
      const again = await run(n, text);
      expect(await a.drafts.get(user.channel, user.userId)).toEqual(draftAfterFirst);
      // The same question (the echo of the answer it took the first time is not repeated).
      const question = (r: typeof first) =>
        r
          .at(-1)!
          .text.split('\n')
          .filter((l) => !l.startsWith('✓ '))
          .join('\n');
      expect(question(again)).toBe(question(first));
      steps.push(first.at(-1)!.text);
    }
    expect(steps.at(-1)).toContain('15.'); // the summary, reached in exactly one step per answer
    const draft = await a.drafts.get(user.channel, user.userId);
    expect(draft!.answers).toMatchObject({ ownerName: 'Hợp tác xã Nông sản Quảng Lâm', contactName: 'Nông Văn Minh' });
  });

  it('asks every field in order, proposes the product group, shows a numbered summary and submits with a reference code', async () => {
    const c = chat();
    await c.say('dang ky y tuong san pham');
    expect(c.texts()).toContain(format(c.m.form_intro, { total: 15 }));
    expect(c.texts()).toContain(c.step('ownerName'));
    await c.say('Hợp tác xã Nông sản Quảng Lâm');
    // The name says it is a cooperative, and a cooperative is registered by definition: neither is asked.
    expect(c.texts()).toBe(c.step('contactName'));
    await c.say('htx'); // the type typed anyway is no contact name: the step is asked again
    expect(c.texts()).toBe(c.step('contactName'));
    await c.say('Nông Văn Minh');
    expect(c.last()[0]!.requestContact).toBe(true);
    await c.say('0912 345 678');
    await c.say('bỏ qua');
    expect(c.texts()).toBe(c.step('commune'));
    await c.say('quang lam');
    await c.say('Mật ong bạc hà');
    expect(c.texts()).toContain('mã I.2.b');
    for (const [, text] of HAPPY.slice(7)) await c.say(text);
    const summary = c.texts();
    expect(summary.startsWith(c.m.form_summary_intro)).toBe(true);
    expect(summary).toContain('1. Tên chủ thể: Hợp tác xã Nông sản Quảng Lâm');
    expect(summary).toContain('5. Số điện thoại: 0912345678');
    expect(summary).toContain(`6. Email: ${c.m.form_summary_empty}`);
    expect(summary).toContain('7. Xã/phường: Xã Quảng Lâm');
    expect(summary).toContain('(I.2.b)');
    await c.say('Gửi đăng ký');
    const code = /OCOP-CB-\d{4}-\d{6}/.exec(c.texts())?.[0];
    expect(code).toBeDefined();
    expect(c.texts()).toContain('UBND xã Quảng Lâm');
    const stored = await c.a.submissions.get(code!);
    expect(stored).toMatchObject({ status: 'new', channel: 'zalo', userId: 'u1' });
    expect(stored!.form).toMatchObject({
      ownerType: 'cooperative',
      hasBusinessRegistration: true,
      phone: '0912345678',
      commune: 'Xã Quảng Lâm',
      rawMaterialSource: 'local',
    });
    expect(stored!.form.email).toBeUndefined();
    expect(await c.a.drafts.get('zalo', 'u1')).toBeUndefined();
    // The subscriber now carries commune and group, for announcements by audience.
    await c.a.subscribers.touch('zalo', 'u1', { at: 1 });
  });

  it.each([['0912 34 56'], ['abc'], ['02063 852 123']])(
    're-prompts a wrong phone number (%s) with an example and keeps the step',
    async (wrong) => {
      const c = chat();
      await fillAll(c, HAPPY.slice(0, 3));
      await c.say(wrong);
      expect(c.texts()).toBe(c.m.form_fields.phone.retry);
      await c.say('+84 912 345 678');
      expect(c.texts()).toBe(c.step('email'));
    },
  );

  it('offers help after three wrong answers in a row (and a skip only for optional fields)', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 3));
    await c.say('x');
    await c.say('y');
    await c.say('z');
    expect(c.texts()).toContain(format(c.m.form_three_misses, { help: c.m.form_fields.phone.help }));
    expect(c.last()[0]!.buttons!.map((b) => b.label)).not.toContain(c.m.form_skip_button);
    await c.say('0987654321');
    await c.say('not-an-email');
    await c.say('still wrong');
    await c.say('nope');
    expect(c.last()[0]!.buttons!.map((b) => b.label)).toContain(c.m.form_skip_button);
    await c.say(c.m.form_skip_button);
    expect(c.texts()).toBe(c.step('commune'));
  });

  it('goes back one step with "quay lại", and says so at the first step', async () => {
    const c = chat();
    await c.say('/dangky');
    await c.say('quay lại');
    expect(c.texts()).toContain(c.m.form_first_step);
    await c.say('Rau sạch Nà Rụa');
    expect(c.texts()).toBe(c.step('ownerType'));
    expect(c.last()[0]!.buttons!.map((b) => b.label)).toEqual(Object.values(c.m.owner_type_labels));
    await c.say('to hop tac');
    expect(c.texts()).toBe(c.step('hasBusinessRegistration'));
    await c.say('chưa');
    await c.say('quay lai');
    expect(c.texts()).toBe(c.step('hasBusinessRegistration'));
    await c.say('có');
    expect(c.texts()).toBe(c.step('contactName'));
  });

  it('cancels only after confirmation', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 2));
    await c.say('hủy');
    expect(c.texts()).toBe(c.m.form_cancel_confirm);
    await c.say(c.m.form_cancel_no);
    expect(c.texts()).toBe(c.step('contactName'));
    await c.say('huy');
    await c.say('1'); // "Có, hủy phiếu", typed as a number on Zalo
    expect(c.texts()).toBe(c.m.form_cancelled);
    expect(await c.a.drafts.get('zalo', 'u1')).toBeUndefined();
  });

  it('answers a question asked mid-form, then asks the step again', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 8));
    expect(c.texts()).toBe(c.step('description'));
    await c.say('bao nhiêu điểm thì được 3 sao?');
    expect(c.texts()).toContain('50');
    expect(c.texts()).toContain('Nguồn:');
    expect(c.texts()).toContain(c.m.form_side_resume);
    expect(c.texts().endsWith(c.step('description'))).toBe(true);
    const draft = await c.a.drafts.get('zalo', 'u1');
    expect(draft!.answers.description).toBeUndefined();
  });

  it('edits a field from the summary with "sửa N" and returns to the summary', async () => {
    const c = chat();
    await fillAll(c);
    await c.say('sửa 7');
    // The current value first, then the question that changes it.
    expect(c.texts()).toBe(
      `${format(c.m.form_edit_current, { n: 7, label: c.m.form_fields.commune.label, value: 'Xã Quảng Lâm' })}\n${c.step('commune')}`,
    );
    await c.say('phuong tan giang');
    expect(c.texts()).toContain('7. Xã/phường: Phường Tân Giang');
    // Another product: its group is proposed again before returning to the summary.
    await c.say('sua 8');
    await c.say('Miến dong');
    expect(c.texts()).toContain('I.3.c');
    await c.say('1');
    expect(c.texts()).toContain(
      '9. Nhóm sản phẩm: Thực phẩm › Thực phẩm chế biến › Chế biến từ rau, củ, quả, hạt (I.3.c)',
    );
  });

  it('lets the user choose another group by sector and sub-group', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 7));
    await c.say(c.m.form_group_other);
    expect(c.texts()).toBe(c.m.form_group_pick_sector);
    await c.say('do uong');
    expect(c.texts()).toBe(c.m.form_group_pick);
    await c.say('II.2.b');
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.productGroup!.code).toBe('II.2.b');
  });

  it('asks which commune is meant for a typo or a former district, and never keeps a name that is no unit', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 5));
    // A former district that is also a commune's name: which one?
    await c.say('Trùng Khánh');
    expect(c.texts()).toBe(
      format(c.m.form_former_district_same, { unit: 'xã Trùng Khánh', district: 'huyện Trùng Khánh' }),
    );
    // Another commune of the district: the units formed from its communes, to pick from.
    await c.say(c.m.form_former_district_other);
    expect(c.texts()).toBe(
      format(c.m.form_former_district, { district: 'huyện Trùng Khánh', district_cap: 'Huyện Trùng Khánh' }),
    );
    const labels = c.last()[0]!.buttons!.map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['Xã Trà Lĩnh', 'Xã Đàm Thủy', 'Xã Trùng Khánh']));
    expect(labels).toHaveLength(7);
    // A typo: close names to pick from, and nothing to keep as typed.
    await c.say('xa quang lma');
    expect(c.texts()).toBe(c.m.form_commune_suggest);
    expect(c.last()[0]!.buttons!.map((b) => b.label)).toEqual(['Xã Quảng Lâm']);
    // A name that is no unit, former unit or district: asked again, then the step's help.
    await c.say('Hoàn Kiếm');
    expect(c.texts()).toContain(c.m.form_fields.commune.retry);
    expect(
      c
        .last()
        .flatMap((r) => r.buttons ?? [])
        .map((b) => b.label),
    ).not.toContain('Giữ tên này');
    await c.say('Xã Khâm Thiên');
    await c.say('abc xyz');
    expect(c.texts()).toContain(c.m.form_fields.commune.help);
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBeUndefined();
    await c.say('Đàm Thủy');
    expect(c.texts()).toBe(c.step('productName'));
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBe('Xã Đàm Thủy');
  });

  it('turns a former commune into the unit it became, and says so', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 5));
    await c.say('xa phuc sen');
    expect(c.last().map((r) => r.text)).toEqual([
      `${format(c.m.form_echo, { label: c.m.form_fields.commune.label, value: 'Xã Quảng Uyên' })}\n${format(
        c.m.form_commune_former_note,
        {
          former: 'Xã Phúc Sen',
          district: 'huyện Quảng Hòa',
          unit: 'xã Quảng Uyên',
        },
      )}`,
      c.step('productName'),
    ]);
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBe('Xã Quảng Uyên');
    // "quay lại" asks the commune again.
    await c.say('quay lại');
    expect(c.texts()).toBe(c.step('commune'));
    await c.say('thị trấn Tà Lùng');
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBe('Xã Phục Hòa');
  });

  it('asks the former district of a former commune name several districts had', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 5));
    await c.say('xã Hưng Đạo');
    expect(c.texts()).toBe(
      format(c.m.form_commune_choose_former, { count: 3, former: 'xã Hưng Đạo', former_cap: 'Xã Hưng Đạo' }),
    );
    const option = (district: string, unit: string) => format(c.m.form_commune_district_option, { district, unit });
    expect(c.last()[0]!.buttons!.map((b) => b.label)).toEqual([
      option('Huyện Bảo Lạc', 'xã Hưng Đạo'),
      option('Thành phố Cao Bằng', 'phường Thục Phán'),
      option('Huyện Nguyên Bình', 'xã Tam Kim'),
    ]);
    // The district typed instead of pressed.
    await c.say('Nguyên Bình');
    expect(c.texts()).toBe(c.step('productName'));
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBe('Xã Tam Kim');
    // Pressed (here: its number), and with the district typed next to the name.
    await c.say('quay lại');
    await c.say('xa vinh quang');
    await c.say('1');
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBe('Phường Nùng Trí Cao');
    await c.say('quay lại');
    await c.say('xã Vĩnh Quang, huyện Bảo Lâm');
    expect((await c.a.drafts.get('zalo', 'u1'))!.answers.commune).toBe('Xã Lý Bôn');
  });

  it('pauses for the menu, answers questions, and asks whether to continue the draft', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 4));
    await c.say('menu');
    expect(c.texts()).toContain(c.m.form_paused);
    await c.say('ocop là gì');
    expect(c.texts()).toContain('Nguồn:');
    await c.say('Đăng ký ý tưởng sản phẩm');
    expect(c.last()[0]!.buttons!.map((b) => b.label)).toEqual([c.m.form_resume_continue, c.m.form_resume_restart]);
    await c.say(c.m.form_resume_continue);
    expect(c.texts()).toBe(c.step('email'));
  });

  it('asks a user who comes back after a long pause whether to continue', async () => {
    const c = chat();
    await fillAll(c, HAPPY.slice(0, 8));
    const draft = (await c.a.drafts.get('zalo', 'u1'))!;
    await c.a.drafts.set('zalo', 'u1', { ...draft, updatedAt: Date.now() - 3 * 3600 * 1000 });
    await c.say('Mật ong thơm');
    expect(c.texts()).toContain(format(c.m.form_resume_product, { product: 'Mật ong bạc hà' }));
    await c.say(c.m.form_resume_restart);
    expect(c.texts()).toBe(c.step('ownerName'));
  });

  it('submits once when the confirmation arrives twice', async () => {
    const c = chat();
    await fillAll(c);
    await c.say('Gửi đăng ký');
    const code = /OCOP-CB-\d{4}-\d{6}/.exec(c.texts())![0];
    await c.say('Gửi đăng ký');
    expect(c.texts()).toBe(format(c.m.form_already_submitted, { code }));
    expect(await c.a.submissions.listByUser('zalo', 'u1')).toHaveLength(1);
  });

  it('"Hồ sơ của tôi" lists submissions with their status and the officer\'s note', async () => {
    const c = chat();
    await c.say('Hồ sơ của tôi');
    expect(c.texts()).toBe(c.m.profile_empty);
    await fillAll(c);
    await c.say('Gửi đăng ký');
    const code = /OCOP-CB-\d{4}-\d{6}/.exec(c.texts())![0];
    await c.a.submissions.changeStatus(code, {
      status: 'needs_info',
      note: 'Bổ sung ảnh nhãn sản phẩm',
      by: 'admin',
      at: Date.now(),
    });
    await c.say('ho so cua toi');
    expect(c.texts()).toContain(code);
    expect(c.texts()).toContain(c.m.status_labels.needs_info);
    expect(c.texts()).toContain('Bổ sung ảnh nhãn sản phẩm');
  });
});
