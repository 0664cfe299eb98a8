/**
 * Long polling on both platforms, through the real clients (grammY + @grammyjs/runner, our axios Zalo client)
 * against the local fake servers, with the real inbox on a real Redis and an engine double whose handler can
 * be held back. Backoff waits are injected: the tests record the delays asked for and never really wait.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import { RedisUpdateGuard } from '../../src/adapters/redis/redis-update-guard.js';
import { RedisUpdateJournal } from '../../src/adapters/redis/redis-update-journal.js';
import type { ChannelStatus, Sleep } from '../../src/channels/channel-state.js';
import { createInbox } from '../../src/channels/inbox.js';
import { createTelegramChannel, type TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { createZaloChannel, type ZaloChannel } from '../../src/channels/zalo/zalo-channel.js';
import { ZaloClient } from '../../src/channels/zalo/zalo-client.js';
import type { InboundMessage, Reply } from '../../src/core/conversation.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger } from '../../src/core/logger.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { assistant, dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const TG_TOKEN = '424242:polling-Test_token';
const ZALO_TOKEN = '8080:zalo-polling-token';
const CONFLICT = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

let tg: FakeTelegramServer;
let zalo: FakeZaloServer;
let redis: Redis;
const prefixes: string[] = [];
const stoppers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  tg = await startFakeTelegramServer({ pollWaitMs: 100 });
  zalo = await startFakeZaloServer({ token: ZALO_TOKEN, pollWaitMs: 100 });
  redis = new Redis(TEST_REDIS_URL);
});
afterEach(async () => {
  for (const stop of stoppers.splice(0)) await stop();
  tg.reset();
  zalo.reset();
});
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(p);
  await redis.quit();
  await tg.close();
  await zalo.close();
});

/** The real inbox (journal, flood limit, per-user lock, subscribers) on Redis, around an engine double. */
function inbox(engine: Engine, failAccepts = 0) {
  const prefix = uniquePrefix('polling');
  prefixes.push(prefix);
  const keys = createKeys(prefix);
  const flood = { maxMessages: 100, windowSeconds: 60 };
  const subscribers = new RedisSubscriberStore(redis, keys);
  const { messages } = assistant();
  return {
    subscribers,
    messages,
    inbox: createInbox({
      engine,
      guard: new RedisUpdateGuard(redis, keys, flood),
      journal: Object.assign(new RedisUpdateJournal(redis, keys), {
        // Redis out of reach for the first `failAccepts` updates: the journal cannot record them.
        accept(this: RedisUpdateJournal, ...args: Parameters<RedisUpdateJournal['accept']>) {
          if (failAccepts-- > 0) return Promise.reject(new Error('Connection is closed.'));
          return RedisUpdateJournal.prototype.accept.apply(this, args);
        },
        // The step the inbox records a platform update with (the flood count, the record and the lock at once).
        admit(this: RedisUpdateJournal, ...args: Parameters<RedisUpdateJournal['admit']>) {
          if (failAccepts-- > 0) return Promise.reject(new Error('Connection is closed.'));
          return RedisUpdateJournal.prototype.admit.apply(this, args);
        },
      }),
      subscribers,
      messages,
      flood,
      logger: silentLogger,
    }),
  };
}

/** Replies "<user>: <text>", after `hold(message)` resolves. */
function engineDouble(hold: (m: InboundMessage) => Promise<unknown> = async () => undefined): Engine {
  return {
    async handle(m): Promise<Reply[]> {
      await hold(m);
      return [{ text: `${m.userId}: ${m.text ?? m.kind}` }];
    },
  };
}

/** Records the backoff asked for, and what the channel reported at that moment; never waits. */
function recordingSleep(status: () => ChannelStatus, onSleep?: (n: number) => void) {
  const seen: { ms: number; state: string; lastError?: string }[] = [];
  const wait: Sleep = async (ms) => {
    const s = status();
    seen.push({ ms, state: s.state, ...(s.lastError ? { lastError: s.lastError } : {}) });
    onSleep?.(seen.length);
    // A real pause of a few ms keeps a failing loop from spinning the CPU; it is not what the test measures.
    await sleep(5);
  };
  return { seen, wait };
}

function startTelegram(engine: Engine, options: { apiRoot?: string; onSleep?: (n: number) => void } = {}) {
  const deps = inbox(engine);
  let channel: TelegramChannel | undefined;
  const recorder = recordingSleep(() => channel!.status(), options.onSleep);
  channel = createTelegramChannel({
    token: TG_TOKEN,
    apiRoot: options.apiRoot ?? tg.apiRoot,
    ...deps,
    logger: silentLogger,
    sleep: recorder.wait,
    random: () => 1, // the jitter at its top: each wait is the full exponential step
    pollTimeoutSeconds: 1,
  });
  stoppers.push(() => channel!.stop());
  return { channel, seen: recorder.seen, ...deps };
}

const texts = (chatId: number) => tg.messagesTo(chatId).map((m) => m.text);

describe('Telegram polling (grammY runner)', () => {
  it('survives 409 Conflict from getUpdates with backoff, reports it, and answers what is sent after it', async () => {
    tg.failNext('getUpdates', { error_code: 409, description: CONFLICT }, 3);
    const { channel, seen } = startTelegram(engineDouble());
    expect(channel.status()).toMatchObject({ mode: 'polling', state: 'starting' });
    await channel.start();
    await expect.poll(() => tg.callsOf('getUpdates').filter((c) => c.status === 200).length).toBeGreaterThan(0);
    expect(
      tg
        .callsOf('getUpdates')
        .slice(0, 4)
        .map((c) => c.status),
    ).toEqual([409, 409, 409, 200]);
    // Exponential from 1 s, and while it waits the channel says it is recovering from a conflict.
    expect(seen).toEqual([
      { ms: 1000, state: 'recovering', lastError: 'conflict' },
      { ms: 2000, state: 'recovering', lastError: 'conflict' },
      { ms: 4000, state: 'recovering', lastError: 'conflict' },
    ]);
    await expect.poll(() => channel.status().state).toBe('running');
    expect(channel.status()).toMatchObject({ failures: 0, lastError: 'conflict' });

    await tg.deliver(tg.textUpdate(5101, 'sau xung đột'));
    await tg.waitForMessages(5101, 1, 20_000);
    expect(texts(5101)).toEqual(['5101: sau xung đột']);
  });

  it('survives a network loss (the API unreachable) and resumes when it is back', async () => {
    const proxy = await startProxy(tg.apiRoot);
    stoppers.push(() => proxy.close());
    const { channel, seen } = startTelegram(engineDouble(), {
      apiRoot: proxy.root,
      onSleep: (n) => n === 3 && proxy.setDown(false),
    });
    await channel.start();
    await expect.poll(() => channel.status().state).toBe('running');
    proxy.setDown(true);
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.slice(0, 3)).toEqual([
      { ms: 1000, state: 'recovering', lastError: 'network' },
      { ms: 2000, state: 'recovering', lastError: 'network' },
      { ms: 4000, state: 'recovering', lastError: 'network' },
    ]);
    await expect.poll(() => channel.status().state).toBe('running');
    await tg.deliver(tg.textUpdate(5102, 'mạng đã có lại'));
    await tg.waitForMessages(5102, 1, 20_000);
    expect(texts(5102)).toEqual(['5102: mạng đã có lại']);
  });

  it('stops for good when the token is refused (401), and says so', async () => {
    tg.failNext('getUpdates', { error_code: 401, description: 'Unauthorized' });
    const { channel, seen } = startTelegram(engineDouble());
    await channel.start();
    await expect.poll(() => channel.status().state).toBe('stopped');
    expect(channel.status()).toMatchObject({ mode: 'polling', lastError: 'unauthorized' });
    expect(seen).toEqual([]);
    const polls = tg.callsOf('getUpdates').length;
    await tg.deliver(tg.textUpdate(5103, 'còn ai không'));
    await sleep(300);
    expect(tg.callsOf('getUpdates')).toHaveLength(polls);
  });

  it("handles two users at once: A's handler waits for B's reply to be delivered", async () => {
    const A = 5201;
    const B = 5202;
    const bAnswered = tg.waitForMessages(B, 1, 20_000);
    const order: number[] = [];
    const { channel } = startTelegram(engineDouble(async (m) => m.userId === String(A) && (await bAnswered)));
    await channel.start();
    // A first: handled one at a time, A would wait for ever for B, whose update comes after it.
    await tg.deliver(tg.textUpdate(A, 'câu hỏi chậm'));
    await tg.deliver(tg.textUpdate(B, 'câu hỏi nhanh'));
    void bAnswered.then(() => order.push(B));
    await tg.waitForMessages(A, 1, 20_000);
    order.push(A);
    expect(order).toEqual([B, A]);
    expect(texts(A)).toEqual([`${A}: câu hỏi chậm`]);
    expect(texts(B)).toEqual([`${B}: câu hỏi nhanh`]);
  });

  it("keeps one user's updates in order, while another user's overtake them", async () => {
    const A = 5301;
    const B = 5302;
    const bAnswered = tg.waitForMessages(B, 1, 20_000);
    // A's first message is the slowest (it waits for B's answer); A's later ones are instant.
    const { channel } = startTelegram(engineDouble(async (m) => m.text === 'một' && (await bAnswered)));
    for (const text of ['một', 'hai', 'ba']) tg.queue(tg.textUpdate(A, text));
    tg.queue(tg.callbackUpdate(A, 'b:1.0', 1));
    tg.queue(tg.textUpdate(B, 'xen ngang'));
    await channel.start();
    await tg.waitForMessages(A, 4, 20_000);
    expect(texts(A)).toEqual([`${A}: một`, `${A}: hai`, `${A}: ba`, `${A}: undefined`]);
    const firstA = tg.messages.findIndex((m) => m.chatId === A);
    const firstB = tg.messages.findIndex((m) => m.chatId === B);
    expect(firstB).toBeLessThan(firstA);
  });
});

function startZalo(engine: Engine, onSleep?: (n: number) => void, failAccepts = 0) {
  const deps = inbox(engine, failAccepts);
  let channel: ZaloChannel | undefined;
  const recorder = recordingSleep(() => channel!.status(), onSleep);
  channel = createZaloChannel({
    // One attempt per call: the polling loop's own backoff is what is tested.
    client: new ZaloClient({ token: ZALO_TOKEN, apiRoot: zalo.apiRoot, maxAttempts: 1 }),
    ...deps,
    logger: silentLogger,
    sleep: recorder.wait,
    random: () => 1,
    pollTimeoutSeconds: 1,
  });
  stoppers.push(() => channel!.stop());
  return { channel, seen: recorder.seen, ...deps };
}

const zaloTexts = (chat: string) => zalo.sentTo(chat).map((m) => m.text);
const zaloUpdate = (chat: string, text: string) => zalo.makeUpdate({ chatId: chat, text });

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await sleep(10);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('Zalo polling', () => {
  it("handles two users at once and one user's updates in order", async () => {
    const A = `za-${Math.random().toString(36).slice(2, 8)}`;
    const B = `zb-${Math.random().toString(36).slice(2, 8)}`;
    const bAnswered = until("B's answer", () => zalo.sentTo(B).length > 0);
    const { channel } = startZalo(engineDouble(async (m) => m.text === 'một' && (await bAnswered)));
    for (const text of ['một', 'hai', 'ba']) zalo.queueUpdate(zaloUpdate(A, text));
    zalo.queueUpdate(zaloUpdate(B, 'xen ngang'));
    await channel.start();
    await until("A's three answers", () => zalo.sentTo(A).length >= 3);
    expect(zaloTexts(A)).toEqual([`${A}: một`, `${A}: hai`, `${A}: ba`]);
    expect(zaloTexts(B)).toEqual([`${B}: xen ngang`]);
    const firstA = zalo.sent.findIndex((s) => s.chatId === A);
    const firstB = zalo.sent.findIndex((s) => s.chatId === B);
    expect(firstB).toBeLessThan(firstA);
  });

  it('backs off on failed polls (5xx, 429 without retry_after, 403), reports it, and resumes', async () => {
    zalo.failNext('getUpdates', { status: 502, description: 'Bad Gateway' });
    const { channel, seen } = startZalo(engineDouble(), (n) => {
      if (n === 1) zalo.failNext('getUpdates', { status: 403, description: 'Internal server error' });
      if (n === 2) zalo.failNext('getUpdates', { status: 429, description: 'Quota exceeded' });
    });
    await channel.start();
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([
      { ms: 1000, state: 'recovering', lastError: 'server' },
      { ms: 2000, state: 'recovering', lastError: 'server' },
      { ms: 4000, state: 'recovering', lastError: 'rate_limited' },
    ]);
    await expect.poll(() => channel.status().state).toBe('running');
    const chat = `zc-${Math.random().toString(36).slice(2, 8)}`;
    zalo.queueUpdate(zaloUpdate(chat, 'đã ổn'));
    await until('the answer', () => zalo.sentTo(chat).length > 0);
    expect(zaloTexts(chat)).toEqual([`${chat}: đã ổn`]);
  });

  it('stops for good when the token is refused (401)', async () => {
    zalo.failNext('getUpdates', { status: 401, description: 'Unauthorized' });
    const { channel, seen } = startZalo(engineDouble());
    await channel.start();
    await expect.poll(() => channel.status().state).toBe('stopped');
    expect(channel.status()).toMatchObject({ mode: 'polling', lastError: 'unauthorized' });
    expect(seen).toEqual([]);
  });

  it('keeps a polled update the inbox could not record (Redis out of reach) and hands it over again', async () => {
    const chat = `ze-${Math.random().toString(36).slice(2, 8)}`;
    const { channel, seen } = startZalo(engineDouble(), undefined, 2);
    zalo.queueUpdate(zaloUpdate(chat, 'đừng mất'));
    await channel.start();
    await until('the answer', () => zalo.sentTo(chat).length > 0);
    expect(zaloTexts(chat)).toEqual([`${chat}: đừng mất`]);
    expect(seen.map((s) => s.ms)).toEqual([1000, 2000]);
  });

  it('ignores an update without message and an unknown or prototype event name, and keeps polling', async () => {
    const chat = `zd-${Math.random().toString(36).slice(2, 8)}`;
    const { channel } = startZalo(engineDouble());
    zalo.queueUpdate({ event_name: 'message.unsupported.received' });
    zalo.queueUpdate({ ...zaloUpdate(chat, 'không trả lời'), event_name: '__proto__' });
    zalo.queueUpdate({ ...zaloUpdate(chat, 'không trả lời'), event_name: 'constructor' });
    zalo.queueUpdate(zaloUpdate(chat, 'trả lời'));
    await channel.start();
    await until('the answer', () => zalo.sentTo(chat).length > 0);
    await sleep(100);
    expect(zaloTexts(chat)).toEqual([`${chat}: trả lời`]);
    expect(channel.status().state).toBe('running');
  });
});

/** An HTTP forwarder to the fake API that can drop every connection, as a lost network does. */
async function startProxy(
  target: string,
): Promise<{ root: string; setDown(down: boolean): void; close(): Promise<void> }> {
  let down = false;
  const server: Server = createServer((req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setDown(value) {
      down = value;
      if (value) server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
