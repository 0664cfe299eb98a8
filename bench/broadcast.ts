/**
 * Broadcast benchmark: the sustained delivery rate of an announcement campaign as a fraction of the configured
 * per-channel limit, through real `ocop-bot worker` processes sharing one Redis queue, against a local Bot API
 * server whose own limit is above ours (so any 429 would be our fault). Then with a slow server (each send
 * takes a while) and one worker sending one at a time, against two such workers: adding a process adds
 * throughput until the limit. Last, the same campaign sent by the one process with no Redis (`npm start`), from its
 * campaign store (workers: 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { createApp } from '../src/app.js';
import { createKeys } from '../src/adapters/redis/keys.js';
import { RedisSubscriberStore } from '../src/adapters/redis/redis-subscriber-store.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { startFakeTelegramServer } from '../test/fakes/fake-telegram-server.js';
import { dropPrefix } from '../test/support/app.js';

export interface BroadcastRun {
  name: string;
  workers: number;
  concurrency: number;
  sendLatencyMs: number;
  limit: number;
  recipients: number;
  /** Messages per second between the first and the last delivery. */
  rate: number;
  fraction: number;
  rateLimited: number;
  seconds: number;
}

const REDIS_URL = 'redis://127.0.0.1:6379';

async function seed(prefix: string, n: number): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const store = new RedisSubscriberStore(redis, createKeys(prefix));
  for (let i = 0; i < n; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, async (_, k) => {
        await store.touch('telegram', String(7_000_000 + i + k), { at: Date.now() });
        await store.setOptIn('telegram', String(7_000_000 + i + k), true);
      }),
    );
  }
  redis.disconnect();
}

type RunOptions = { workers: number; concurrency: number; sendLatencyMs: number; limit: number; recipients: number };
type FakeServer = Awaited<ReturnType<typeof startFakeTelegramServer>>;

/** An urgent campaign to everyone opted in, waited for until done. */
async function sendCampaign(app: ReturnType<typeof createApp>): Promise<void> {
  const { id } = await app.broadcaster!.create({
    content: { text: 'Thông báo thử: lịch tập huấn OCOP tháng 12.' },
    urgent: true,
    createdBy: 'bench',
  });
  for (;;) {
    const r = await app.broadcaster!.report(id);
    if (r?.status === 'done') break;
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** The delivery rate between the first and the last message the server received. */
function measured(name: string, o: RunOptions, fake: FakeServer): BroadcastRun {
  const times = fake.messages.map((m) => m.at).sort((a, b) => a - b);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  const rate = (times.length - 1) / seconds;
  return { name, ...o, rate, fraction: rate / o.limit, rateLimited: fake.rateLimited, seconds };
}

export async function runBroadcast(name: string, o: RunOptions): Promise<BroadcastRun> {
  const fake = await startFakeTelegramServer({ rateLimit: { perSecond: 30 }, sendLatencyMs: o.sendLatencyMs });
  const prefix = `bench-bc-${process.pid}-${Date.now().toString(36)}`;
  const env = {
    LOG_LEVEL: 'warn',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    TELEGRAM_BOT_TOKEN: '9090:bench-broadcast',
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_BROADCAST_PER_SECOND: String(o.limit),
    BROADCAST_CONCURRENCY: String(o.concurrency),
    BROADCAST_QUIET_HOURS: 'off',
  };
  const children: ChildProcess[] = [];
  if (o.workers === 0) {
    try {
      // In memory: the recipients are this run's only (./data may hold every earlier run's subscribers).
      return await runInProcess(
        name,
        o,
        { ...env, REDIS_URL: undefined, REDIS_PREFIX: undefined, DATA_DIR: ':memory:' },
        fake,
      );
    } finally {
      await fake.close();
    }
  }
  try {
    await seed(prefix, o.recipients);
    const app = createApp(parseConfig({ ...env, LOG_LEVEL: 'silent', BROADCAST_WORKERS: 'false' }), silentLogger);
    // Workers first, so their start-up is not measured.
    for (let i = 0; i < o.workers; i++) {
      children.push(
        spawn(process.execPath, ['bin/ocop-bot.mjs', 'worker'], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 4000));
    await sendCampaign(app);
    await app.close();
    return measured(name, o, fake);
  } finally {
    for (const c of children) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
    await fake.close();
    await dropPrefix(prefix);
  }
}

/** The campaign sent by the app itself, without Redis: subscribers in memory, the in-process broadcaster. */
async function runInProcess(
  name: string,
  o: RunOptions,
  env: Record<string, string | undefined>,
  fake: FakeServer,
): Promise<BroadcastRun> {
  const app = createApp(parseConfig({ ...env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    for (let i = 0; i < o.recipients; i++) {
      await app.subscribers.touch('telegram', String(7_000_000 + i), { at: Date.now() });
      await app.subscribers.setOptIn('telegram', String(7_000_000 + i), true);
    }
    await app.startChannels();
    await sendCampaign(app);
  } finally {
    await app.close();
  }
  return measured(name, o, fake);
}

export async function runBroadcastBench(): Promise<BroadcastRun[]> {
  return [
    await runBroadcast('limit-bound, 1 worker', {
      workers: 1,
      concurrency: 4,
      sendLatencyMs: 0,
      limit: 25,
      recipients: 500,
    }),
    await runBroadcast('limit-bound, 2 workers', {
      workers: 2,
      concurrency: 4,
      sendLatencyMs: 0,
      limit: 25,
      recipients: 500,
    }),
    await runBroadcast('slow server, 1 worker × 1', {
      workers: 1,
      concurrency: 1,
      sendLatencyMs: 80,
      limit: 25,
      recipients: 200,
    }),
    await runBroadcast('slow server, 2 workers × 1', {
      workers: 2,
      concurrency: 1,
      sendLatencyMs: 80,
      limit: 25,
      recipients: 200,
    }),
    await runBroadcast('in-process, no Redis', {
      workers: 0,
      concurrency: 4,
      sendLatencyMs: 0,
      limit: 25,
      recipients: 500,
    }),
  ];
}
