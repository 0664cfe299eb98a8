/**
 * A campaign to 600 Telegram subscribers, 5% of whom blocked the bot, against a local Bot API server that
 * answers some sends with 429 and retry_after, delivered by real worker processes (`ocop-bot worker`) sharing
 * one Redis queue — one of them stopped or killed midway and two started in its place.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
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

const BIN = new URL('../../bin/ocop-bot.mjs', import.meta.url).pathname;
const ADMIN_TOKEN = 'broadcast-officer-token-42';
const SUBSCRIBERS = 600;
/** 429s the server answers at the start of the campaign, whatever the machine's speed. */
const RATE_LIMITED = 5;
const FIRST_CHAT = 5_000_000;

describe('announcement campaign to 600 subscribers', () => {
  let fake: FakeTelegramServer;
  let redis: Redis;
  const workers: ChildProcess[] = [];
  const prefixes: string[] = [];
  let running: { app: App; server: FastifyInstance; url: string } | undefined;

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
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    return child;
  }

  async function run(signal: 'SIGTERM' | 'SIGKILL') {
    fake = await startFakeTelegramServer();
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
      TELEGRAM_API_ROOT: fake.apiRoot,
      // Slow enough that the campaign is still running when the first worker is stopped.
      TELEGRAM_BROADCAST_PER_SECOND: '100',
      BROADCAST_QUIET_HOURS: '22-6',
      BROADCAST_CONCURRENCY: '8',
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
    first.kill(signal);
    await once(first, 'exit');
    const atKill = await report();
    expect(atKill.pending).toBeGreaterThan(0);
    startWorker(env);
    startWorker(env); // two processes share the queue from here on
    await expect.poll(async () => (await report()).status, { timeout: 60_000, interval: 200 }).toBe('done');
    const final = await report();
    return { final, atKill, blocked, reachable, prefix, text, app };
  }

  it('every reachable subscriber receives it exactly once after a worker is stopped (SIGTERM) midway; the report adds up', {
    timeout: 120_000,
  }, async () => {
    const { final, blocked, reachable, text, app } = await run('SIGTERM');
    const counts = reachable.map((chat) => fake.messagesTo(chat).length);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    expect(fake.messagesTo(reachable[0]!)[0]!.text).toBe(text);
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

  it('after a worker is killed without warning (SIGKILL), nobody receives it twice and only sends cut off mid-request are in doubt', {
    timeout: 120_000,
  }, async () => {
    const { final, blocked, reachable } = await run('SIGKILL');
    const counts = reachable.map((chat) => fake.messagesTo(chat).length);
    expect(counts.filter((c) => c > 1)).toEqual([]);
    const missed = counts.filter((c) => c === 0).length;
    // A send interrupted between its claim and the request is counted as sent (never repeated): at most the
    // killed worker's concurrency, and exactly those can be missing.
    expect(final.inDoubt).toBeLessThanOrEqual(8);
    expect(missed).toBeLessThanOrEqual(final.inDoubt);
    expect(final).toMatchObject({ total: SUBSCRIBERS, pending: 0 });
    // An interrupted send to a blocked user is in doubt too (counted as sent, its 403 never seen).
    expect(final.blocked).toBeGreaterThanOrEqual(blocked.length - final.inDoubt);
    expect(final.sent + final.failed + final.blocked + final.cancelled).toBe(final.total);
  });
});
