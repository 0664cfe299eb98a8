/**
 * A campaign to 600 Telegram subscribers, 5% of whom blocked the bot, against a local Bot API server that
 * answers some sends with 429 and retry_after, delivered by real worker processes (`ocop-bot worker`) sharing
 * one Redis queue — one of them stopped or killed midway and two started in its place. For the kill, a proxy in
 * front of the Bot API server holds the sends open, so the kill lands with requests in flight, and drops those
 * whose caller died: exactly the recipients who never received it, and exactly the ones the report must name
 * as in doubt. Then the officer resends to them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import type { CampaignReport } from '../../src/core/broadcast/types.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { OCOP_BOT_BIN } from '../support/processes.js';
import { tempDataDir } from '../support/sqlite.js';

const ADMIN_TOKEN = 'broadcast-officer-token-42';
const SUBSCRIBERS = 600;
/** 429s the server answers at the start of the campaign, whatever the machine's speed. */
const RATE_LIMITED = 5;
const FIRST_CHAT = 5_000_000;
const CONCURRENCY = 8;

/**
 * Between the workers and the Bot API server: forwards every call, except that while `hold` is on each send is
 * kept open; a held send whose caller went away (killed) is dropped, never forwarded: it did not reach Telegram.
 */
interface HoldingProxy {
  apiRoot: string;
  hold: boolean;
  /** Sends held open now. */
  held(): number;
  /** Chat ids of the sends dropped because their caller died while they were held. */
  dropped: number[];
  close(): Promise<void>;
}

async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const waiting = new Set<() => void>();
  const dropped: number[] = [];
  let holding = false;
  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const r = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
    });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await r.arrayBuffer()));
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!holding || !/\/sendMessage$/i.test(req.url ?? '')) {
        forward(req, res, body).catch(() => res.destroy());
        return;
      }
      const release = () => {
        waiting.delete(release);
        forward(req, res, body).catch(() => res.destroy());
      };
      waiting.add(release);
      res.on('close', () => {
        if (res.writableFinished || !waiting.has(release)) return;
        waiting.delete(release);
        dropped.push(Number((JSON.parse(body.toString() || '{}') as { chat_id?: unknown }).chat_id));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    get hold() {
      return holding;
    },
    set hold(on: boolean) {
      holding = on;
      if (!on) for (const release of [...waiting]) release();
    },
    held: () => waiting.size,
    dropped,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('announcement campaign to 600 subscribers', () => {
  let fake: FakeTelegramServer;
  let redis: Redis;
  const workers: ChildProcess[] = [];
  const prefixes: string[] = [];
  let running: { app: App; server: FastifyInstance; url: string } | undefined;
  let proxy: HoldingProxy | undefined;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      if (w.exitCode === null && w.signalCode === null) {
        w.kill('SIGKILL');
        await once(w, 'exit');
      }
    }
    if (running) {
      await running.server.close();
      await running.app.close();
      running = undefined;
    }
    await proxy?.close();
    proxy = undefined;
    await fake?.close();
  });
  afterAll(async () => {
    redis.disconnect();
    for (const p of prefixes) await dropPrefix(p);
  });

  /** Subscribers written straight to Redis (the chat path is tested elsewhere); every 20th has blocked the bot. */
  async function seed(prefix: string): Promise<{ blocked: number[]; reachable: number[] }> {
    const store = new RedisSubscriberStore(redis, createKeys(prefix));
    const blocked: number[] = [];
    const reachable: number[] = [];
    for (let i = 0; i < SUBSCRIBERS; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, async (_, k) => {
          const chat = FIRST_CHAT + i + k;
          await store.touch('telegram', String(chat), { displayName: `Nông dân ${i + k}`, at: Date.now() });
          await store.setOptIn('telegram', String(chat), true);
        }),
      );
    }
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const chat = FIRST_CHAT + i;
      if (i % 20 === 7) {
        fake.blockChat(chat);
        blocked.push(chat);
      } else reachable.push(chat);
    }
    return { blocked, reachable };
  }

  function startWorker(env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [OCOP_BOT_BIN, 'worker'], {
      env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: tempDataDir('broadcast'), ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    return child;
  }

  async function run(signal: 'SIGTERM' | 'SIGKILL') {
    fake = await startFakeTelegramServer();
    proxy = await startHoldingProxy(fake.apiRoot);
    fake.failNext(
      'sendMessage',
      { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 },
      RATE_LIMITED,
    );
    const prefix = uniquePrefix(`bc-${signal}`);
    prefixes.push(prefix);
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: '8080:broadcast-test',
      TELEGRAM_API_ROOT: proxy.apiRoot,
      // Slow enough that the campaign is still running when the first worker is stopped.
      TELEGRAM_BROADCAST_PER_SECOND: '100',
      BROADCAST_QUIET_HOURS: '22-6',
      BROADCAST_CONCURRENCY: String(CONCURRENCY),
      // A killed worker's jobs are taken over after this long.
      BROADCAST_STALL_SECONDS: '3',
    };
    const { blocked, reachable } = await seed(prefix);
    // The officer side: an app process that runs no workers of its own.
    const app = makeApp({ ...env, ADMIN_TOKEN, BROADCAST_WORKERS: 'false' });
    const server = createHttpServer(app, silentLogger);
    running = { app, server, url: await server.listen({ host: '127.0.0.1', port: 0 }) };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${running!.url}/api/admin${path}`, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      });

    const preview = (await (
      await api('/broadcasts/preview', { method: 'POST', body: JSON.stringify({ text: 'x' }) })
    ).json()) as { recipients: number };
    expect(preview.recipients).toBe(SUBSCRIBERS);
    const text = 'Thông báo: Hội chợ OCOP Cao Bằng khai mạc ngày 15/12 tại Quảng trường Cao Bằng.';
    // Urgent, so quiet hours never hold the test back whatever the hour in Vietnam.
    const created = await api('/broadcasts', { method: 'POST', body: JSON.stringify({ text, urgent: true }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const report = async () => (await (await api(`/broadcasts/${id}`)).json()) as CampaignReport;

    const first = startWorker(env);
    await expect.poll(async () => (await report()).sent, { timeout: 60_000, interval: 50 }).toBeGreaterThan(100);
    let inFlight = 0;
    if (signal === 'SIGKILL') {
      // Every one of the worker's sends held open at the Bot API's door: the kill lands mid-request.
      proxy!.hold = true;
      await expect.poll(() => proxy!.held(), { timeout: 30_000, interval: 10 }).toBe(CONCURRENCY);
      inFlight = proxy!.held();
    }
    first.kill(signal);
    await once(first, 'exit');
    const atKill = await report();
    expect(atKill.pending).toBeGreaterThan(0);
    if (signal === 'SIGKILL') await expect.poll(() => proxy!.dropped.length, { timeout: 10_000 }).toBe(inFlight);
    proxy!.hold = false;
    startWorker(env);
    startWorker(env); // two processes share the queue from here on
    await expect.poll(async () => (await report()).status, { timeout: 60_000, interval: 200 }).toBe('done');
    const final = await report();
    return { final, atKill, blocked, reachable, prefix, text, app, api, report, inFlight };
  }

  it('every reachable subscriber receives it exactly once after a worker is stopped (SIGTERM) midway; the report adds up', {
    timeout: 120_000,
  }, async () => {
    const { final, blocked, reachable, text, app } = await run('SIGTERM');
    const counts = reachable.map((chat) => fake.messagesTo(chat).length);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    // The officer's text between the sender line (ANNOUNCEMENT_SENDER's default) and the footer on how to stop.
    expect(fake.messagesTo(reachable[0]!)[0]!.text).toBe(
      ['Văn phòng Điều phối NTM tỉnh Cao Bằng', text, app.messages.announcement_footer].join('\n\n'),
    );
    for (const chat of blocked) expect(fake.messagesTo(chat)).toHaveLength(0);
    expect(final).toMatchObject({
      total: SUBSCRIBERS,
      sent: reachable.length,
      blocked: blocked.length,
      failed: 0,
      pending: 0,
      inDoubt: 0,
    });
    expect(final.sent + final.failed + final.blocked + final.cancelled + final.pending).toBe(final.total);
    expect(final.durationMs).toEqual(expect.any(Number));
    // The server's 429s were honoured: each refused send was tried again, and still nobody got it twice.
    expect(fake.callsOf('sendMessage').filter((c) => c.status === 429)).toHaveLength(RATE_LIMITED);
    const inactive = (await app.subscribers.list('telegram'))
      .filter((s) => !s.active)
      .map((s) => Number(s.userId))
      .sort((a, b) => a - b);
    expect(inactive).toEqual(blocked);
  });

  it('after a worker is killed with its sends in flight (SIGKILL), exactly the recipients it never reached are reported in doubt; the officer resends to them and each receives it once', {
    timeout: 150_000,
  }, async () => {
    const { final, blocked, reachable, api, report, inFlight } = await run('SIGKILL');
    const chatOf = (name: string | undefined) => FIRST_CHAT + Number(/^Nông dân (\d+)$/.exec(name ?? '')?.[1] ?? NaN);
    const received = (chat: number) => fake.messagesTo(chat).length;
    // Nobody received it twice, and whoever did not receive it (of those who could) is in doubt — and only they.
    expect(reachable.filter((chat) => received(chat) > 1)).toEqual([]);
    const missing = reachable.filter((chat) => received(chat) === 0);
    const listed = final.inDoubtRecipients ?? [];
    expect(listed).toHaveLength(final.inDoubt);
    const inDoubt = listed.map((r) => chatOf(r.name)).sort((a, b) => a - b);
    expect(inDoubt.filter((chat) => !blocked.includes(chat))).toEqual(missing);
    // The in-doubt set is exactly the sends the kill cut off, so at most the requests that can be in flight.
    expect(inDoubt).toEqual([...proxy!.dropped].sort((a, b) => a - b));
    expect(final.inDoubt).toBe(inFlight);
    expect(final.inDoubt).toBeLessThanOrEqual(CONCURRENCY);
    expect(final.inDoubt).toBeGreaterThan(0);
    // Shown as officers see people: channel, display name, a masked id; never the whole id.
    for (const r of listed) {
      expect(r).toMatchObject({ channel: 'telegram', maskedId: expect.stringMatching(/^•••\d{3}$/) });
      expect(JSON.stringify(r)).not.toContain(String(chatOf(r.name)));
    }
    expect(final).toMatchObject({ total: SUBSCRIBERS, pending: 0, failed: 0, cancelled: 0 });
    expect(final.sent + final.blocked + final.inDoubt).toBe(final.total);
    expect(final.sent).toBe(reachable.length - missing.length);

    // The officer resends, pressing twice at once: each in-doubt recipient is sent to once.
    const before = new Map(reachable.map((chat) => [chat, received(chat)]));
    const presses = await Promise.all(
      [1, 2].map(async () =>
        (await api(`/broadcasts/${final.id}/resend-in-doubt`, { method: 'POST', body: '{}' })).json(),
      ),
    );
    // The two workers started after the kill are still running: they take the resend's jobs.
    expect(presses.map((p) => (p as { resent: number }).resent).sort((a, b) => a - b)).toEqual([0, final.inDoubt]);
    await expect.poll(async () => (await report()).pending, { timeout: 60_000, interval: 100 }).toBe(0);
    const resent = await report();
    expect(resent).toMatchObject({
      status: 'done',
      inDoubt: 0,
      resent: final.inDoubt,
      sent: reachable.length,
      blocked: blocked.length,
      failed: 0,
    });
    expect(resent.inDoubtRecipients).toBeUndefined();
    for (const chat of reachable) expect(received(chat)).toBe(missing.includes(chat) ? 1 : before.get(chat));
    // Pressing again finds nobody in doubt: nothing more goes out.
    const third = (await (
      await api(`/broadcasts/${final.id}/resend-in-doubt`, { method: 'POST', body: '{}' })
    ).json()) as {
      resent: number;
    };
    expect(third.resent).toBe(0);
    expect((await api('/broadcasts/TB-0000-999999/resend-in-doubt', { method: 'POST', body: '{}' })).status).toBe(404);
    expect(reachable.filter((chat) => received(chat) !== 1)).toEqual([]);
  });
});
