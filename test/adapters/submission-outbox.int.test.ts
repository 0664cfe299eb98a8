/**
 * The outbox against a real Redis and a local HTTP server standing for the external system, which starts
 * down (connection refused, or 503) and comes up later: every submission arrives exactly once, with the token,
 * also when the process stops in the middle and a new one takes over from the pending set.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/adapters/redis/keys.js';
import { RedisSubmissionStore } from '../../src/adapters/redis/redis-submission-store.js';
import {
  createSubmissionOutbox,
  OUTBOX_QUEUE_NAME,
  outboxDelay,
  type RunningSubmissionOutbox,
} from '../../src/adapters/redis/submission-outbox.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { dropPrefix, freePort, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { MARCH_5_2026, sampleForm } from '../support/submissions.js';

const REDIS_URL = TEST_REDIS_URL;
const TOKEN = 'backend-secret-token-123';

interface Received {
  idempotencyKey: string;
  authorization: string | undefined;
  body: { id: string; form: { productName: string }; status: string; channel: string };
}

/** The external system: 'down' refuses connections, 'unavailable' answers 503, 'up' accepts. */
class ExternalSystem {
  readonly received: Received[] = [];
  attempts = 0;
  private server: Server | undefined;
  private mode: 'down' | 'unavailable' | 'up' = 'down';

  constructor(readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}/api/ocop/submissions?source=bot`;
  }

  async set(mode: 'down' | 'unavailable' | 'up'): Promise<void> {
    this.mode = mode;
    if (mode === 'down') {
      const s = this.server;
      this.server = undefined;
      if (s)
        await new Promise((r) => {
          s.closeAllConnections();
          s.close(r);
        });
      return;
    }
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req).then((status) => res.writeHead(status).end()));
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.server = server;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.attempts++;
    if (this.mode !== 'up') return 503;
    this.received.push({
      idempotencyKey: String(req.headers['idempotency-key']),
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
    });
    return 201;
  }

  /** Deliveries per Idempotency-Key. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.received) out[r.idempotencyKey] = (out[r.idempotencyKey] ?? 0) + 1;
    return out;
  }
}

const clients: Redis[] = [];
const prefixes: string[] = [];
const outboxes: RunningSubmissionOutbox[] = [];
const systems: ExternalSystem[] = [];

afterEach(async () => {
  for (const o of outboxes.splice(0)) await o.close().catch(() => undefined);
  for (const s of systems.splice(0)) await s.set('down');
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

async function setup() {
  const prefix = uniquePrefix('outbox');
  prefixes.push(prefix);
  const keys = createKeys(prefix);
  const redis = new Redis(REDIS_URL);
  clients.push(redis);
  const store = new RedisSubmissionStore(redis, keys, { trackOutbox: true });
  const system = new ExternalSystem(await freePort());
  systems.push(system);
  return { keys, redis, store, system };
}

function outbox(keys: Keys, store: RedisSubmissionStore, system: ExternalSystem, logger: Logger = silentLogger) {
  const o = createSubmissionOutbox({
    redis: REDIS_URL,
    keys,
    url: system.url,
    token: TOKEN,
    logger,
    store,
    attempts: 1000,
    backoff: { baseMs: 20, capMs: 150 },
    reconcileIntervalMs: 0,
  });
  outboxes.push(o);
  return o;
}

async function createMany(store: RedisSubmissionStore, n: number, tag: string) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      (
        await store.create({
          channel: 'zalo',
          userId: `u${i}`,
          form: sampleForm({ productName: `${tag} ${i}` }),
          idempotencyKey: `${tag}-${i}`,
          at: MARCH_5_2026 + i,
        })
      ).submission,
    );
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('submission outbox (BullMQ, Redis)', () => {
  it('backs off exponentially from the base, capped', () => {
    const b = { baseMs: 1000, capMs: 300_000 };
    expect([1, 2, 3, 4, 9, 10, 50, 1000].map((n) => outboxDelay(n, b))).toEqual([
      1000, 2000, 4000, 8000, 256_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('holds deliveries while the external system is down and delivers each exactly once when it comes up', async () => {
    const { keys, redis, store, system } = await setup();
    const logged: string[] = [];
    const logger: Logger = {
      debug: (o) => logged.push(JSON.stringify(o)),
      info: (o) => logged.push(JSON.stringify(o)),
      warn: (o) => logged.push(JSON.stringify(o)),
      error: (o) => logged.push(JSON.stringify(o)),
      child: () => logger,
    };
    const o = outbox(keys, store, system, logger);
    await o.start();
    const subs = await createMany(store, 5, 'down');
    for (const s of subs) await o.enqueue(s);
    // Enqueuing twice queues once (job id = submission id).
    await o.enqueue(subs[0]!);
    expect(await redis.scard(keys.submissionOutboxPending())).toBe(5);

    await sleep(400); // connection refused, retried with backoff
    expect(system.received).toHaveLength(0);
    await system.set('unavailable');
    await expect.poll(() => system.attempts, { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
    expect(system.received).toHaveLength(0);
    expect(await redis.scard(keys.submissionOutboxPending())).toBe(5);

    await system.set('up');
    await expect.poll(() => system.received.length, { timeout: 60_000 }).toBe(5);
    await sleep(500); // nothing more arrives
    expect(system.counts()).toEqual(Object.fromEntries(subs.map((s) => [s.id, 1])));
    for (const r of system.received) {
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.body.id).toBe(r.idempotencyKey);
      expect(r.body).toMatchObject({ status: 'new', channel: 'zalo' });
    }
    expect(system.received.map((r) => r.body.form.productName).sort()).toEqual(
      subs.map((s) => s.form.productName).sort(),
    );
    await expect.poll(() => redis.scard(keys.submissionOutboxPending())).toBe(0);
    // Logs name the target without its query and never carry the token.
    const text = logged.join('\n');
    expect(text).toContain('ECONNREFUSED');
    expect(text).toContain('"status":503');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('source=bot');
  });

  it('a new process delivers everything left pending by one that stopped mid-way: none lost, none twice', async () => {
    const { keys, redis, store, system } = await setup();
    const first = outbox(keys, store, system);
    await first.start();
    const queued = await createMany(store, 4, 'queued');
    for (const s of queued) await first.enqueue(s);
    // Stored but never enqueued: the process died between the two steps.
    const orphans = await createMany(store, 2, 'orphan');
    await sleep(300);
    await first.close();
    expect(await redis.scard(keys.submissionOutboxPending())).toBe(6);

    await system.set('up');
    await sleep(200);
    expect(system.received).toHaveLength(0); // nobody is working the queue

    const second = outbox(keys, store, system);
    await second.start();
    await expect.poll(() => system.received.length, { timeout: 60_000 }).toBe(6);
    await sleep(500);
    expect(system.counts()).toEqual(Object.fromEntries([...queued, ...orphans].map((s) => [s.id, 1])));
    await expect.poll(() => redis.scard(keys.submissionOutboxPending())).toBe(0);

    // Starting yet another process re-enqueues nothing: delivered submissions are not pending any more.
    await second.close();
    const third = outbox(keys, store, system);
    await third.start();
    await sleep(300);
    expect(system.received).toHaveLength(6);
  });

  it('revives a submission whose job ran out of attempts', async () => {
    const { keys, redis, store, system } = await setup();
    const make = () => {
      const o = createSubmissionOutbox({
        redis: REDIS_URL,
        keys,
        url: system.url,
        logger: silentLogger,
        store,
        attempts: 2,
        backoff: { baseMs: 10, capMs: 10 },
        reconcileIntervalMs: 0,
      });
      outboxes.push(o);
      return o;
    };
    const a = make();
    await a.start();
    const [s] = await createMany(store, 1, 'exhausted');
    await a.enqueue(s!);
    await expect
      .poll(async () => await redis.zcard(`${keys.bullPrefix()}:${OUTBOX_QUEUE_NAME}:failed`), { timeout: 60_000 })
      .toBe(1);
    await a.close();
    await system.set('up');
    const b = make();
    await b.start();
    await expect.poll(() => system.received.length, { timeout: 60_000 }).toBe(1);
    expect(system.received[0]!.authorization).toBeUndefined();
    await expect.poll(() => redis.scard(keys.submissionOutboxPending())).toBe(0);
  });
});
