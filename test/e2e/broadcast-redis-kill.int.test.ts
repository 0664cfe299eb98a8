/**
 * Redis killed (SIGKILL) in the middle of a campaign and started again: a Redis server of this test's own (its
 * data in an append-only file written at every command, so it comes back as it was), a real `ocop-bot worker`
 * process, and a local Bot API server that takes a moment per send, so that sends are in flight when Redis goes.
 * Their outcomes are written once Redis is back: every subscriber receives it exactly once and nobody is in doubt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createBroadcaster } from '../../src/adapters/redis/broadcaster.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisSubmissionStore } from '../../src/adapters/redis/redis-submission-store.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import type { Broadcaster } from '../../src/core/broadcast/broadcaster.js';
import type { CampaignReport } from '../../src/core/broadcast/types.js';
import { silentLogger } from '../../src/core/logger.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { freePort, uniquePrefix } from '../support/app.js';
import { OCOP_BOT_BIN, killLeftovers } from '../support/processes.js';
import { tempDataDir } from '../support/sqlite.js';

const SUBSCRIBERS = 300;
const FIRST_CHAT = 6_000_000;

describe('announcement campaign while Redis is killed and restarted', () => {
  let dir: string;
  let port: number;
  let redisUrl: string;
  let redisServer: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let fake: FakeTelegramServer;
  let officer: Broadcaster | undefined;

  async function startRedis(): Promise<void> {
    redisServer = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
    await expect.poll(async () => probe.ping().catch(() => 'down'), { timeout: 20_000, interval: 50 }).toBe('PONG');
    probe.disconnect();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bc-redis-kill-'));
    port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await officer?.close();
    await killLeftovers([worker, redisServer]);
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends in flight when Redis died are recorded as sent once it is back: every subscriber once, none in doubt', {
    timeout: 150_000,
  }, async () => {
    await startRedis();
    fake = await startFakeTelegramServer({ sendLatencyMs: 40 });
    const prefix = uniquePrefix('bc-redis-kill');
    const keys = createKeys(prefix);
    const seed = new Redis(redisUrl);
    const subscribers = new RedisSubscriberStore(seed, keys);
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const chat = String(FIRST_CHAT + i);
      await subscribers.touch('telegram', chat, { displayName: `Nông dân ${i}`, at: Date.now() });
      await subscribers.setOptIn('telegram', chat, true);
    }
    seed.disconnect();

    const limits = { telegram: { perSecond: 60, perChatIntervalMs: 0 }, zalo: { perSecond: 5, perChatIntervalMs: 0 } };
    const officerRedis = new Redis(redisUrl);
    officerRedis.on('error', () => undefined);
    officer = createBroadcaster({
      redisUrl,
      keys,
      subscribers: new RedisSubscriberStore(officerRedis, keys),
      submissions: new RedisSubmissionStore(officerRedis, keys),
      senders: [],
      limits,
      runWorkers: false,
      logger: silentLogger,
    });
    const { id } = await officer.create({
      content: { text: 'Thông báo: tập huấn OCOP.' },
      urgent: true,
      createdBy: 'admin',
    });
    const report = async (): Promise<CampaignReport | undefined> => officer!.report(id).catch(() => undefined);

    worker = spawn(process.execPath, [OCOP_BOT_BIN, 'worker'], {
      env: {
        ...process.env,
        DATA_DIR: tempDataDir('redis-kill'),
        LOG_LEVEL: 'error',
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: '8181:redis-kill-test',
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_BROADCAST_PER_SECOND: String(limits.telegram.perSecond),
        BROADCAST_PER_CHAT_INTERVAL_MS: '0',
        BROADCAST_QUIET_HOURS: 'off',
        BROADCAST_CONCURRENCY: '8',
        BROADCAST_STALL_SECONDS: '5',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

    await expect.poll(async () => (await report())?.sent ?? 0, { timeout: 60_000, interval: 20 }).toBeGreaterThan(60);
    // Sends are in flight now (each takes 40 ms at the server, 8 at once): Redis dies under them.
    const inFlightAtKill = fake.messages.length;
    redisServer!.kill('SIGKILL');
    await once(redisServer!, 'exit');
    // The requests already sent complete meanwhile, and their outcomes cannot be written.
    await expect.poll(() => fake.messages.length, { timeout: 10_000, interval: 10 }).toBeGreaterThan(inFlightAtKill);
    await new Promise((r) => setTimeout(r, 500));
    await startRedis();

    await expect.poll(async () => (await report())?.status, { timeout: 90_000, interval: 200 }).toBe('done');
    const final = (await report())!;
    const counts = Array.from({ length: SUBSCRIBERS }, (_, i) => fake.messagesTo(FIRST_CHAT + i).length);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    expect(final).toMatchObject({ total: SUBSCRIBERS, sent: SUBSCRIBERS, inDoubt: 0, failed: 0, pending: 0 });
    officerRedis.disconnect();
  });
});
