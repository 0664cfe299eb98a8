/**
 * Registering a product idea end to end, with a real Redis: on the web chat (/api/chat), on Telegram (local
 * Bot API server) and on Zalo (local Zalo Bot API server) — start, a wrong phone number re-prompted,
 * "quay lại", a side question, "sửa", submit — then the submission through the officer API with every field,
 * a status change that reaches the producer's channel, a confirmation delivered twice to two processes,
 * and forwarding to an external system that is down and comes back.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Submission } from '../../src/core/registration/types.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { dropPrefix, freePort, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { serveWithChannels, Servings } from '../support/serving.js';

const ADMIN_TOKEN = 'officer-token-0123456789';
const REDIS_URL = TEST_REDIS_URL;

/**
 * One conversation, as a person types it: with a wrong phone number, a step back, a question about OCOP in
 * the middle, and an edit from the summary. `choose` is how the channel picks a choice (a label on Telegram
 * and the web, a number on Zalo).
 */
async function register(send: (text: string) => Promise<string>, choose: (label: string, index: number) => string) {
  const seen: Record<string, string> = {};
  seen.start = await send('tôi muốn đăng ký ý tưởng');
  await send('Hợp tác xã Nông sản Quảng Lâm');
  await send(choose('Hợp tác xã', 1));
  await send('Nông Văn Minh');
  seen.wrongPhone = await send('0912 34');
  await send('0912.345.678');
  await send('htxquanglam@gmail.com');
  seen.back = await send('quay lại');
  await send('lienhe@htxquanglam.vn');
  await send('xa quang lam');
  await send('Mật ong bạc hà');
  seen.group = await send(choose('Đúng', 1));
  seen.side = await send('hồ sơ OCOP nộp ở đâu?');
  await send('Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát.');
  await send('chai thủy tinh 500 ml');
  await send(choose('Tại địa phương', 1));
  await send('khách du lịch và siêu thị ở Hà Nội');
  await send('2 tấn/năm');
  seen.summary = await send('thiết kế bao bì và mã vạch');
  await send('sửa 13');
  seen.edited = await send('khách du lịch, siêu thị ở Hà Nội và bán online');
  seen.submitted = await send(choose('Gửi đăng ký', 1));
  return seen;
}

function expectConversation(seen: Record<string, string>, a: App) {
  expect(seen.start).toContain(a.messages.form_fields.ownerName.question);
  expect(seen.wrongPhone).toContain(a.messages.form_fields.phone.retry);
  expect(seen.back).toContain(a.messages.form_fields.email.question);
  expect(seen.group).toContain(a.messages.form_fields.description.question);
  expect(seen.side).toContain('UBND');
  expect(seen.side).toContain('Nguồn:');
  expect(seen.side).toContain(a.messages.form_fields.description.question);
  expect(seen.summary).toContain('15. Hỗ trợ mong muốn: thiết kế bao bì và mã vạch');
  expect(seen.edited).toContain('13. Thị trường mục tiêu: khách du lịch, siêu thị ở Hà Nội và bán online');
  expect(seen.submitted).toMatch(/OCOP-CB-\d{4}-\d{6}/);
}

const EXPECTED_FORM = {
  ownerName: 'Hợp tác xã Nông sản Quảng Lâm',
  ownerType: 'cooperative',
  hasBusinessRegistration: true,
  contactName: 'Nông Văn Minh',
  phone: '0912345678',
  email: 'lienhe@htxquanglam.vn',
  commune: 'Xã Quảng Lâm',
  productName: 'Mật ong bạc hà',
  productGroup: {
    code: 'I.2.b',
    sector: 'Thực phẩm',
    group: 'Thực phẩm thô, sơ chế',
    subgroup: 'Mật ong, mật khác và nông sản thực phẩm khác',
  },
  description: 'Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát.',
  packaging: 'chai thủy tinh 500 ml',
  rawMaterialSource: 'local',
  targetMarket: 'khách du lịch, siêu thị ở Hà Nội và bán online',
  expectedOutput: '2 tấn/năm',
  supportWanted: 'thiết kế bao bì và mã vạch',
};

describe('registration end to end', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  const running = new Servings();
  const prefixes: string[] = [];

  beforeAll(async () => {
    telegram = await startFakeTelegramServer();
    zalo = await startFakeZaloServer({ token: '5555:zalo-e2e' });
  });
  afterEach(() => running.stopAll());
  afterAll(async () => {
    await telegram.close();
    await zalo.close();
    for (const p of prefixes) await dropPrefix(p);
  });

  async function start(env: Record<string, string> = {}) {
    const prefix = env.REDIS_PREFIX ?? uniquePrefix('reg');
    prefixes.push(prefix);
    const serving = await serveWithChannels(
      { telegram, telegramToken: '777777:reg-e2e', zalo, zaloToken: '5555:zalo-e2e' },
      { REDIS_URL, REDIS_PREFIX: prefix, ADMIN_TOKEN, FLOOD_MAX_MESSAGES: '100', ...env },
    );
    return running.add(serving);
  }

  const admin = (url: string, path: string, init: RequestInit = {}) =>
    fetch(`${url}/api/admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });

  async function submissionFrom(url: string, text: string): Promise<Submission> {
    const code = /OCOP-CB-\d{4}-\d{6}/.exec(text)![0];
    const res = await admin(url, `/submissions/${code}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Submission;
  }

  it('on the web chat', async () => {
    const { app, url } = await start();
    const send = async (text: string) => {
      const res = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'web-1', text }),
      });
      const body = (await res.json()) as { replies: { text: string }[] };
      return body.replies.map((r) => r.text).join('\n');
    };
    const seen = await register(send, (label) => label);
    expectConversation(seen, app);
    const s = await submissionFrom(url, seen.submitted!);
    expect(s).toMatchObject({ channel: 'web', userId: 'web-1', status: 'new', form: EXPECTED_FORM });
  });

  it('on Telegram, with buttons pressed and the phone number shared with the contact button', async () => {
    const { app, url } = await start();
    const chatId = 424201;
    const send = async (text: string) => {
      const before = telegram.messagesTo(chatId).length;
      const last = telegram.messagesTo(chatId).at(-1);
      type Kb = { inline_keyboard?: { text: string; callback_data: string }[][] };
      const pressed = ((last?.replyMarkup as Kb | undefined)?.inline_keyboard ?? [])
        .flat()
        .find((b) => b.text === text);
      // A button on the last message is pressed; the phone number is shared with the contact button.
      const update = pressed
        ? telegram.callbackUpdate(chatId, pressed.callback_data, last!.messageId)
        : /^0912\.345\.678$/.test(text)
          ? telegram.contactUpdate(chatId, '+84912345678')
          : telegram.textUpdate(chatId, text);
      expect((await telegram.deliver(update)).status).toBe(200);
      return telegram
        .messagesTo(chatId)
        .slice(before)
        .map((m) => m.text)
        .join('\n');
    };
    const seen = await register(send, (label) => label);
    expectConversation(seen, app);
    const s = await submissionFrom(url, seen.submitted!);
    expect(s).toMatchObject({ channel: 'telegram', userId: String(chatId), form: EXPECTED_FORM });
    // The phone step offered Telegram's contact button.
    expect(
      telegram
        .callsOf('sendMessage')
        .some((c) => JSON.stringify(c.payload.reply_markup ?? {}).includes('request_contact')),
    ).toBe(true);

    // An officer changes the status: the producer is told on Telegram, and sees it in "Hồ sơ của tôi".
    const before = telegram.messagesTo(chatId).length;
    const patch = await admin(url, `/submissions/${s.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'needs_info', note: 'Bổ sung ảnh nhãn sản phẩm' }),
    });
    expect(patch.status).toBe(200);
    const [notice] = await telegram.waitForMessages(chatId, before + 1).then((m) => m.slice(before));
    expect(notice!.text).toContain(s.id);
    expect(notice!.text).toContain(app.messages.status_labels.needs_info);
    expect(notice!.text).toContain('Bổ sung ảnh nhãn sản phẩm');
    expect(await send('Hồ sơ của tôi')).toContain('Bổ sung ảnh nhãn sản phẩm');
  });

  it('on Zalo, choices picked by typing their number', async () => {
    const { app, url } = await start();
    const chatId = 'zalo-user-42';
    const send = async (text: string) => {
      const before = zalo.sentTo(chatId).length;
      const res = await zalo.pushWebhook(zalo.makeUpdate({ chatId, text }));
      expect(res.status).toBe(200);
      return zalo
        .sentTo(chatId)
        .slice(before)
        .map((m) => m.text)
        .join('\n');
    };
    const seen = await register(send, (_label, index) => String(index));
    expectConversation(seen, app);
    const s = await submissionFrom(url, seen.submitted!);
    expect(s).toMatchObject({ channel: 'zalo', userId: chatId, form: EXPECTED_FORM });
    const list = (await (
      await admin(url, `/submissions?commune=${encodeURIComponent('Xã Quảng Lâm')}&group=I.2`)
    ).json()) as { items: Submission[] };
    expect(list.items.map((i) => i.id)).toEqual([s.id]);
    // The officer's decision reaches the producer on Zalo too.
    const before = zalo.sentTo(chatId).length;
    expect(
      (await admin(url, `/submissions/${s.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'reviewing' }) }))
        .status,
    ).toBe(200);
    await expect.poll(() => zalo.sentTo(chatId).length).toBe(before + 1);
    expect(zalo.sentTo(chatId).at(-1)!.text).toContain(app.messages.status_labels.reviewing);
  });

  it('submits once when the confirmation reaches two processes at the same moment', async () => {
    const prefix = uniquePrefix('reg-dup');
    const first = await start({ REDIS_PREFIX: prefix });
    const second = await start({ REDIS_PREFIX: prefix });
    const chat = (url: string, text: string) =>
      fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'web-dup', text }),
      }).then((r) => r.json() as Promise<{ replies: { text: string }[] }>);
    let i = 0;
    // The conversation alternates between the two processes; the confirmation goes to both at once.
    await register(
      async (text) => {
        if (text === 'Gửi đăng ký') return '';
        const body = await chat(i++ % 2 ? second.url : first.url, text);
        return body.replies.map((r) => r.text).join('\n');
      },
      (label) => label,
    );
    const answers = await Promise.all([chat(first.url, 'Gửi đăng ký'), chat(second.url, 'Gửi đăng ký')]);
    const codes = answers.map((a) => /OCOP-CB-\d{4}-\d{6}/.exec(a.replies.map((r) => r.text).join('\n'))?.[0]);
    expect(codes[0]).toBeDefined();
    expect(codes[1]).toBe(codes[0]);
    expect(await first.app.submissions.listByUser('web', 'web-dup')).toHaveLength(1);
  });

  it('forwards submissions to the external system: queued while it is down, delivered once when it is back', async () => {
    const port = await freePort();
    const received: { id: string; key: string | undefined }[] = [];
    const { app, url } = await start({
      BACKEND_WEBHOOK_URL: `http://127.0.0.1:${port}/ocop/submissions`,
      BACKEND_WEBHOOK_TOKEN: 'ext-token',
    });
    const send = (user: string) => async (text: string) => {
      const res = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: user, text }),
      });
      return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
    };
    const codes: string[] = [];
    for (const user of ['ext-1', 'ext-2']) {
      const seen = await register(send(user), (label) => label);
      codes.push(/OCOP-CB-\d{4}-\d{6}/.exec(seen.submitted!)![0]);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(0);
    // The external system comes up.
    const external: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        expect(req.headers.authorization).toBe('Bearer ext-token');
        received.push({
          id: (JSON.parse(body) as { id: string }).id,
          key: req.headers['idempotency-key'] as string | undefined,
        });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => external.listen(port, '127.0.0.1', r));
    try {
      await expect.poll(() => received.length, { timeout: 60_000, interval: 200 }).toBe(2);
      await new Promise((r) => setTimeout(r, 1500));
      expect(received.map((r) => r.id).sort()).toEqual([...codes].sort());
      expect(received.map((r) => r.key).sort()).toEqual([...codes].sort());
    } finally {
      await new Promise<void>((r) => external.close(() => r()));
    }
    expect(app.outbox).toBeDefined();
  });
});
