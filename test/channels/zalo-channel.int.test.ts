/**
 * The Zalo channel end to end: the real app (real Redis, engine, knowledge base and axios client) talking to
 * the fake Zalo Bot API, by webhook and by long polling.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { MemorySubscriberStore } from '../../src/adapters/memory/memory-subscriber-store.js';
import { MemoryUpdateJournal } from '../../src/adapters/memory/memory-update-journal.js';
import { MemoryUpdateGuard } from '../../src/adapters/memory/memory-update-guard.js';
import { createInbox } from '../../src/channels/inbox.js';
import { ZaloClient } from '../../src/channels/zalo/zalo-client.js';
import { createZaloChannel, ZALO_TEXT_LIMIT, ZALO_WEBHOOK_PATH } from '../../src/channels/zalo/zalo-channel.js';
import type { ZaloUpdate } from '../../src/channels/zalo/zalo-types.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { format } from '../../src/core/messages.js';
import { foldText } from '../../src/core/text/vietnamese.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { assistant, testConfig, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const TOKEN = '1234567890:zalo-Channel-T0ken';
const SECRET = 'zalo_webhook-secret-0123456789';
const REDIS_URL = TEST_REDIS_URL;
const QUESTION = 'mat ong thuoc nhom nao';

interface Running {
  app: App;
  server?: FastifyInstance;
  /** The app's own webhook address (webhook mode only). */
  webhookUrl?: string;
}

let fake: FakeZaloServer;
let redis: Redis;
const running: Running[] = [];
const prefixes: string[] = [];

function newPrefix(): string {
  const prefix = uniquePrefix('zalo');
  prefixes.push(prefix);
  return prefix;
}

/** A chat id no other test uses. */
const chatId = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A logger that keeps error lines, to prove that nothing failed. */
function errorRecorder(errors: unknown[]): Logger {
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (obj, msg) => errors.push({ obj, msg }),
    child: () => logger,
  };
  return logger;
}

/**
 * The real app with Zalo pointed at the fake. Webhook mode (default): its HTTP server listens on the port of
 * ZALO_WEBHOOK_URL. `startChannels` registers the webhook at the fake (or starts polling).
 */
async function startApp(
  options: {
    webhook?: boolean;
    prefix?: string;
    env?: Record<string, string>;
    logger?: Logger;
    startChannels?: boolean;
  } = {},
): Promise<Running> {
  const { webhook = true, prefix = newPrefix(), env = {}, logger = silentLogger, startChannels = true } = options;
  const base = { ZALO_BOT_TOKEN: TOKEN, ZALO_API_ROOT: fake.apiRoot, REDIS_URL, REDIS_PREFIX: prefix, ...env };
  if (!webhook) {
    const ctx: Running = { app: createApp(testConfig({ LOG_LEVEL: 'silent', ...base }), logger) };
    running.push(ctx);
    if (startChannels) await ctx.app.startChannels();
    return ctx;
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const webhookUrl = `http://127.0.0.1:${port}${ZALO_WEBHOOK_PATH}`;
    const app = createApp(testConfig({ ...base, ZALO_WEBHOOK_URL: webhookUrl, ZALO_WEBHOOK_SECRET: SECRET }), logger);
    const server = createHttpServer(app, logger);
    const ctx: Running = { app, server, webhookUrl };
    running.push(ctx);
    try {
      await server.listen({ host: '127.0.0.1', port });
    } catch (err) {
      // Someone took the free port in between: try another one.
      if (attempt < 3 && (err as { code?: string }).code === 'EADDRINUSE') continue;
      throw err;
    }
    if (startChannels) {
      await app.startChannels();
      await waitFor('setWebhook at the fake', () => fake.webhook?.url === webhookUrl);
      expect(fake.webhook).toMatchObject({ url: webhookUrl, secretToken: SECRET });
    }
    return ctx;
  }
}

/** POSTs a raw body to a webhook URL (the secret header is the right one unless overridden). */
function postWebhook(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'X-Bot-Api-Secret-Token': SECRET },
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const textUpdate = (chat: string, text: string): ZaloUpdate => fake.makeUpdate({ chatId: chat, text });
const textsTo = (chat: string) => fake.sentTo(chat).map((s) => s.text);

/** Waits when the clock is about to enter a new flood window, so a burst of messages stays in one window. */
async function awayFromWindowEdge(windowSeconds: number): Promise<void> {
  const intoWindow = Date.now() % (windowSeconds * 1000);
  if (intoWindow > windowSeconds * 1000 - 5000) await sleep(windowSeconds * 1000 - intoWindow + 50);
}

async function deleteKeys(prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

beforeAll(async () => {
  fake = await startFakeZaloServer({ token: TOKEN, pollWaitMs: 100 });
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(prefix);
  await redis.quit();
  await fake.close();
});

beforeEach(() => fake.reset());

afterEach(async () => {
  for (const { app, server } of running.splice(0)) {
    await server?.close();
    await app.close();
  }
});

describe('Zalo channel, webhook mode', () => {
  it('answers a question in the documented wrapped shape and in the top-level shape, to the right chat', async () => {
    const { app } = await startApp();
    const wrappedChat = chatId('wrapped');
    const topChat = chatId('top');
    const wrapped = await fake.pushWebhook(textUpdate(wrappedChat, QUESTION), { shape: 'wrapped' });
    const top = await fake.pushWebhook(textUpdate(topChat, 'Mật ong thuộc nhóm nào?'), { shape: 'top-level' });
    expect(wrapped).toEqual({ status: 200, body: { ok: true } });
    expect(top).toEqual({ status: 200, body: { ok: true } });
    for (const chat of [wrappedChat, topChat]) {
      const texts = textsTo(chat);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(`${app.messages.source_label}:`);
      expect(texts[0]).toContain('Mật ong');
    }
    expect(fake.sent.every((s) => s.chatId === wrappedChat || s.chatId === topChat)).toBe(true);
  });

  it('refuses a wrong or missing secret with 401 and sends nothing', async () => {
    const { webhookUrl } = await startApp();
    const chat = chatId('secret');
    expect((await fake.pushWebhook(textUpdate(chat, QUESTION), { secret: 'not-the-right-secret' })).status).toBe(401);
    expect((await postWebhook(webhookUrl!, textUpdate(chat, QUESTION), {})).status).toBe(401);
    expect((await postWebhook(webhookUrl!, textUpdate(chat, QUESTION), { 'X-Bot-Api-Secret-Token': '' })).status).toBe(
      401,
    );
    await sleep(100);
    expect(fake.sent).toEqual([]);
  });

  it.each([
    ['an object that is no update', { foo: 1 }],
    ['invalid JSON', '{"event_name": "message.text.received", '],
    ['an empty body', ''],
    ['an array', [1, 2]],
    ['JSON null', 'null'],
    ['a message without ids', { event_name: 'message.text.received', message: { text: 'xin chào' } }],
    ['a wrapped body that is not ok', { ok: false, result: { event_name: 'message.text.received' } }],
    [
      'a message whose from is null',
      { event_name: 'message.text.received', message: { message_id: 'a', from: null, chat: { id: 'u' } } },
    ],
    ['an event_name that is no string', { event_name: { toString: 1 }, message: {} }],
  ])('acknowledges a malformed body (%s) with 200 and answers nothing (never 400 or 500)', async (_name, body) => {
    const { webhookUrl } = await startApp();
    const res = await postWebhook(webhookUrl!, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, ignored: 'malformed_update' });
    expect(fake.sent).toEqual([]);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'an event_name of "%s" is an unknown event: 200, nothing answered',
    async (name) => {
      const { app, webhookUrl } = await startApp();
      const chat = chatId('proto');
      const update = { ...textUpdate(chat, QUESTION), event_name: name };
      const res = await postWebhook(webhookUrl!, update);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      expect(textsTo(chat)).toEqual([]);
      expect(await app.subscribers.get('zalo', chat)).toBeUndefined();
    },
  );

  it('accepts an update without message (optional since v2.5): 200, nothing answered', async () => {
    const { webhookUrl } = await startApp();
    for (const body of [
      { event_name: 'message.unsupported.received' },
      { ok: true, result: { event_name: 'user.follow' } },
    ]) {
      const res = await postWebhook(webhookUrl!, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
    expect(fake.sent).toEqual([]);
  });

  it('reads an image with a caption as its caption; without one, it gets the photo reply', async () => {
    const { app } = await startApp();
    const withCaption = chatId('caption');
    const image = fake.makeUpdate({ chatId: withCaption, kind: 'image', text: 'Mật ong thuộc nhóm nào?' });
    expect((await fake.pushWebhook(image)).status).toBe(200);
    const [answer] = textsTo(withCaption);
    expect(answer).toContain('Mật ong');
    expect(answer).toContain(`${app.messages.source_label}:`);
    const bare = chatId('no-caption');
    expect((await fake.pushWebhook(fake.makeUpdate({ chatId: bare, kind: 'image' }))).status).toBe(200);
    expect(textsTo(bare)).toEqual([app.messages.non_text_replies.photo]);
    const blank = chatId('blank-caption');
    expect((await fake.pushWebhook(fake.makeUpdate({ chatId: blank, kind: 'image', text: '  ' }))).status).toBe(200);
    expect(textsTo(blank)).toEqual([app.messages.non_text_replies.photo]);
  });

  it('/start shows the menu as numbered lines with the hint; "1" and a label typed without diacritics pick a choice', async () => {
    const { app } = await startApp();
    const { messages } = app;
    const chat = chatId('menu');
    expect((await fake.pushWebhook(textUpdate(chat, '/start'))).status).toBe(200);
    const start = textsTo(chat);
    expect(start[0]).toBe(messages.greeting);
    const menu = start.at(-1)!;
    const lines = messages.menu_buttons.map((b, i) => `${i + 1}. ${b.label}`);
    expect(menu).toContain(
      `${messages.menu_prompt}\n\n${lines.join('\n')}\n${format(messages.choose_hint, { count: lines.length })}`,
    );
    expect(menu).toContain('1. Hỏi về OCOP');

    await fake.pushWebhook(textUpdate(chat, '1'));
    const topics = textsTo(chat).slice(start.length);
    expect(topics).toHaveLength(1);
    expect(topics[0]!.startsWith(messages.topic_prompt)).toBe(true);
    messages.topic_buttons.forEach((b, i) => {
      expect(topics[0]).toContain(`${i + 1}. ${b.label}`);
    });

    // "Bao nhiêu điểm thì đạt sao?" typed as "bao nhieu diem thi dat sao" stands for the button's question, which
    // is answered differently from the typed words themselves.
    const topic = messages.topic_buttons.find((b) => b.label === 'Bao nhiêu điểm thì đạt sao?')!;
    const question = messages.ask_questions[topic.value.replace(/^ask:/, '')]!;
    const typed = foldText(topic.label);
    expect(typed).toBe('bao nhieu diem thi dat sao');
    const [expected, literal] = await Promise.all([app.answers.ask(question), app.answers.ask(typed)]);
    expect(literal.text).not.toBe(expected.text);
    await fake.pushWebhook(textUpdate(chat, typed));
    const picked = textsTo(chat).slice(start.length + 1);
    expect(picked).toHaveLength(1);
    expect(picked[0]!.startsWith(expected.text)).toBe(true);
  });

  it('answers the same update pushed twice only once', async () => {
    await startApp();
    const chat = chatId('dup');
    const update = textUpdate(chat, QUESTION);
    expect((await fake.pushWebhook(update)).status).toBe(200);
    const once = textsTo(chat).length;
    expect(once).toBe(1);
    expect((await fake.pushWebhook(update, { shape: 'wrapped' })).status).toBe(200);
    await sleep(100);
    expect(textsTo(chat)).toHaveLength(once);
  });

  it('two app instances sharing a Redis prefix answer an update delivered to both exactly once', async () => {
    const prefix = newPrefix();
    const first = await startApp({ prefix, startChannels: false });
    const second = await startApp({ prefix, startChannels: false });
    const chat = chatId('two');
    const update = textUpdate(chat, QUESTION);
    const statuses = (
      await Promise.all([postWebhook(first.webhookUrl!, update), postWebhook(second.webhookUrl!, update)])
    ).map((r) => r.status);
    // One handles it; the other finds it done (200) or still in flight (503: the platform retries later).
    expect(statuses).toContain(200);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // Redeliveries to either instance are recognised as handled.
    for (const url of [first.webhookUrl!, second.webhookUrl!])
      expect((await postWebhook(url, update)).status).toBe(200);
    await sleep(100);
    const texts = textsTo(chat);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(`${first.app.messages.source_label}:`);
  });

  it('retries a 429 on sendMessage and delivers the reply exactly once', async () => {
    const { app } = await startApp();
    const chat = chatId('429');
    fake.failNext('sendMessage', { status: 429, description: 'Too many requests', retryAfter: 0 });
    expect((await fake.pushWebhook(textUpdate(chat, QUESTION))).status).toBe(200);
    expect(fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    const texts = textsTo(chat);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(`${app.messages.source_label}:`);
  });

  it('a 403 on sendMessage (a server error on Zalo) is retried and never marks the subscriber inactive', async () => {
    const { app } = await startApp();
    const chat = chatId('forbidden');
    fake.failNext('sendMessage', { status: 403, description: 'Internal server error' });
    expect((await fake.pushWebhook(textUpdate(chat, QUESTION))).status).toBe(200);
    expect(fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    expect(textsTo(chat)).toHaveLength(1);
    // Every attempt refused with 403: the reply is not delivered, and the user still stays active.
    const other = chatId('forbidden-all');
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden' }, 3);
    await fake.pushWebhook(textUpdate(other, QUESTION));
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === other)).toHaveLength(3);
    expect(textsTo(other)).toEqual([]);
    expect(await app.subscribers.get('zalo', other)).toMatchObject({ active: true });
  });

  it('marks the subscriber inactive on an answer saying this user blocked the bot, still answering 200', async () => {
    const { app } = await startApp();
    const chat = chatId('blocked');
    fake.failNext('sendMessage', { status: 400, description: 'User has blocked the bot' });
    expect(await fake.pushWebhook(textUpdate(chat, QUESTION))).toEqual({ status: 200, body: { ok: true } });
    expect(fake.sent).toEqual([]);
    expect(await app.subscribers.get('zalo', chat)).toMatchObject({
      active: false,
      inactiveReason: 'User has blocked the bot',
    });
    // Writing again makes the user reachable and active again.
    expect((await fake.pushWebhook(textUpdate(chat, QUESTION))).status).toBe(200);
    expect(textsTo(chat)).toHaveLength(1);
    expect(await app.subscribers.get('zalo', chat)).toMatchObject({ active: true });
  });

  it.each([
    ['image', 'photo'],
    ['sticker', 'sticker'],
    ['unsupported', 'other'],
  ] as const)('answers an %s message with its helpful reply', async (kind, key) => {
    const { app } = await startApp();
    const chat = chatId(kind);
    expect((await fake.pushWebhook(fake.makeUpdate({ chatId: chat, kind }))).status).toBe(200);
    expect(textsTo(chat)).toEqual([app.messages.non_text_replies[key]]);
  });

  it('applies the flood limit: 3 answers, one notice, then silence', async () => {
    const { app } = await startApp({ env: { FLOOD_MAX_MESSAGES: '3', FLOOD_WINDOW_SECONDS: '60' } });
    const chat = chatId('flood');
    await awayFromWindowEdge(60);
    const questions = [QUESTION, 'ocop la gi', 'ai duoc tham gia', 'nop ho so o dau', 'bao nhieu diem thi dat sao'];
    const added: string[][] = [];
    for (const q of questions) {
      const before = textsTo(chat).length;
      expect((await fake.pushWebhook(textUpdate(chat, q))).status).toBe(200);
      added.push(textsTo(chat).slice(before));
    }
    const notice = format(app.messages.flood, { seconds: 60 });
    for (const answer of added.slice(0, 3)) {
      expect(answer).toHaveLength(1);
      expect(answer[0]).toContain(`${app.messages.source_label}:`);
    }
    expect(added[3]).toEqual([notice]);
    expect(added[4]).toEqual([]);
    expect(textsTo(chat).filter((t) => t === notice)).toHaveLength(1);
  });
});

describe('Zalo channel, polling mode', () => {
  it('keeps polling through 408s, answers a queued update and stops cleanly', async () => {
    const errors: unknown[] = [];
    const { app } = await startApp({ webhook: false, logger: errorRecorder(errors) });
    expect(app.zalo?.mode).toBe('polling');
    const polls = () => fake.calls.filter((c) => c.method === 'getUpdates').length;
    await waitFor('three empty polls', () => polls() >= 3);
    expect(fake.calls[0]!.method).toBe('deleteWebhook');
    expect(fake.sent).toEqual([]);

    const chat = chatId('poll');
    fake.queueUpdate(textUpdate(chat, QUESTION));
    await fake.waitForSent(1);
    expect(textsTo(chat)).toHaveLength(1);
    expect(textsTo(chat)[0]).toContain(`${app.messages.source_label}:`);

    // close() aborts the pending long poll (the vitest timeout would catch one that waited it out).
    running.splice(
      running.findIndex((r) => r.app === app),
      1,
    );
    await app.close();
    const after = polls();
    await sleep(300);
    expect(polls()).toBe(after);
    expect(errors).toEqual([]);
  });
});

describe('Zalo channel with an engine double', () => {
  it('splits a 2,500-character answer at a paragraph boundary into ordered messages within the limit', async () => {
    const paragraph = (n: number) =>
      `Đoạn ${n}: Hợp tác xã Miến dong Phja Đén chuẩn bị hồ sơ OCOP gồm phiếu đăng ký, phương án sản xuất kinh doanh, ` +
      `bản sao giấy phép và tài liệu chứng minh nguồn gốc nguyên liệu; cán bộ xã hướng dẫn bà con hoàn thiện từng mục trước khi nộp.`;
    const paragraphs = Array.from({ length: 11 }, (_, i) => paragraph(i + 1));
    const longText = paragraphs.join('\n\n');
    expect(longText.length).toBeGreaterThan(2400);
    expect(longText.length).toBeLessThan(2700);

    const { messages } = assistant();
    const flood = { maxMessages: 10, windowSeconds: 20 };
    const subscribers = new MemorySubscriberStore();
    const engine: Engine = { handle: async () => [{ text: longText }] };
    const channel = createZaloChannel({
      client: new ZaloClient({ token: TOKEN, apiRoot: fake.apiRoot }),
      inbox: createInbox({
        engine,
        guard: new MemoryUpdateGuard(flood),
        journal: new MemoryUpdateJournal(),
        subscribers,
        messages,
        flood,
        logger: silentLogger,
      }),
      subscribers,
      messages,
      logger: silentLogger,
    });
    const chat = chatId('long');
    expect(await channel.handleUpdate(textUpdate(chat, 'kể chi tiết đi'))).toBe('handled');

    const texts = textsTo(chat);
    expect(texts).toHaveLength(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    // Whole paragraphs only, in order, and nothing lost.
    const [first, second] = texts.map((t) => t.split('\n\n'));
    expect([...first!, ...second!]).toEqual(paragraphs);
    expect(texts.join('\n\n')).toBe(longText);
    expect(await subscribers.get('zalo', chat)).toMatchObject({ active: true });
  });
});
