/**
 * Every transcript named by the language-layer issue, as a conversation through the engine (memory stores):
 * questions that got the wrong passage, typed requests that were not understood, follow-ups that lost the thread,
 * small talk, context and pronouns. The held-out sets (test/fixtures/heldout) measure the thousand like them.
 */
import { describe, expect, it } from 'vitest';
import type { Button, ChannelName, Reply } from '../../../src/core/conversation.js';
import { format } from '../../../src/core/messages.js';
import { app } from '../../support/app.js';

function chat(channel: ChannelName = 'web', userId = 'u') {
  const a = app();
  let last: Reply[] = [];
  // As the inbox does before the engine: the subscriber record exists once the user writes.
  const say = async (text: string) => {
    await a.subscribers.touch(channel, userId, { at: Date.now() });
    return (last = await a.engine.handle({ channel, userId, text, kind: 'text' }));
  };
  const press = async (b: Button) => (last = await a.engine.handle({ channel, userId, buttonRef: b.ref! }));
  const text = () => last.map((r) => r.text).join('\n');
  const buttons = () => last.flatMap((r) => r.buttons ?? []);
  const formStarted = () =>
    text().includes(format(a.messages.form_step, { n: 1, total: 15, question: '' }).trim().split('.')[0]!);
  return { a, m: a.messages, say, press, text, buttons, formStarted };
}

describe('questions that got the wrong passage', () => {
  it.each([
    ['Sản phẩm OCOP có mấy nhóm?', /6 nhóm/],
    ['ocop la gi the', /[Mm]ỗi xã một sản phẩm/],
    ['Giai đoạn 2019 - 2020 tỉnh dự kiến chi bao nhiêu tiền?', /76 tỷ 325 triệu/],
    ['Cao Bằng hiện có bao nhiêu sản phẩm OCOP?', /144/],
    ['Cả nước hiện có bao nhiêu sản phẩm OCOP?', /18\.243/],
    ['Theo QĐ 1048 thì phần A, B, C bao nhiêu điểm?', /35 điểm[\s\S]*25 điểm[\s\S]*40 điểm|A 35[\s\S]*B 25[\s\S]*C 40/],
    ['hộ chưa có giấy phép kinh doanh thì có tham gia được không', /đăng ký kinh doanh|hộ kinh doanh/],
  ])('%s', async (question, fact) => {
    const c = chat();
    await c.say(question);
    expect(c.text()).toMatch(fact);
    expect(c.text()).toContain('Nguồn:');
  });

  it('does not read "thể" into "ocop la gi the", nor "bạn" and "chị" into parts B and C', async () => {
    const c = chat();
    await c.say('ocop la gi the');
    expect(c.text()).not.toMatch(/năm 2023/);
    await c.say('Theo QĐ 1048 thì phần A, B, C bao nhiêu điểm?');
    expect(c.text()).not.toMatch(/Phần A 40 điểm/);
  });
});

describe('requests typed the way people write them', () => {
  it.each(['Tôi muốn đăng ký ý tưởng sản phẩm', 'mình muốn đk ý tưởng sản phẩm', 'điền phiếu ý tưởng'])(
    '"%s" starts the registration form',
    async (typed) => {
      const c = chat();
      await c.say(typed);
      expect(c.formStarted()).toBe(true);
    },
  );

  // "đăng ký sản phẩm" may mean the idea form or the evaluation: the form is offered with a button that starts it.
  it.each(['cho em dang ky sp voi', 'HTX em muốn đăng ký sản phẩm OCOP ạ'])(
    '"%s" offers the form, and one press starts it',
    async (typed) => {
      const c = chat();
      await c.say(typed);
      const start = c.buttons().find((b) => b.value === 'req:register');
      expect(start).toBeDefined();
      await c.press(start!);
      expect(c.formStarted()).toBe(true);
    },
  );

  it('a situation with a request starts the form or offers it', async () => {
    const c = chat();
    await c.say('nhà em làm miến dong, muốn đăng ký OCOP luôn ở đây được không?');
    const offered =
      c.text().includes(c.m.clarify_register.split('?')[0]!.replace('Bạn', 'Em').slice(0, 10)) ||
      c.buttons().some((b) => b.value === 'req:register');
    expect(c.formStarted() || offered).toBe(true);
  });

  it('a question about a request is answered, and the answer ends with the button that does it', async () => {
    const c = chat();
    await c.say('đăng ký ý tưởng cần giấy tờ gì?');
    expect(c.formStarted()).toBe(false);
    expect(c.text()).toContain('Nguồn:');
    const register = c.buttons().find((b) => b.value === 'req:register');
    expect(register).toBeDefined();
    await c.press(register!);
    expect(c.formStarted()).toBe(true);
  });

  it.each(['xem ho so cua em', 'kiểm tra tình trạng hồ sơ của tôi'])('"%s" opens "Hồ sơ của tôi"', async (typed) => {
    const c = chat();
    await c.say(typed);
    expect(c.text()).toContain('hồ sơ hay ý tưởng sản phẩm');
  });

  it.each(['alo ad oi', 'Chào em, chị cần tư vấn'])('"%s" is greeted with the menu', async (typed) => {
    const c = chat();
    await c.say(typed);
    // The web shows the menu without "Nhận thông báo" (it cannot receive announcements).
    expect(c.buttons().map((b) => b.value)).toEqual(
      c.m.menu_buttons.map((b) => b.value).filter((v) => v !== 'req:subscribe'),
    );
    expect(c.text()).not.toContain(c.m.abstain.slice(0, 20));
  });

  it('"cho em nhan tin thong bao ocop" subscribes on Telegram', async () => {
    const c = chat('telegram', 't1');
    await c.say('cho em nhan tin thong bao ocop');
    expect(await c.a.subscribers.get('telegram', 't1')).toMatchObject({ optedIn: true });
  });
});

describe('follow-ups read with the previous question', () => {
  it.each([
    ['Đề án giai đoạn 2019-2020 kinh phí bao nhiêu?', 'còn giai đoạn 2021-2025 thì sao?', /120 tỷ/],
    ['Mật ong thuộc nhóm nào?', 'còn rượu ngô?', /Đồ uống/],
    ['Chu trình OCOP có mấy bước?', 'bước thứ 3 là gì', /phương án, dự án sản xuất kinh doanh/],
    ['Theo QĐ 148 phần A bao nhiêu điểm?', 'phần C thì sao', /35/],
    // A period named by its place: the one the knowledge base names just before or after.
    ['Kinh phí đề án OCOP Cao Bằng giai đoạn 2021 - 2025?', 'thế giai đoạn trước đó?', /76 tỷ/],
    ['kinh phi de an ocop cao bang gd 2019-2020', 'con giai doan tiep theo', /120 tỷ/],
  ])('%s → %s', async (first, second, fact) => {
    const c = chat();
    await c.say(first);
    await c.say(second);
    expect(c.text()).toMatch(fact);
  });
});

describe('small talk and context', () => {
  it('thanks and "ok" get a short reply and are not logged as questions', async () => {
    const c = chat();
    await c.say('cảm ơn em nhiều');
    expect(c.text()).not.toContain(c.m.abstain.slice(0, 20));
    await c.say('ok');
    expect(c.text()).not.toContain(c.m.abstain.slice(0, 20));
    await new Promise((r) => setTimeout(r, 5));
    expect(await c.a.questions.unanswered()).toEqual([]);
  });

  it.each([
    ['tra shan tuyet', /Thực phẩm/],
    ['ruou ngo men la', /Đồ uống/],
  ])('after the product-group button, "%s" is classified', async (typed, group) => {
    const c = chat();
    await c.say('menu');
    await c.press(c.buttons().find((b) => b.value === 'req:classify')!);
    await c.say(typed);
    expect(c.text()).toMatch(group);
  });

  it('on Telegram "dung" asks before unsubscribing', async () => {
    const c = chat('telegram', 't2');
    await c.say('nhận thông báo');
    await c.say('dung');
    expect(c.text()).toBe(c.m.confirm_unsubscribe);
    expect(await c.a.subscribers.get('telegram', 't2')).toMatchObject({ optedIn: true });
  });

  it('a number the last reply does not offer picks from the menu shown before it, not "3 sao"', async () => {
    const c = chat('zalo', 'z');
    await c.say('menu');
    await c.say('chứng nhận ocop có giá trị bao lâu');
    expect(c.buttons().length).toBeLessThan(3);
    await c.say('3');
    expect(c.formStarted()).toBe(true);
  });

  it('answers someone who writes "em" as "em", consistently', async () => {
    const c = chat();
    await c.say('cho em hỏi cái này');
    expect(c.text()).not.toMatch(/\bbạn\b/i);
    expect(c.text()).toMatch(/\b[Ee]m\b/);
    await c.say('Dự báo thời tiết tuần tới');
    expect(c.text()).not.toMatch(/\b[Bb]ạn\b|\b[Tt]ôi\b/);
  });
});
