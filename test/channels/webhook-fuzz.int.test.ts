/**
 * A bounded, seeded fuzz of what the outside world can POST with the right secret: the Telegram webhook, the Zalo
 * webhook and POST /api/chat, through the real app (real Redis, engine, knowledge base, grammY and our Zalo
 * client talking to the local fake servers). Valid bodies are mutated (wrong types, nulls, missing keys,
 * prototype keys, huge and odd strings, arrays, numbers as strings, deep nesting, broken JSON). No answer may
 * be a 5xx, and /health must stay 200 afterwards. fastify's inject keeps it fast (no sockets to the app).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { app as makeApp, dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const SEED = 0x0c0b13;
const BODIES = { telegram: 2200, zalo: 2000, chat: 1000 };
const TG_TOKEN = '909090:fuzz-Token_tg';
const TG_SECRET = 'fuzz-telegram-secret';
const ZALO_TOKEN = '3131:fuzz-zalo-token';
const ZALO_SECRET = 'fuzz-zalo-secret-123';

/** mulberry32: a small seeded PRNG, so a failure is reproducible from SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800', // a lone surrogate
  '\u202eđảo ngược',
  'z\u200bero\u200dwidth',
  '👨‍👩‍👧‍👦🌾'.repeat(50),
  'mật ong thuộc nhóm nào',
  'dang ky y tuong san pham',
  '/start',
  '/dangky',
  '0912 345 678',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the point of this input
  '${jndi:ldap://x}',
  '%s%n%x',
  'a'.repeat(5000),
  'Ồ'.repeat(3000),
  'b:1.0',
  'b:999999999.999',
  '1',
  '12',
  'hủy',
  'quay lại',
];
const ODD_NUMBERS = [0, -1, 1, 2 ** 53 + 2, -(2 ** 60), 1e308, -0, 0.5, 123456789];

/** Any JSON value of a random kind, possibly deep. */
function junk(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(ODD_NUMBERS);
    case 3:
      return rng.pick(ODD_STRINGS);
    case 4:
      return String(rng.pick(ODD_NUMBERS)); // a number as a string
    case 5:
      return rng.pick(PROTO_KEYS);
    case 6:
      return Array.from({ length: rng.int(4) }, () => junk(rng, depth + 1));
    case 7:
      return withKey({}, rng.pick(PROTO_KEYS), junk(rng, depth + 1));
    default:
      return nested(rng.int(300) + 1);
  }
}

function nested(depth: number): unknown {
  let v: unknown = 'đáy';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Sets an own enumerable key, also "__proto__" (plain assignment would change the prototype instead). */
function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

/** Every (container, key) in a JSON value, to pick a mutation site from. */
function sites(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) {
      out.push([value, i]);
      sites(v, out);
    }
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      sites(v, out);
    }
  return out;
}

function mutate(rng: Rng, body: unknown): unknown {
  if (rng.chance(0.03)) return junk(rng); // the whole body is something else
  const copy = structuredClone(body);
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const all = sites(copy);
    if (!all.length) break;
    const [container, key] = rng.pick(all);
    const op = rng.int(7);
    if (Array.isArray(container)) {
      container[key as number] = junk(rng);
      continue;
    }
    const k = key as string;
    if (op === 0) delete container[k];
    else if (op === 1) container[k] = null;
    else if (op === 2) withKey(container, rng.pick(PROTO_KEYS), junk(rng));
    else if (op === 3 && typeof container[k] === 'number') container[k] = String(container[k]);
    else if (op === 4 && typeof container[k] === 'string') container[k] = rng.pick(ODD_STRINGS);
    else if (op === 5) container[k] = [container[k]];
    else container[k] = junk(rng);
  }
  return copy;
}

/** The text to POST: mostly the JSON of a mutated body, sometimes broken JSON or nothing at all. */
function payload(rng: Rng, body: unknown): string {
  const json = JSON.stringify(body) ?? 'null';
  const roll = rng.next();
  if (roll < 0.02) return '';
  if (roll < 0.05) return json.slice(0, rng.int(json.length)); // truncated
  if (roll < 0.06) return `${json}}`;
  return json;
}

describe('webhook and chat fuzz', () => {
  let tg: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let app: App;
  let server: FastifyInstance;
  const prefix = uniquePrefix('fuzz');

  beforeAll(async () => {
    tg = await startFakeTelegramServer({ pollWaitMs: 100 });
    zalo = await startFakeZaloServer({ token: ZALO_TOKEN, pollWaitMs: 100 });
    app = makeApp({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://ocop.example.org/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_API_ROOT: zalo.apiRoot,
      ZALO_WEBHOOK_URL: 'https://ocop.example.org/zalo/webhook',
      ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    });
    server = createHttpServer(app, silentLogger);
    await server.ready();
  });
  afterAll(async () => {
    await server.close();
    await app.close();
    await dropPrefix(prefix);
    await tg.close();
    await zalo.close();
  });

  it(`answers ${BODIES.telegram + BODIES.zalo + BODIES.chat} mutated bodies without a single 5xx, and stays healthy`, async () => {
    const rng = prng(SEED);
    let updateId = 700_000_000;
    const tgUser = () => 880_000 + rng.int(40);
    const telegramBodies = (): unknown => {
      const chat = tgUser();
      const base = rng.pick([
        () => tg.textUpdate(chat, rng.pick(ODD_STRINGS)),
        () => tg.callbackUpdate(chat, rng.pick(['b:1.0', 'b:2.1', 'x', ''])),
        () => tg.myChatMemberUpdate(chat, rng.chance(0.5) ? 'kicked' : 'member'),
        () => tg.contactUpdate(chat, '+84912345678'),
        () => ({ ...tg.photoUpdate(chat) }),
        () => tg.stickerUpdate(chat),
      ])();
      tg.unblockChat(chat); // my_chat_member "kicked" blocks the fake's chat; keep the users reachable
      return { ...base, update_id: updateId++ };
    };
    const zaloBodies = (): unknown => {
      const chatId = `zf-${rng.int(40)}`;
      const kind = rng.pick(['text', 'image', 'sticker', 'unsupported'] as const);
      const update = zalo.makeUpdate({ chatId, kind, text: rng.pick(ODD_STRINGS) || 'xin chào' });
      if (rng.chance(0.1)) return { event_name: rng.pick(['message.unsupported.received', ...PROTO_KEYS]) };
      if (rng.chance(0.1)) return { ...update, event_name: rng.pick(PROTO_KEYS) };
      return rng.chance(0.5) ? { ok: true, result: update } : update;
    };
    const chatBodies = (): unknown =>
      rng.chance(0.8)
        ? { userId: `wf-${rng.int(40)}`, text: rng.pick(ODD_STRINGS) || 'xin chào' }
        : { userId: `wf-${rng.int(40)}`, button: rng.pick(['1.0', '2.1', '0.0']) };

    const targets = [
      ...Array.from({ length: BODIES.telegram }, () => ({
        url: '/telegram/webhook',
        headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
        make: telegramBodies,
      })),
      ...Array.from({ length: BODIES.zalo }, () => ({
        url: '/zalo/webhook',
        headers: { 'x-bot-api-secret-token': ZALO_SECRET },
        make: zaloBodies,
      })),
      ...Array.from({ length: BODIES.chat }, () => ({ url: '/api/chat', headers: {}, make: chatBodies })),
    ];
    // Interleaved, in small concurrent batches (as a platform delivers several chats at once).
    for (let i = targets.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [targets[i], targets[j]] = [targets[j]!, targets[i]!];
    }
    const byStatus = new Map<string, number>();
    const serverErrors: { url: string; status: number; body: string; payload: string }[] = [];
    for (let i = 0; i < targets.length; i += 25) {
      await Promise.all(
        targets.slice(i, i + 25).map(async ({ url, headers, make }) => {
          const text = payload(rng, mutate(rng, make()));
          const res = await server.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json', ...headers },
            payload: text,
          });
          const key = `${url} ${res.statusCode}`;
          byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
          if (res.statusCode >= 500)
            serverErrors.push({ url, status: res.statusCode, body: res.body, payload: text.slice(0, 300) });
        }),
      );
    }
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    console.info(`fuzz: ${total} bodies`, Object.fromEntries([...byStatus].sort()));
    expect(total).toBeGreaterThanOrEqual(5000);
    expect(serverErrors.slice(0, 5)).toEqual([]);
    // The bodies reached the handlers: some valid ones were answered on each platform.
    expect(tg.messages.length).toBeGreaterThan(0);
    expect(zalo.sent.length).toBeGreaterThan(0);

    const health = await server.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', redis: 'ok' });
  });
});
