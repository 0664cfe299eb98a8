/**
 * Access control through the whole HTTP server (fastify `inject`, which lets a test choose the TCP peer's
 * address) with real Redis: whose address a request is counted on under each TRUST_PROXY setting, that the
 * right token is never locked out by other people's failures, that two servers on one Redis prefix share the
 * failure counter, the per-address limits on /api/chat and the webhooks, and that web visitors leave nothing
 * in Redis that does not expire.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { format } from '../../src/core/messages.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const TOKEN = 'officer-token-0123456789abcdef';
const MAX = 10;

interface Ctx {
  app: App;
  server: FastifyInstance;
}

const started: Ctx[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const c of started) {
    await c.server.close();
    await c.app.close();
  }
  for (const p of prefixes) await dropPrefix(p);
});

function redisPrefix(name: string): string {
  const prefix = uniquePrefix(name);
  prefixes.push(prefix);
  return prefix;
}

function start(env: Record<string, string> = {}): Ctx {
  const app = makeApp({ ADMIN_TOKEN: TOKEN, ADMIN_MAX_FAILED_SIGNINS: String(MAX), ...env });
  const server = createHttpServer(app, silentLogger);
  const ctx = { app, server };
  started.push(ctx);
  return ctx;
}

/** One officer API call with `token`, arriving from TCP peer `peer` with an optional X-Forwarded-For. */
async function signIn(ctx: Ctx, token: string, opts: { peer?: string; forwardedFor?: string } = {}): Promise<number> {
  const req: InjectOptions = {
    method: 'GET',
    url: '/api/admin/submissions',
    remoteAddress: opts.peer ?? '127.0.0.1',
    headers: {
      authorization: `Bearer ${token}`,
      ...(opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {}),
    },
  };
  return (await ctx.server.inject(req)).statusCode;
}

/** Wrong tokens of different prefixes (a guesser's); near misses of the real token are below. */
const wrong = (i: number) => `${String(i).padStart(4, '0')}-wrong-guess-token`;
const statuses = async (n: number, call: (i: number) => Promise<number>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await call(i));
  return out;
};
const times = (n: number, status: number) => Array.from({ length: n }, () => status);

describe('client address under TRUST_PROXY', () => {
  it('off (the default): a forged X-Forwarded-For is ignored, so 12 wrong tokens "from" 12 addresses are one address', async () => {
    const ctx = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('tp-off') });
    const got = await statuses(MAX + 2, (i) => signIn(ctx, wrong(i), { forwardedFor: `198.51.100.${i + 1}` }));
    expect(got).toEqual([...times(MAX, 401), 429, 429]);
  });

  it('a list of proxies: their X-Forwarded-For is believed, so each forged client is counted on its own', async () => {
    const ctx = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('tp-list'), TRUST_PROXY: '127.0.0.1' });
    const spread = await statuses(MAX + 2, (i) => signIn(ctx, wrong(i), { forwardedFor: `198.51.100.${i + 1}` }));
    expect(spread).toEqual(times(MAX + 2, 401));
    // One client behind the proxy is counted, and stopped, on its own address.
    const one = await statuses(MAX + 1, (i) => signIn(ctx, wrong(100 + i), { forwardedFor: '203.0.113.9' }));
    expect(one).toEqual([...times(MAX, 401), 429]);
    // A peer that is not in the list cannot speak for others: its header is ignored.
    const direct = await statuses(MAX + 1, (i) =>
      signIn(ctx, wrong(200 + i), { peer: '192.0.2.50', forwardedFor: `198.51.100.${50 + i}` }),
    );
    expect(direct).toEqual([...times(MAX, 401), 429]);
  });

  it('a CIDR that does not contain the peer: the header is ignored', async () => {
    const ctx = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('tp-cidr'), TRUST_PROXY: '10.0.0.0/8' });
    const got = await statuses(MAX + 1, (i) => signIn(ctx, wrong(i), { forwardedFor: `198.51.100.${i + 1}` }));
    expect(got).toEqual([...times(MAX, 401), 429]);
  });

  it('a hop count: the address the last proxy appended is the client, whatever the client wrote before it', async () => {
    const ctx = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('tp-hop'), TRUST_PROXY: '1' });
    const forged = await statuses(MAX + 1, (i) =>
      signIn(ctx, wrong(i), { forwardedFor: `198.51.100.${i + 1}, 203.0.113.7` }),
    );
    expect(forged).toEqual([...times(MAX, 401), 429]);
    // Other clients of the same proxy are not affected.
    expect(await signIn(ctx, wrong(99), { forwardedFor: '203.0.113.8' })).toBe(401);
  });
});

describe('failed sign-ins', () => {
  it('the right token is accepted from an address that other failures pushed over the limit', async () => {
    const ctx = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('signin-addr') });
    const got = await statuses(MAX + 2, (i) => signIn(ctx, wrong(i)));
    expect(got.slice(MAX)).toEqual([429, 429]);
    expect(await signIn(ctx, TOKEN)).toBe(200);
    // ...while a wrong token from there is still refused with 429.
    expect(await signIn(ctx, wrong(50))).toBe(429);
  });

  it('wrong tokens sharing a prefix are counted together across addresses; the right token with that prefix still passes', async () => {
    const ctx = start({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix('signin-prefix'),
      TRUST_PROXY: '127.0.0.1',
    });
    // Each from a new address, each a near miss of the real token (same first characters).
    const nearMiss = (i: number) => `${TOKEN.slice(0, 8)}-near-miss-${i}`;
    const got = await statuses(MAX + 2, (i) => signIn(ctx, nearMiss(i), { forwardedFor: `198.51.100.${i + 1}` }));
    expect(got).toEqual([...times(MAX, 401), 429, 429]);
    expect(await signIn(ctx, TOKEN, { forwardedFor: '198.51.100.200' })).toBe(200);
    // A token with another prefix, from a fresh address, is only refused (401): nothing locks everyone out.
    expect(await signIn(ctx, wrong(1), { forwardedFor: '198.51.100.201' })).toBe(401);
  });

  it('two servers on one Redis prefix share the failure counter', async () => {
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('signin-shared') };
    const a = start(env);
    const b = start(env);
    const half = MAX / 2;
    expect(await statuses(half, (i) => signIn(a, wrong(i)))).toEqual(times(half, 401));
    expect(await statuses(half, (i) => signIn(b, wrong(half + i)))).toEqual(times(half, 401));
    // The 11th wrong token overall is refused by either server, though each saw only 5 or 6.
    expect(await signIn(a, wrong(98))).toBe(429);
    expect(await signIn(b, wrong(99))).toBe(429);
    expect(await signIn(b, TOKEN)).toBe(200);
  });

  it('without Redis the counter is per process: the same rules in memory', async () => {
    const ctx = start();
    const got = await statuses(MAX + 1, (i) => signIn(ctx, wrong(i), { forwardedFor: `198.51.100.${i + 1}` }));
    expect(got).toEqual([...times(MAX, 401), 429]);
    expect(await signIn(ctx, TOKEN)).toBe(200);
  });
});

describe('per-address rate limits', () => {
  const chat = (ctx: Ctx, userId: string, opts: { peer?: string; forwardedFor?: string } = {}) =>
    ctx.server.inject({
      method: 'POST',
      url: '/api/chat',
      remoteAddress: opts.peer ?? '127.0.0.1',
      headers: opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {},
      payload: { userId, text: 'xin chào' },
    });

  it('/api/chat answers 429 with a polite Vietnamese reply in the chat shape, per address, across servers', async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix('rl-chat'),
      CHAT_RATE_LIMIT_PER_MINUTE: '3',
      TRUST_PROXY: '127.0.0.1',
    };
    const a = start(env);
    const b = start(env);
    // A new user id per message does not help: the limit is per address, and both servers count together.
    const codes = [];
    for (const [i, server] of [a, b, a].entries()) {
      codes.push((await chat(server, `visitor-${i}`, { forwardedFor: '203.0.113.20' })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200]);
    const refused = await chat(b, 'visitor-4', { forwardedFor: '203.0.113.20' });
    expect(refused.statusCode).toBe(429);
    const seconds = Number(refused.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused.json()).toEqual({
      replies: [{ text: format(a.app.messages.web_rate_limited, { seconds }), buttons: [] }],
    });
    expect(refused.json().replies[0].text).toMatch(/giây/);
    // Security headers on the refusal too.
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    // Another address is not affected.
    expect((await chat(a, 'visitor-5', { forwardedFor: '203.0.113.21' })).statusCode).toBe(200);
  });

  it('the webhooks answer a plain 429 per address, before any update is read', async () => {
    const ctx = start({
      TELEGRAM_BOT_TOKEN: '123456:rate-limit-test',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.vn/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'telegram-secret',
      ZALO_BOT_TOKEN: '123456:rate-limit-test',
      ZALO_API_ROOT: 'http://127.0.0.1:9',
      ZALO_WEBHOOK_URL: 'https://bot.example.vn/zalo/webhook',
      ZALO_WEBHOOK_SECRET: 'zalo-secret-123',
      WEBHOOK_RATE_LIMIT_PER_MINUTE: '2',
    });
    for (const path of ['/telegram/webhook', '/zalo/webhook']) {
      const post = (peer: string) => ctx.server.inject({ method: 'POST', url: path, remoteAddress: peer, payload: {} });
      // Wrong secret: refused (401) until the address is over the limit, then 429.
      expect([(await post('192.0.2.1')).statusCode, (await post('192.0.2.1')).statusCode]).toEqual([401, 401]);
      const refused = await post('192.0.2.1');
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({ error: 'too_many_requests' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await post('192.0.2.2')).statusCode).toBe(401);
    }
  });
});

describe('web chat visitors in Redis', () => {
  it('after many visitors every key they caused expires; none is a subscriber; /stats counts no web users', async () => {
    const prefix = redisPrefix('web-ttl');
    const ctx = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, FLOOD_MAX_MESSAGES: '6' });
    const visitors = Array.from({ length: 12 }, (_, i) => `web-visitor-${i}`);
    // What a visitor can do: greet, ask (answered and unanswered), ask for announcements, start the form and
    // answer its first question, and flood (the 7th message is over FLOOD_MAX_MESSAGES).
    const texts = [
      '/start',
      'giấy chứng nhận OCOP có hạn mấy năm',
      'thời tiết Hà Nội ngày mai thế nào',
      'nhận thông báo',
      'tôi muốn đăng ký ý tưởng sản phẩm',
      'Hợp tác xã Chè Shan Tuyết',
      'còn nữa không',
    ];
    for (const userId of visitors) {
      for (const text of texts) {
        const res = await ctx.server.inject({ method: 'POST', url: '/api/chat', payload: { userId, text } });
        expect(res.statusCode).toBe(200);
      }
    }

    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      const ttls = await Promise.all(keys.map(async (k) => [k.slice(prefix.length + 1), await redis.pttl(k)] as const));
      const lasting = ttls
        .filter(([, ttl]) => ttl < 0)
        .map(([k]) => k)
        // BullMQ's metadata of the announcement queues, one per channel, written at start-up.
        .filter((k) => !/^bull:broadcast-(telegram|zalo):meta$/.test(k));
      // The test saw what a visitor leaves: their conversation, draft, flood counters and the chat limit's counter.
      for (const kind of ['conv:web:', 'draft:web:', 'flood:web:', 'rl:chat:']) {
        expect(ttls.some(([k, ttl]) => k.startsWith(kind) && ttl > 0)).toBe(true);
      }
      // What lasts is the officers' question log only: shared by everyone, capped, and not one key per visitor.
      expect(lasting.sort()).toEqual(['insights:topic-titles', 'insights:topics', 'insights:unanswered']);
      expect(lasting.some((k) => visitors.some((v) => k.includes(v)))).toBe(false);
      expect(keys.some((k) => k.includes(':sub:web:') || k.endsWith(':subs:web'))).toBe(false);
    } finally {
      redis.disconnect();
    }
    expect(await ctx.app.subscribers.get('web', visitors[0]!)).toBeUndefined();
    const stats = await ctx.server.inject({
      method: 'GET',
      url: '/api/admin/stats',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(stats.json().usersByChannel.web).toBe(0);
  });

  it('both subscriber stores ignore channels the bot cannot write to first, and keep Telegram and Zalo', async () => {
    const memory = start();
    const redis = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix('web-subs') });
    for (const { app } of [memory, redis]) {
      await app.subscribers.touch('web', 'w1', { at: 1 });
      await app.subscribers.touch('cli', 'c1', { at: 1 });
      await app.subscribers.setOptIn('web', 'w1', true);
      await app.subscribers.touch('telegram', 't1', { at: 1 });
      await app.subscribers.touch('zalo', 'z1', { at: 1 });
      expect(await app.subscribers.get('web', 'w1')).toBeUndefined();
      expect(await app.subscribers.list('web')).toEqual([]);
      expect(await app.subscribers.list('cli')).toEqual([]);
      expect(await app.subscribers.get('telegram', 't1')).toMatchObject({ firstSeen: 1, active: true });
      expect(await app.subscribers.get('zalo', 'z1')).toMatchObject({ firstSeen: 1, active: true });
    }
  });
});
