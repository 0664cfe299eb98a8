/**
 * Telegram end to end: grammY's real HTTP client against a local server that speaks the Bot API, the real
 * engine and knowledge base, and a real Redis. Webhook mode and polling mode.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { Writable } from 'node:stream';
import {
  startFakeTelegramServer,
  type FakeTelegramServer,
  type RecordedMessage,
} from '../fakes/fake-telegram-server.js';
import { app as makeApp, dropPrefix, freePort, testConfig, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const TOKEN = '123456:TEST-token_abc';
const SECRET = 'webhook-secret_123';
const REDIS_URL = TEST_REDIS_URL;

interface Running {
  app: App;
  server: FastifyInstance;
  url: string;
}

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttons = (m: RecordedMessage) => ((m.replyMarkup as Keyboard | undefined)?.inline_keyboard ?? []).flat();
const button = (m: RecordedMessage, label: string) => {
  const b = buttons(m).find((x) => x.text === label);
  if (!b) throw new Error(`no button "${label}" in ${JSON.stringify(buttons(m).map((x) => x.text))}`);
  return b.callback_data;
};

describe('Telegram channel', () => {
  let fake: FakeTelegramServer;
  const running: Running[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    fake = await startFakeTelegramServer({ pollWaitMs: 100 });
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await r.server.close();
      await r.app.close();
    }
    fake.reset();
  });
  afterAll(async () => {
    await fake.close();
    for (const p of prefixes) await dropPrefix(p);
  });

  async function start(mode: 'webhook' | 'polling', env: Record<string, string> = {}, port?: number): Promise<Running> {
    const prefix = env.REDIS_PREFIX ?? uniquePrefix('tg');
    prefixes.push(prefix);
    const listenPort = port ?? (await freePort());
    const app = makeApp({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      ...(mode === 'webhook'
        ? { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${listenPort}/telegram/webhook`, TELEGRAM_WEBHOOK_SECRET: SECRET }
        : {}),
      ...env,
    });
    const server = createHttpServer(app, silentLogger);
    const url = await server.listen({ host: '127.0.0.1', port: listenPort });
    await app.startChannels();
    if (mode === 'webhook')
      await expect.poll(() => fake.webhook?.url).toBe(`http://127.0.0.1:${listenPort}/telegram/webhook`);
    const r = { app, server, url };
    running.push(r);
    return r;
  }

  /** Delivers an update (webhook or queue, whichever the fake is set to) and waits for `count` more messages. */
  async function exchange(
    chatId: number,
    update: ReturnType<FakeTelegramServer['textUpdate']>,
    count: number,
  ): Promise<RecordedMessage[]> {
    const before = fake.messagesTo(chatId).length;
    const delivery = await fake.deliver(update);
    if (delivery.status !== 0) expect(delivery.status).toBe(200);
    return (await fake.waitForMessages(chatId, before + count)).slice(before);
  }

  /** A webhook-mode app whose log lines (debug level) are kept in `lines`. */
  async function startWithLog(name: string, token: string) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const port = await freePort();
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    const app = createApp(
      testConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        REDIS_URL,
        REDIS_PREFIX: prefix,
      }),
      createLogger('debug', sink),
    );
    const server = createHttpServer(app, createLogger('debug', sink));
    const url = await server.listen({ host: '127.0.0.1', port });
    running.push({ app, server, url });
    return { lines, app, url };
  }

  async function conversation(chatId: number): Promise<void> {
    const [greeting, menu] = await exchange(chatId, fake.textUpdate(chatId, '/start'), 2);
    expect(greeting!.text).toContain('Trợ lý OCOP Cao Bằng');
    expect(buttons(menu!).map((b) => b.text)).toEqual([
      'Hỏi về OCOP',
      'Sản phẩm của tôi thuộc nhóm nào?',
      'Đăng ký ý tưởng sản phẩm',
      'Kiểm tra điều kiện tham gia',
      'Tự chấm điểm sơ bộ',
      'Hồ sơ của tôi',
      'Nhận thông báo',
    ]);
    for (const b of buttons(menu!)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    const answeredBefore = fake.callsOf('answerCallbackQuery').length;
    const [topics] = await exchange(
      chatId,
      fake.callbackUpdate(chatId, button(menu!, 'Hỏi về OCOP'), menu!.messageId),
      1,
    );
    expect(fake.callsOf('answerCallbackQuery').length).toBe(answeredBefore + 1);
    const [answer] = await exchange(
      chatId,
      fake.callbackUpdate(chatId, button(topics!, 'Hồ sơ và nơi nộp'), topics!.messageId),
      1,
    );
    expect(answer!.text).toContain('Nguồn:');

    const [typed] = await exchange(chatId, fake.textUpdate(chatId, 'mat ong thuoc nhom nao'), 1);
    expect(typed!.text).toMatch(/Thực phẩm/);
    expect(typed!.text).toContain('Nguồn:');
    // Sources are short named links (HTML parse mode), never long raw URLs in the text.
    for (const cited of [answer!, typed!]) {
      expect(cited.text).not.toMatch(/https?:\/\//);
      expect(cited.links!.length).toBeGreaterThan(0);
      for (const link of cited.links!) {
        expect(link.url).toMatch(/^https?:\/\//);
        expect(cited.text).toContain(`Nguồn: ${link.text}`);
        expect(link.text.length).toBeLessThan(120);
      }
    }
  }

  it('webhook mode: sets the webhook with its secret, then /start, a pressed button and a typed question', async () => {
    const { app } = await start('webhook');
    expect(fake.webhook!.secretToken).toBe(SECRET);
    expect(fake.webhook!.allowedUpdates).toEqual(
      expect.arrayContaining(['message', 'callback_query', 'my_chat_member']),
    );
    await expect.poll(() => fake.callsOf('setMyCommands').length).toBe(1);
    await conversation(1001);
    const subscriber = await app.subscribers.get('telegram', '1001');
    expect(subscriber).toMatchObject({ active: true, optedIn: false });
  });

  it('polling mode: the same conversation through getUpdates', async () => {
    await start('polling');
    await expect.poll(() => fake.callsOf('getUpdates').length).toBeGreaterThan(0);
    expect(fake.callsOf('deleteWebhook').length).toBeGreaterThan(0);
    await conversation(1002);
  });

  it('refuses a wrong or missing secret with 401 and acknowledges a malformed update with 200', async () => {
    const { url } = await start('webhook');
    const update = fake.textUpdate(1003, 'xin chào');
    expect((await fake.deliverWithSecret(update, 'wrong-secret')).status).toBe(401);
    expect((await fake.deliverWithSecret(update, undefined)).status).toBe(401);
    const post = (body: string) =>
      fetch(`${url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body,
      });
    // Refusing one would make Telegram redeliver it, and hold back that chat's next updates.
    for (const body of ['{}', '{"update_id":"7"}', '[1,2]', '{"update_id": ', ''])
      expect((await post(body)).status).toBe(200);
    expect(fake.messagesTo(1003)).toHaveLength(0);
  });

  it('logs a malformed update with its id and what was wrong, never its text, and handles the next one', async () => {
    const { lines, app, url } = await startWithLog('tg-malformed', TOKEN);
    await app.startChannels();
    await expect.poll(() => fake.webhook?.secretToken).toBe(SECRET);
    const poison = fake.textUpdate(1012, 'số của tôi là 0912 345 678') as unknown as {
      update_id: number;
      message: Record<string, unknown>;
    };
    poison.message.from = null;
    const cases: unknown[] = [
      poison,
      { update_id: poison.update_id + 1, message: 'not an object' },
      { update_id: poison.update_id + 2, message: { ...poison.message, from: { id: 1012 }, chat: undefined } },
      { update_id: poison.update_id + 3, callback_query: { id: '1', data: 'b:1.0', chat_instance: '1' } },
      { update_id: poison.update_id + 4, my_chat_member: { chat: { id: 1012, type: 'private' }, from: 'x' } },
      { ...fake.textUpdate(1012, 'x'), message: { ...fake.textUpdate(1012, 'x').message, text: 42 } },
    ];
    for (const body of cases) {
      const res = await fetch(`${url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, ignored: 'malformed_update' });
    }
    const malformed = lines.filter((l) => l.includes('"malformed update"')).map((l) => JSON.parse(l));
    expect(malformed).toHaveLength(cases.length);
    expect(malformed[0]).toMatchObject({ update: poison.update_id, problems: ['message.from: invalid_type'] });
    expect(lines.join('')).not.toContain('0912');
    // The chat is not blocked: its next (valid) update is answered.
    const [reply] = await exchange(1012, fake.textUpdate(1012, 'huong dan'), 1);
    expect(reply!.text).toContain('Cách dùng');
  });

  it('answers a redelivered update once, also when the two deliveries reach two processes', async () => {
    const prefix = uniquePrefix('tg-dup');
    const first = await start('webhook', { REDIS_PREFIX: prefix });
    const second = await start('webhook', { REDIS_PREFIX: prefix });
    const update = fake.textUpdate(1004, 'chứng nhận ocop có giá trị bao lâu');
    expect((await fake.deliver(update)).status).toBe(200);
    expect((await fake.deliver(update)).status).toBe(200);
    // The same update again, at the same moment, to both processes (as a load balancer might).
    const post = (url: string, body: unknown) =>
      fetch(`${url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(body),
      });
    const again = fake.textUpdate(1004, 'hồ sơ nộp ở đâu');
    const statuses = (await Promise.all([post(first.url, again), post(second.url, again)])).map((r) => r.status).sort();
    // Both are told 200: one records it and answers it, the other finds it recorded.
    expect(statuses).toEqual([200, 200]);
    expect((await post(second.url, again)).status).toBe(200); // the retry: already done, not answered again
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messagesTo(1004)).toHaveLength(2);
  });

  it('continues a conversation after a restart: a keyboard from before the restart still works', async () => {
    const prefix = uniquePrefix('tg-restart');
    const port = await freePort();
    const first = await start('webhook', { REDIS_PREFIX: prefix }, port);
    const [, menu] = await exchange(1005, fake.textUpdate(1005, '/start'), 2);
    const [topics] = await exchange(1005, fake.callbackUpdate(1005, button(menu!, 'Hỏi về OCOP')), 1);
    await first.server.close();
    await first.app.close();
    running.splice(running.indexOf(first), 1);
    await start('webhook', { REDIS_PREFIX: prefix }, port);
    const [answer] = await exchange(1005, fake.callbackUpdate(1005, button(topics!, 'Ai được tham gia?')), 1);
    expect(answer!.text).toContain('Nguồn:');
  });

  it('retries a 429 inside request handling and still answers once', async () => {
    await start('webhook');
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const [reply] = await exchange(1006, fake.textUpdate(1006, 'huong dan'), 1);
    expect(reply!.text).toContain('Cách dùng');
    expect(
      fake
        .callsOf('sendMessage')
        .filter((c) => c.payload.chat_id === 1006)
        .map((c) => c.status),
    ).toEqual([429, 200]);
  });

  it('keeps running when the non-essential setMyCommands is refused', async () => {
    fake.failNext('setMyCommands', { error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' });
    await start('polling');
    await expect.poll(() => fake.callsOf('setMyCommands').length).toBe(1);
    const [menu] = await exchange(1007, fake.textUpdate(1007, 'menu'), 1);
    expect(buttons(menu!).length).toBe(7);
  });

  it('marks a subscriber inactive when blocked (my_chat_member or a 403) and active again when back', async () => {
    const { app } = await start('webhook');
    await exchange(1008, fake.textUpdate(1008, 'nhận thông báo'), 1);
    expect(await app.subscribers.get('telegram', '1008')).toMatchObject({ optedIn: true, active: true });
    expect((await fake.deliver(fake.myChatMemberUpdate(1008, 'kicked'))).status).toBe(200);
    expect(await app.subscribers.get('telegram', '1008')).toMatchObject({ active: false, inactiveReason: 'kicked' });
    expect((await fake.deliver(fake.myChatMemberUpdate(1008, 'member'))).status).toBe(200);
    expect(await app.subscribers.get('telegram', '1008')).toMatchObject({ active: true });
    fake.deactivateChat(1009);
    expect((await fake.deliver(fake.textUpdate(1009, 'xin chào'))).status).toBe(200);
    expect(await app.subscribers.get('telegram', '1009')).toMatchObject({
      active: false,
      inactiveReason: 'Forbidden: user is deactivated',
    });
  });

  it('answers photos, stickers, voice notes, locations, files and contacts helpfully', async () => {
    const { app } = await start('webhook');
    const r = app.messages.non_text_replies;
    const cases = [
      [fake.photoUpdate(1010), r.photo],
      [fake.stickerUpdate(1010), r.sticker],
      [fake.voiceUpdate(1010), r.voice],
      [fake.locationUpdate(1010), r.location],
      [fake.documentUpdate(1010), r.file],
      [fake.contactUpdate(1010, '+84912345678'), r.contact],
    ] as const;
    for (const [update, text] of cases) expect((await exchange(1010, update, 1))[0]!.text).toBe(text);
  });

  it('writes no token, webhook secret or phone number to the logs, even when calls fail', async () => {
    const token = '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    const { lines, app } = await startWithLog('tg-logs', token);
    await app.startChannels();
    await expect.poll(() => fake.webhook?.secretToken).toBe(SECRET);
    await exchange(1011, fake.contactUpdate(1011, '+84912345678'), 1);
    await fake.deliverWithSecret(fake.textUpdate(1011, 'xin chào'), 'wrong');
    // Three server errors in a row: the request's retries give up, the update waits for the inbox's own retry
    // (Telegram is told 200: the update is recorded), and the failure is logged.
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 3);
    expect((await fake.deliver(fake.textUpdate(1011, 'so dien thoai cua toi la 0912 345 678'))).status).toBe(200);
    const log = lines.join('');
    expect(log).toContain('update failed, will retry');
    // Three attempts with short backoff: the request is answered well within Telegram's patience.
    expect(fake.callsOf('sendMessage').filter((c) => c.payload.chat_id === 1011 && c.status === 500)).toHaveLength(3);
    for (const secret of [token, token.split(':')[1]!, SECRET, '912345678', '0912 345 678'])
      expect(log).not.toContain(secret);
  });
});
