/**
 * GET /health: answers even when Redis hangs or is gone (its PING is raced against a short deadline, so a load
 * balancer sees a 503, not a timeout), and reports each chat channel's state; a polling channel that gave up
 * for good makes it non-200.
 */
import { createServer, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { app as makeApp, dropPrefix, freePort, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const ZALO_TOKEN = '5151:zalo-health-token';
let tg: FakeTelegramServer;
let zalo: FakeZaloServer;
const running: { app: App; server: FastifyInstance }[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  tg = await startFakeTelegramServer({ pollWaitMs: 100 });
  zalo = await startFakeZaloServer({ token: ZALO_TOKEN, pollWaitMs: 100 });
});
afterEach(async () => {
  for (const { app, server } of running.splice(0)) {
    app.redis?.disconnect();
    await server.close();
    await app.close();
  }
  tg.reset();
  zalo.reset();
});
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(p);
  await tg.close();
  await zalo.close();
});

function start(env: Record<string, string>): { app: App; server: FastifyInstance } {
  const app = makeApp(env);
  const server = createHttpServer(app, silentLogger);
  const r = { app, server };
  running.push(r);
  return r;
}

async function health(server: FastifyInstance) {
  const res = await server.inject({ method: 'GET', url: '/health' });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

/** A TCP server that accepts connections and never answers a byte: a Redis that hangs. */
async function hangingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('GET /health', () => {
  it('answers 503 "timeout" when Redis accepts the connection and never answers, however often it is asked', async () => {
    const hanging = await hangingServer();
    const { app, server } = start({ REDIS_URL: `redis://127.0.0.1:${hanging.port}`, REDIS_PREFIX: uniquePrefix('h') });
    try {
      // Without the deadline each of these would wait for ever (the PING sits in ioredis' offline queue).
      const answers = await Promise.all([health(server), health(server), health(server)]);
      for (const a of answers) {
        expect(a.status).toBe(503);
        expect(a.body).toMatchObject({ status: 'degraded', store: 'redis', redis: 'timeout' });
      }
    } finally {
      app.redis?.disconnect(false);
      await hanging.close();
    }
  });

  it('answers 503 when Redis is not there at all (a closed port, the offline queue retrying)', async () => {
    const port = await freePort();
    const { server } = start({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: uniquePrefix('h') });
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(['down', 'timeout']).toContain(body.redis);
  });

  it('answers 200 with a reachable Redis, and lists the web channel', async () => {
    const prefix = uniquePrefix('h');
    prefixes.push(prefix);
    const { server } = start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
    const { status, body } = await health(server);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', redis: 'ok', channels: { web: { state: 'running' } } });
    expect(body.channels).not.toHaveProperty('telegram');
  });

  it("reports each polling channel's mode and state: running once polling works", async () => {
    const { app, server } = start({
      TELEGRAM_BOT_TOKEN: '6161:health-Token',
      TELEGRAM_API_ROOT: tg.apiRoot,
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_API_ROOT: zalo.apiRoot,
    });
    expect((await health(server)).body.channels).toMatchObject({
      telegram: { mode: 'polling', state: 'starting' },
      zalo: { mode: 'polling', state: 'starting' },
    });
    await app.startChannels();
    await expect
      .poll(async () => (await health(server)).body.channels)
      .toMatchObject({
        web: { state: 'running' },
        telegram: { mode: 'polling', state: 'running', failures: 0 },
        zalo: { mode: 'polling', state: 'running', failures: 0 },
      });
    expect((await health(server)).status).toBe(200);
  });

  it('answers 503 naming the channel when polling stopped for good (the token refused)', async () => {
    // The fake Bot API refuses any token containing "invalid" with 401.
    const { app, server } = start({ TELEGRAM_BOT_TOKEN: '7171:invalid-token', TELEGRAM_API_ROOT: tg.apiRoot });
    await app.startChannels();
    await expect.poll(async () => (await health(server)).status).toBe(503);
    const { body } = await health(server);
    expect(body).toMatchObject({
      status: 'degraded',
      stopped: ['telegram'],
      channels: { telegram: { mode: 'polling', state: 'stopped', lastError: 'unauthorized' } },
    });
  });

  it('reports a webhook channel as running once its webhook is set', async () => {
    const port = await freePort();
    const { app, server } = start({
      TELEGRAM_BOT_TOKEN: '8181:health-webhook',
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
      TELEGRAM_WEBHOOK_SECRET: 'health-secret',
    });
    await app.startChannels();
    await expect
      .poll(async () => (await health(server)).body.channels)
      .toMatchObject({ telegram: { mode: 'webhook', state: 'running' } });
  });
});
