/**
 * The broadcaster on its own, against a real Redis, real BullMQ workers and the real Telegram and Zalo senders
 * talking to the fake servers: who a segment reaches, quiet hours and scheduling, cancelling, how each kind of
 * platform failure is settled, the per-chat gate, pacing across processes, the reconciliation at start, and
 * the claim order (a recipient is claimed only right before its request), in-doubt recipients and the resend.
 * (The 2,000-subscriber campaign with killed worker processes is test/e2e/broadcast.int.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createBroadcaster, type BroadcasterOptions } from '../../src/adapters/redis/broadcaster.js';
import type { Broadcaster } from '../../src/core/broadcast/broadcaster.js';
import { RedisBroadcastStore } from '../../src/adapters/redis/broadcast-store.js';
import { createKeys, type Keys } from '../../src/adapters/redis/keys.js';
import { RedisSubmissionStore } from '../../src/adapters/redis/redis-submission-store.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import type { AnnouncementSender } from '../../src/core/broadcast/sender.js';
import type { BroadcastChannel, Campaign, CampaignReport, Recipient, Segment } from '../../src/core/broadcast/types.js';
import { silentLogger } from '../../src/core/logger.js';
import type { SubmissionStatus } from '../../src/core/registration/types.js';
import { createTelegramSender } from '../../src/channels/telegram/telegram-sender.js';
import { createPacedSend } from '../../src/core/broadcast/pacing.js';
import { createRecipientDelivery, type WriteRetry } from '../../src/core/broadcast/delivery.js';
import { createZaloSender } from '../../src/channels/zalo/zalo-sender.js';
import {
  startFakeTelegramServer,
  type FakeTelegramOptions,
  type FakeTelegramServer,
} from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { HOUR, sampleForm } from '../support/submissions.js';

// ------------------------------------------------------------------ helpers

const REDIS_URL = TEST_REDIS_URL;
const TG_TOKEN = '8080:broadcaster-test';
const ZALO_TOKEN = 'zalo-broadcaster-test-token';
const QUIET = { from: 22, to: 6 };
const VN = 7 * HOUR;
const DAY_MS = 24 * HOUR;
const text = 'Thông báo: Hội chợ OCOP Cao Bằng khai mạc ngày 15/12 tại Quảng trường Cao Bằng.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Env {
  prefix: string;
  keys: Keys;
  redis: Redis;
  subscribers: RedisSubscriberStore;
  submissions: RedisSubmissionStore;
  store: RedisBroadcastStore;
  tg: FakeTelegramServer;
  zalo: FakeZaloServer;
  /** A broadcaster ("process") on this prefix, started unless `start: false`. */
  broadcaster(
    options?: Partial<BroadcasterOptions> & { start?: boolean; perSecond?: number; perChatIntervalMs?: number },
  ): Promise<Broadcaster>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function setup(name: string, telegram: FakeTelegramOptions = {}): Promise<Env> {
  const prefix = uniquePrefix(`broadcaster-${name}`);
  const keys = createKeys(prefix);
  const redis = new Redis(REDIS_URL);
  const tg = await startFakeTelegramServer(telegram);
  const zalo = await startFakeZaloServer({ token: ZALO_TOKEN });
  cleanups.push(
    () => dropPrefix(prefix),
    async () => redis.disconnect(),
    () => tg.close(),
    () => zalo.close(),
  );
  const subscribers = new RedisSubscriberStore(redis, keys);
  const submissions = new RedisSubmissionStore(redis, keys);
  return {
    prefix,
    keys,
    redis,
    subscribers,
    submissions,
    tg,
    zalo,
    store: new RedisBroadcastStore(redis, keys),
    async broadcaster({ start = true, perSecond = 50, perChatIntervalMs = 200, ...options } = {}) {
      const b = createBroadcaster({
        redisUrl: REDIS_URL,
        keys,
        subscribers,
        submissions,
        senders: [createTelegramSender(TG_TOKEN, tg.apiRoot), createZaloSender(ZALO_TOKEN, zalo.apiRoot)],
        limits: { telegram: { perSecond, perChatIntervalMs }, zalo: { perSecond, perChatIntervalMs } },
        lockDurationMs: 2000,
        logger: silentLogger,
        ...options,
      });
      cleanups.push(() => b.close());
      if (start) await b.start();
      return b;
    },
  };
}

/** A subscriber as the chat path leaves it: seen, optionally opted in, with a commune / product group on record. */
async function subscriber(
  env: Env,
  channel: BroadcastChannel,
  userId: string,
  o: { optedIn?: boolean; active?: boolean; commune?: string; productGroup?: string } = {},
) {
  await env.subscribers.touch(channel, userId, { displayName: `Nông dân ${userId}`, at: Date.now() });
  if (o.optedIn ?? true) await env.subscribers.setOptIn(channel, userId, true);
  if (o.commune || o.productGroup)
    await env.subscribers.update(channel, userId, { commune: o.commune, productGroup: o.productGroup });
  if (o.active === false) await env.subscribers.markInactive(channel, userId, 'blocked earlier');
}

/** A submission by the user, moved to `status`. */
async function submission(
  env: Env,
  channel: BroadcastChannel,
  userId: string,
  o: { commune: string; group: string; status?: SubmissionStatus },
) {
  const form = sampleForm({ commune: o.commune, productGroup: { ...sampleForm().productGroup, code: o.group } });
  const { submission: s } = await env.submissions.create({
    channel,
    userId,
    form,
    idempotencyKey: `draft-${channel}-${userId}-${o.group}`,
    at: Date.now(),
  });
  if (o.status && o.status !== 'new')
    await env.submissions.changeStatus(s.id, { status: o.status, by: 'officer', at: Date.now() });
}

/** "channel:chat" of every message the fakes accepted, sorted. */
function delivered(env: Env): string[] {
  return [
    ...env.tg.messages.map((m) => `telegram:${m.chatId}`),
    ...env.zalo.sent.map((m) => `zalo:${m.chatId}`),
  ].sort();
}

async function settled(b: Broadcaster, id: string, timeout = 60_000): Promise<CampaignReport> {
  await expect.poll(async () => (await b.report(id))?.pending, { timeout, interval: 50 }).toBe(0);
  return (await b.report(id))!;
}

/** Most arrivals in any rolling second (the window the fake server counts). */
type Slot = Parameters<NonNullable<BroadcasterOptions['onSlot']>>[0];

/** Records the send slots Redis hands out (what pacing scheduled, in Redis time), to pass as `onSlot`. */
function slotRecorder(): { slots: Slot[]; onSlot: (s: Slot) => void } {
  const slots: Slot[] = [];
  return { slots, onSlot: (s) => slots.push(s) };
}

/** The smallest gap between consecutive slots. */
function minGap(slots: readonly Slot[]): number {
  const times = slots.map((s) => s.slot).sort((x, y) => x - y);
  let min = Infinity;
  for (let i = 1; i < times.length; i++) min = Math.min(min, times[i]! - times[i - 1]!);
  return min;
}

function counting(sender: AnnouncementSender): AnnouncementSender & { count: number } {
  const s = {
    channel: sender.channel,
    count: 0,
    send: async (...args: Parameters<AnnouncementSender['send']>) => {
      const r = await sender.send(...args);
      s.count++;
      return r;
    },
  };
  return s;
}

/** The next 23:30 in Vietnam (UTC+7) from now. */
function next2330Vietnam(): number {
  const local = Date.now() + VN;
  let target = local - (local % DAY_MS) + 23.5 * HOUR;
  if (target <= local) target += DAY_MS;
  return target - VN;
}

// ------------------------------------------------------------------ tests

describe('broadcaster (Redis + BullMQ + real senders against fake platforms)', () => {
  it('resolves audiences in preview and create: opted-in and active by default, channels, communes, group prefixes, submission statuses, AND between lists', async () => {
    const env = await setup('audience');
    const QL = 'Xã Quảng Lâm';
    const HD = 'Xã Hưng Đạo';
    await subscriber(env, 'telegram', '7001', { commune: QL, productGroup: 'I.2.b' });
    await subscriber(env, 'telegram', '7002'); // commune and group only from the submission
    await submission(env, 'telegram', '7002', { commune: HD, group: 'I.20.a' });
    await subscriber(env, 'telegram', '7003', { optedIn: false }); // never opted in, but has a submission that needs info
    await submission(env, 'telegram', '7003', { commune: QL, group: 'I.2.a', status: 'needs_info' });
    await subscriber(env, 'telegram', '7004', { active: false, commune: QL }); // opted in, but blocked the bot
    await subscriber(env, 'telegram', '7005', { optedIn: false, commune: QL });
    await subscriber(env, 'telegram', '7006', { optedIn: false, active: false }); // inactive submitter
    await submission(env, 'telegram', '7006', { commune: QL, group: 'I.2.b', status: 'needs_info' });
    await subscriber(env, 'zalo', 'z-f', { commune: QL, productGroup: 'I.2' });
    await subscriber(env, 'zalo', 'z-g');
    await submission(env, 'zalo', 'z-g', { commune: HD, group: 'I.3.a', status: 'accepted' });
    const b = await env.broadcaster({ start: false });

    const who = async (segment?: Segment) => {
      const p = await b.preview({ text }, segment);
      return p.recipients;
    };
    const everyone = await b.preview({ text, link: 'https://ocop.caobang.gov.vn' });
    expect(everyone).toEqual({
      recipients: 4,
      byChannel: { telegram: 2, zalo: 2 },
      preview: `${text}\n\nhttps://ocop.caobang.gov.vn`,
    });
    expect(await who({ channels: ['zalo'] })).toBe(2);
    expect(await who({ communes: [QL] })).toBe(2); // 7001, z-f (subscriber records)
    expect(await who({ communes: [HD] })).toBe(2); // 7002, z-g (their submissions)
    expect(await who({ groups: ['I.2'] })).toBe(2); // 7001 (I.2.b), z-f (I.2) — not 7002 (I.20.a)
    expect(await who({ groups: ['I.20'] })).toBe(1);
    expect(await who({ groups: ['I.2.b', 'I.3'] })).toBe(2); // OR within a list: 7001, z-g
    expect(await who({ submissionStatuses: ['needs_info'] })).toBe(1); // 7003 although not opted in; not inactive 7006
    expect(await who({ communes: [QL], groups: ['I.2'], channels: ['telegram'] })).toBe(1); // 7001
    expect(await who({ submissionStatuses: ['needs_info', 'accepted'], communes: [QL] })).toBe(1); // 7003, not z-g (Hưng Đạo)

    // create resolves the same way, and exactly those chats receive it.
    await b.start();
    const all = await b.create({ content: { text }, createdBy: 'officer-1' });
    expect(all).toMatchObject({ total: 4, status: 'running' });
    const byStatus = await b.create({
      content: { text: 'Hồ sơ của bạn cần bổ sung' },
      segment: { submissionStatuses: ['needs_info', 'accepted'] },
      createdBy: 'officer-1',
    });
    expect(byStatus.total).toBe(2);
    const hd = await b.create({
      content: { text: 'Hưng Đạo' },
      segment: { communes: [HD], channels: ['telegram'] },
      createdBy: 'officer-1',
    });
    expect(hd.total).toBe(1);
    for (const c of [all, byStatus, hd])
      expect(await settled(b, c.id)).toMatchObject({ status: 'done', sent: c.total, failed: 0, blocked: 0 });
    expect(delivered(env)).toEqual([
      'telegram:7001',
      'telegram:7002',
      'telegram:7002',
      'telegram:7003',
      'zalo:z-f',
      'zalo:z-g',
      'zalo:z-g',
    ]);
    expect(env.tg.messagesTo(7003)[0]!.text).toBe('Hồ sơ của bạn cần bổ sung');
    expect(
      env.tg
        .messagesTo(7002)
        .map((m) => m.text)
        .sort(),
    ).toEqual(['Hưng Đạo', text]);
  });

  it('quiet hours (22–6 Vietnam): at 23:30 a campaign waits for 06:00 and nothing goes out; an urgent one goes at once; due jobs reaching a worker at night wait too', async () => {
    const env = await setup('quiet');
    await subscriber(env, 'telegram', '7101');
    const at2330 = next2330Vietnam();
    const offset = at2330 - Date.now();
    const b = await env.broadcaster({ quietHours: QUIET, now: () => Date.now() + offset });

    const night = await b.create({ content: { text: 'chờ sáng' }, createdBy: 'officer-1' });
    expect(night.status).toBe('scheduled');
    expect(night.startAt).toBe(at2330 + 6.5 * HOUR);
    expect(new Date(night.startAt + VN).toISOString().slice(11, 16)).toBe('06:00');

    const urgent = await b.create({ content: { text: 'khẩn' }, urgent: true, createdBy: 'officer-1' });
    expect(urgent.status).toBe('running');
    expect(await settled(b, urgent.id)).toMatchObject({ status: 'done', sent: 1 });

    // A campaign that was due before 22:00 and whose job only reaches a worker now (reconciled at start).
    const due: Campaign = {
      id: 'TB-due',
      content: { text: 'trễ' },
      urgent: false,
      createdBy: 'officer-1',
      createdAt: at2330 - 2 * HOUR,
      startAt: at2330 - 2 * HOUR,
    };
    await env.store.create(due, [{ channel: 'telegram', userId: '7101', chatId: '7101' }], 'running');
    const other = await env.broadcaster({ quietHours: QUIET, now: () => Date.now() + offset });
    const queue = new Queue('broadcast-telegram', { connection: env.redis, prefix: env.keys.bullPrefix() });
    cleanups.push(() => queue.close());
    await expect
      .poll(() => queue.getJobState('TB-due:telegram:7101'), { timeout: 60_000, interval: 100 })
      .toBe('delayed');

    await sleep(500);
    expect(env.tg.messagesTo(7101).map((m) => m.text)).toEqual(['khẩn']);
    expect(await b.report(night.id)).toMatchObject({ status: 'scheduled', pending: 1, sent: 0 });
    expect(await other.report('TB-due')).toMatchObject({ status: 'running', pending: 1, sent: 0 });
  });

  it('a campaign with sendAt in the future is scheduled until then, then delivered', async () => {
    const env = await setup('send-at');
    await subscriber(env, 'telegram', '7201');
    const b = await env.broadcaster();
    const sendAt = Date.now() + 1500;
    const c = await b.create({ content: { text }, sendAt, createdBy: 'officer-1' });
    expect(c).toMatchObject({ status: 'scheduled', startAt: sendAt, total: 1 });
    await sleep(1000);
    expect(env.tg.messages).toHaveLength(0);
    expect((await b.report(c.id))!.status).toBe('scheduled');
    expect(await settled(b, c.id)).toMatchObject({ status: 'done', sent: 1 });
    expect(env.tg.messagesTo(7201)[0]!.at).toBeGreaterThanOrEqual(sendAt);
  });

  it('cancelling a scheduled campaign settles every recipient as cancelled and nothing goes out, even after its start time', async () => {
    const env = await setup('cancel-scheduled');
    for (const id of ['7301', '7302', '7303']) await subscriber(env, 'telegram', id);
    await subscriber(env, 'zalo', 'z-1');
    const b = await env.broadcaster();
    const c = await b.create({ content: { text }, sendAt: Date.now() + 1200, createdBy: 'officer-1' });
    expect(c.status).toBe('scheduled');
    const cancelled = await b.cancel(c.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', total: 4, cancelled: 4, pending: 0, sent: 0 });
    expect(cancelled!.finishedAt).toBeDefined();
    await sleep(2000);
    expect(delivered(env)).toEqual([]);
    expect(await b.report(c.id)).toMatchObject({ status: 'cancelled', cancelled: 4, pending: 0, sent: 0 });
    expect(await b.cancel('TB-unknown')).toBeUndefined();
  });

  it('cancelling a running campaign midway: what was sent stays sent, the rest is cancelled, nothing goes out after', async () => {
    const env = await setup('cancel-running', { sendLatencyMs: 150 });
    const CONCURRENCY = 2;
    for (let i = 0; i < 20; i++) await subscriber(env, 'telegram', String(7400 + i));
    const b = await env.broadcaster({ concurrency: CONCURRENCY });
    const c = await b.create({ content: { text }, createdBy: 'officer-1' });
    await expect.poll(() => env.tg.messages.length, { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(4);
    const atCancel = env.tg.messages.length;
    expect((await b.cancel(c.id))!.status).toBe('cancelled');
    const final = await settled(b, c.id);
    const afterSettle = env.tg.messages.length;
    await sleep(1000);
    expect(env.tg.messages.length).toBe(afterSettle);
    // Only sends already under way when it was cancelled went out.
    expect(afterSettle - atCancel).toBeLessThanOrEqual(CONCURRENCY);
    expect(final).toMatchObject({
      status: 'cancelled',
      total: 20,
      failed: 0,
      blocked: 0,
      pending: 0,
      sent: afterSettle,
    });
    expect(final.sent + final.cancelled).toBe(20);
    expect(final.cancelled).toBeGreaterThan(0);
    expect(new Set(env.tg.messages.map((m) => m.chatId)).size).toBe(afterSettle);
  });

  it('a 5xx is retried and delivered once; a 400 is counted failed at once, never retried', async () => {
    const env = await setup('errors');
    await subscriber(env, 'telegram', '7501');
    const b = await env.broadcaster();
    env.tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 2);
    const retried = await b.create({ content: { text }, createdBy: 'officer-1' });
    expect(await settled(b, retried.id)).toMatchObject({ status: 'done', sent: 1, failed: 0, inDoubt: 0 });
    expect(env.tg.callsOf('sendMessage').map((c) => c.status)).toEqual([502, 502, 200]);
    expect(env.tg.messagesTo(7501)).toHaveLength(1);

    env.tg.reset();
    env.tg.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    const bad = await b.create({ content: { text }, createdBy: 'officer-1' });
    expect(await settled(b, bad.id)).toMatchObject({ status: 'done', sent: 0, failed: 1 });
    await sleep(1500); // past the first retry's backoff
    expect(env.tg.callsOf('sendMessage').map((c) => c.status)).toEqual([400]);
    expect((await env.subscribers.get('telegram', '7501'))!.active).toBe(true);
  });

  it('403 (blocked, deactivated; Telegram and Zalo) counts as blocked and marks the subscriber inactive', async () => {
    const env = await setup('blocked');
    for (const id of ['7601', '7602', '7603']) await subscriber(env, 'telegram', id);
    await subscriber(env, 'zalo', 'z-blocked');
    env.tg.blockChat(7601);
    env.tg.deactivateChat(7602);
    // Zalo documents 403 as a server error: only an answer naming the user as unreachable counts as blocked.
    env.zalo.failNext('sendMessage', { status: 400, description: 'user has blocked the OA' });
    const b = await env.broadcaster();
    const c = await b.create({ content: { text }, createdBy: 'officer-1' });
    expect(await settled(b, c.id)).toMatchObject({ status: 'done', total: 4, sent: 1, blocked: 3, failed: 0 });
    expect(delivered(env)).toEqual(['telegram:7603']);
    const state = async (ch: BroadcastChannel, id: string) => {
      const s = (await env.subscribers.get(ch, id))!;
      return { active: s.active, reason: s.inactiveReason };
    };
    expect(await state('telegram', '7601')).toEqual({
      active: false,
      reason: 'Forbidden: bot was blocked by the user',
    });
    expect(await state('telegram', '7602')).toEqual({ active: false, reason: 'Forbidden: user is deactivated' });
    expect(await state('zalo', 'z-blocked')).toMatchObject({ active: false });
    expect(await state('telegram', '7603')).toMatchObject({ active: true });
    // Each was tried once, and the next campaign leaves them out.
    expect(env.tg.callsOf('sendMessage')).toHaveLength(3);
    expect((await b.preview({ text })).recipients).toBe(1);
  });

  it('per-chat gate: two campaigns back to back to one chat get send slots at least perChatIntervalMs apart, also with a backlog of send slots; 0 turns the gate off', async () => {
    const env = await setup('gate');
    await subscriber(env, 'telegram', '7701');
    const INTERVAL = 500;
    const recorder = slotRecorder();
    const b = await env.broadcaster({ perChatIntervalMs: INTERVAL, perSecond: 20, onSlot: recorder.onSlot });
    const gap = async () => {
      recorder.slots.length = 0;
      const [x, y] = await Promise.all(
        [1, 2].map((n) => b.create({ content: { text: `tin ${n}` }, createdBy: 'officer-1' })),
      );
      for (const c of [x!, y!]) expect(await settled(b, c.id)).toMatchObject({ sent: 1 });
      expect(env.tg.messagesTo(7701)).toHaveLength(2);
      env.tg.reset();
      const [s1, s2] = recorder.slots.filter((s) => s.chatId === '7701').map((s) => s.slot);
      expect(recorder.slots).toHaveLength(2);
      return s2! - s1!;
    };
    // Both slots are Redis times, and the gate expires in Redis time: the gap is exact, not a measurement.
    expect(await gap()).toBeGreaterThanOrEqual(INTERVAL);
    await sleep(INTERVAL);

    // Other workers have reserved the channel's next second of send slots: the first announcement waits for
    // its slot, and the gate must still keep the second one INTERVAL after it.
    const [sec, micro] = await env.redis.time();
    await env.redis.set(
      env.keys.broadcastSlot('telegram'),
      Number(sec) * 1000 + Math.floor(Number(micro) / 1000) + 1000,
      'PX',
      60_000,
    );
    expect(await gap()).toBeGreaterThanOrEqual(INTERVAL);

    // perChatIntervalMs 0 (allowed by the configuration): no gate, both delivered.
    const off = await setup('gate-off');
    await subscriber(off, 'telegram', '7702');
    const ungated = await off.broadcaster({ perChatIntervalMs: 0 });
    const cs = await Promise.all(
      [1, 2].map((n) => ungated.create({ content: { text: `tin ${n}` }, createdBy: 'officer-1' })),
    );
    for (const c of cs) expect(await settled(ungated, c.id)).toMatchObject({ sent: 1, failed: 0 });
    expect(off.tg.messagesTo(7702)).toHaveLength(2);
  });

  it('pacing: 60 announcements at 20/s get send slots at least 50 ms apart, so never more than 20 in a second', async () => {
    const env = await setup('pacing');
    for (let i = 0; i < 60; i++) await subscriber(env, 'telegram', String(7800 + i));
    const recorder = slotRecorder();
    const b = await env.broadcaster({ perSecond: 20, concurrency: 8, onSlot: recorder.onSlot });
    const c = await b.create({ content: { text }, createdBy: 'officer-1' });
    expect(await settled(b, c.id)).toMatchObject({ status: 'done', sent: 60 });
    expect(recorder.slots).toHaveLength(60);
    expect(minGap(recorder.slots)).toBeGreaterThanOrEqual(50);
    expect(new Set(recorder.slots.map((s) => s.chatId)).size).toBe(60);
  });

  it('pacing holds across two broadcaster processes sharing the prefix: both send, and their slots together are at least 50 ms apart', async () => {
    const env = await setup('pacing-2');
    for (let i = 0; i < 60; i++) await subscriber(env, 'telegram', String(7900 + i));
    const senders = [
      counting(createTelegramSender(TG_TOKEN, env.tg.apiRoot)),
      counting(createTelegramSender(TG_TOKEN, env.tg.apiRoot)),
    ];
    const recorder = slotRecorder();
    const [a] = await Promise.all(
      senders.map((s) => env.broadcaster({ perSecond: 20, concurrency: 8, senders: [s], onSlot: recorder.onSlot })),
    );
    const c = await a!.create({ content: { text }, createdBy: 'officer-1' });
    expect(await settled(a!, c.id)).toMatchObject({ status: 'done', sent: 60 });
    expect(senders[0]!.count + senders[1]!.count).toBe(60);
    expect(senders[0]!.count).toBeGreaterThan(0);
    expect(senders[1]!.count).toBeGreaterThan(0);
    expect(recorder.slots).toHaveLength(60);
    expect(minGap(recorder.slots)).toBeGreaterThanOrEqual(50);
  });

  it("a 429 from the platform pushes the channel's next slot back by retry_after, and the announcement is still delivered once", async () => {
    const env = await setup('429');
    await subscriber(env, 'telegram', '7950');
    await subscriber(env, 'telegram', '7951');
    env.tg.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      retry_after: 1,
    });
    const recorder = slotRecorder();
    const b = await env.broadcaster({ perSecond: 20, concurrency: 1, onSlot: recorder.onSlot });
    const c = await b.create({ content: { text }, createdBy: 'officer-1' });
    expect(await settled(b, c.id)).toMatchObject({ status: 'done', sent: 2, failed: 0 });
    expect(env.tg.callsOf('sendMessage').map((x) => x.status)).toEqual([429, 200, 200]);
    expect(delivered(env).sort()).toEqual(['telegram:7950', 'telegram:7951']);
    // Three slots: the refused send's, then the retry's, at least retry_after later.
    expect(recorder.slots).toHaveLength(3);
    expect(recorder.slots[1]!.slot - recorder.slots[0]!.slot).toBeGreaterThanOrEqual(1000);
  });

  it('reconciliation at start: recipients stored but never queued are delivered; those already settled are not repeated; a cancelled campaign stays silent', async () => {
    const env = await setup('reconcile');
    for (const id of ['8001', '8002', '8003']) await subscriber(env, 'telegram', id);
    await subscriber(env, 'zalo', 'z-r');
    const recipients: Recipient[] = [
      ...['8001', '8002', '8003'].map((id) => ({ channel: 'telegram' as const, userId: id, chatId: id })),
      { channel: 'zalo', userId: 'z-r', chatId: 'z-r' },
    ];
    const campaign = (id: string, t: string): Campaign => ({
      id,
      content: { text: t },
      urgent: false,
      createdBy: 'officer-1',
      createdAt: Date.now(),
      startAt: Date.now(),
    });
    // Stored, then the process died before enqueuing; 8001 had already been sent by an earlier worker.
    await env.store.create(campaign('TB-lost', 'lost'), recipients, 'running');
    expect(await env.store.claim('TB-lost', 'telegram:8001', 0, 'earlier-worker#1', Date.now())).toBe('claimed');
    await env.store.finish('TB-lost', 'telegram:8001', 'earlier-worker#1', 'sent', Date.now());
    // Stored and cancelled before any job existed.
    await env.store.create(campaign('TB-cancelled', 'cancelled'), recipients, 'scheduled');
    await env.store.cancel('TB-cancelled', Date.now());

    const b = await env.broadcaster();
    expect(await settled(b, 'TB-lost')).toMatchObject({ status: 'done', total: 4, sent: 4, inDoubt: 0 });
    await sleep(300);
    expect(delivered(env)).toEqual(['telegram:8002', 'telegram:8003', 'zalo:z-r']);
    expect(env.tg.messages.every((m) => m.text === 'lost')).toBe(true);
    expect(await b.report('TB-cancelled')).toMatchObject({ status: 'cancelled', cancelled: 4, sent: 0 });
  });
});

// ------------------------------------------------------------------ claim order, in doubt, resend

describe('claim order and in-doubt recipients (Redis store, real pacing and delivery, real Telegram sender)', () => {
  const LIMITS = {
    telegram: { perSecond: 50, perChatIntervalMs: 0 },
    zalo: { perSecond: 50, perChatIntervalMs: 0 },
  };
  const campaignNamed = (id: string): Campaign => ({
    id,
    content: { text },
    urgent: true,
    createdBy: 'officer-1',
    createdAt: Date.now(),
    startAt: Date.now(),
  });
  const tg = (...ids: string[]): Recipient[] => ids.map((id) => ({ channel: 'telegram', userId: id, chatId: id }));

  /** One worker's delivery of Telegram recipients, as the broadcaster builds it, with its parts injectable. */
  function worker(
    env: Env,
    o: {
      store?: RedisBroadcastStore;
      sender?: AnnouncementSender;
      onSlot?: () => void;
      wait?: (ms: number) => Promise<unknown>;
      retry?: WriteRetry;
      sleep?: (ms: number) => Promise<unknown>;
      workerId?: string;
    } = {},
  ) {
    const store = o.store ?? env.store;
    const paced = createPacedSend({ store, limits: LIMITS, log: silentLogger, onSlot: o.onSlot, wait: o.wait });
    const deliver = createRecipientDelivery({
      store,
      subscribers: env.subscribers,
      limits: LIMITS,
      paced,
      log: silentLogger,
      now: Date.now,
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.workerId ? { workerId: o.workerId } : {}),
    });
    const sender = o.sender ?? createTelegramSender(TG_TOKEN, env.tg.apiRoot);
    return (campaign: Campaign, userId: string, round = 0) =>
      deliver({
        campaign,
        channel: 'telegram',
        sender,
        field: `telegram:${userId}`,
        userId,
        chatId: userId,
        round,
        lastAttempt: false,
      });
  }

  /** Never settles: where a killed process stopped. */
  const forever = () => new Promise<never>(() => undefined);

  it('a worker that dies while waiting for its send slot has claimed nobody: after the restart the recipient is sent once and is not in doubt', async () => {
    const env = await setup('claim-order');
    await subscriber(env, 'telegram', '9001');
    const c = campaignNamed('TB-slot');
    await env.store.create(c, tg('9001'), 'running');
    // Other workers hold the next half second of send slots: this send must wait for its own.
    const [sec, micro] = await env.redis.time();
    const busyUntil = Number(sec) * 1000 + Math.floor(Number(micro) / 1000) + 500;
    await env.redis.set(env.keys.broadcastSlot('telegram'), busyUntil, 'PX', 60_000);
    let atSlot!: () => void;
    const slotGiven = new Promise<void>((r) => (atSlot = r));
    const waits: number[] = [];
    // Its slot is handed out, then the process hangs in the wait for it — as a process killed there would.
    void worker(env, {
      onSlot: () => atSlot(),
      wait: (ms) => {
        waits.push(ms);
        return forever();
      },
    })(c, '9001');
    await slotGiven;
    await expect.poll(() => waits.length).toBe(1);
    expect(await env.store.states(c.id)).toEqual({});
    expect(await env.store.check(c.id, 'telegram:9001', 0, Date.now())).toBe('free');

    await worker(env)(c, '9001'); // the job, taken over after the restart
    expect(env.tg.messagesTo(9001)).toHaveLength(1);
    expect(await env.store.report(c.id)).toMatchObject({ status: 'done', sent: 1, inDoubt: 0, pending: 0 });
  });

  it('a worker that dies with its request in flight leaves that recipient in doubt (claimed when, by whom): not sent again on its own, listed in the report without the whole id', async () => {
    const env = await setup('in-flight');
    await subscriber(env, 'telegram', '9002');
    const b = await env.broadcaster({ start: false });
    const c = campaignNamed('TB-flight');
    await env.store.create(c, tg('9002'), 'running');
    let started!: () => void;
    const requestStarted = new Promise<void>((r) => (started = r));
    const hanging: AnnouncementSender = {
      channel: 'telegram',
      send: () => {
        started();
        return forever();
      },
    };
    void worker(env, { sender: hanging, workerId: 'host-a-4242-abc' })(c, '9002');
    await requestStarted;
    const claim = (await env.store.states(c.id))['telegram:9002']!;
    expect(claim).toMatch(/^sending:\d+:0:host-a-4242-abc#1$/);

    await worker(env)(c, '9002'); // the job, taken over after the restart
    expect(env.tg.messagesTo(9002)).toHaveLength(0);
    const report = (await b.report(c.id))!;
    expect(report).toMatchObject({ status: 'done', sent: 0, inDoubt: 1, pending: 0 });
    expect(report.inDoubtRecipients).toEqual([
      {
        channel: 'telegram',
        name: 'Nông dân 9002',
        maskedId: '•••002',
        claimedAt: Number(claim.split(':')[1]),
        worker: 'host-a-4242-abc',
      },
    ]);
  });

  it('Redis cut off when the outcome is written: the write is retried after the reconnect, so a delivered recipient is sent, not in doubt; without retries it would be', async () => {
    const env = await setup('outcome-retry');
    for (const id of ['9003', '9004']) await subscriber(env, 'telegram', id);
    const c = campaignNamed('TB-cut');
    await env.store.create(c, tg('9003', '9004'), 'running');
    // The worker's own connection, failing fast while it reconnects (no offline queue): a Redis restart as the
    // worker sees it. Right after each request succeeds, Redis drops that connection.
    const conn = new Redis(REDIS_URL, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50 });
    cleanups.push(async () => conn.disconnect());
    conn.on('error', () => undefined);
    const store = new RedisBroadcastStore(conn, env.keys);
    const real = createTelegramSender(TG_TOKEN, env.tg.apiRoot);
    const cutAfterSend: AnnouncementSender = {
      channel: 'telegram',
      send: async (chatId, content) => {
        const result = await real.send(chatId, content);
        await env.redis.client('KILL', 'ID', String(await conn.client('ID')));
        return result;
      },
    };
    const waits: number[] = [];
    const backoff = (ms: number) => {
      waits.push(ms);
      return sleep(ms);
    };
    await expect.poll(() => conn.status, { interval: 10 }).toBe('ready');
    await worker(env, { store, sender: cutAfterSend, sleep: backoff, retry: { attempts: 20, baseMs: 20, maxMs: 200 } })(
      c,
      '9003',
    );
    expect(waits.length).toBeGreaterThan(0);
    expect(env.tg.messagesTo(9003)).toHaveLength(1);
    expect((await env.store.states(c.id))['telegram:9003']).toBe('sent');

    // The same cut with a single attempt: the outcome is lost, and the job taken over finds the recipient in doubt.
    await expect.poll(() => conn.status, { interval: 10 }).toBe('ready');
    await expect(
      worker(env, { store, sender: cutAfterSend, retry: { attempts: 1, baseMs: 1, maxMs: 1 } })(c, '9004'),
    ).rejects.toThrow();
    await worker(env)(c, '9004');
    expect(env.tg.messagesTo(9004)).toHaveLength(1);
    expect(await env.store.report(c.id)).toMatchObject({ sent: 1, inDoubt: 1, pending: 0 });
  });

  it('a 429 gives the claim back while the send waits for its next slot, and the retry claims it again right before its request', async () => {
    const env = await setup('429-claim');
    await subscriber(env, 'telegram', '9020');
    const c = campaignNamed('TB-429');
    await env.store.create(c, tg('9020'), 'running');
    env.tg.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      retry_after: 1,
    });
    // The recipient's state as each slot is handed out (read on the store's own connection, so before any claim
    // that follows the slot's wait).
    const atSlots: Promise<Record<string, string>>[] = [];
    await worker(env, { onSlot: () => atSlots.push(env.store.states(c.id)), wait: (ms) => sleep(Math.min(ms, 20)) })(
      c,
      '9020',
    );
    expect(env.tg.callsOf('sendMessage').map((x) => x.status)).toEqual([429, 200]);
    expect(await Promise.all(atSlots)).toEqual([{}, {}]);
    expect(await env.store.states(c.id)).toEqual({ 'telegram:9020': 'sent' });
  });

  it('an outcome recorded after the recipient was found in doubt replaces the doubt; another claim cannot record it', async () => {
    const env = await setup('late-outcome');
    const c = campaignNamed('TB-late');
    await env.store.create(c, tg('9005'), 'running');
    expect(await env.store.claim(c.id, 'telegram:9005', 0, 'slow-worker#1', Date.now())).toBe('claimed');
    // Its job was taken over meanwhile (the worker lost its lock while cut off from Redis).
    expect(await env.store.check(c.id, 'telegram:9005', 0, Date.now())).toBe('in_doubt');
    expect(await env.store.report(c.id)).toMatchObject({ status: 'done', inDoubt: 1, sent: 0 });
    expect(await env.store.finish(c.id, 'telegram:9005', 'other-worker#7', 'sent', Date.now())).toBe('stale');
    expect(await env.store.finish(c.id, 'telegram:9005', 'slow-worker#1', 'sent', Date.now())).toBe('resolved');
    expect(await env.store.report(c.id)).toMatchObject({ status: 'done', inDoubt: 0, sent: 1, pending: 0 });
    expect(await env.store.finish(c.id, 'telegram:9005', 'slow-worker#1', 'sent', Date.now())).toBe('stale');
  });

  it('resend: two calls at once from two processes send to each in-doubt recipient once and record it; a third sends nothing; a cancelled campaign refuses', async () => {
    const env = await setup('resend');
    const ids = ['9011', '9012', '9013'];
    for (const id of [...ids, '9014']) await subscriber(env, 'telegram', id);
    const c = campaignNamed('TB-resend');
    await env.store.create(c, tg(...ids, '9014'), 'running');
    // 9011–9013: claimed by a worker that died mid-request, then found in doubt; 9014 was sent.
    for (const id of ids) {
      expect(await env.store.claim(c.id, `telegram:${id}`, 0, 'dead#1', Date.now())).toBe('claimed');
      expect(await env.store.check(c.id, `telegram:${id}`, 0, Date.now())).toBe('in_doubt');
    }
    await env.store.claim(c.id, 'telegram:9014', 0, 'alive#1', Date.now());
    await env.store.finish(c.id, 'telegram:9014', 'alive#1', 'sent', Date.now());
    const a = await env.broadcaster();
    const b = await env.broadcaster();
    expect(await a.report(c.id)).toMatchObject({ status: 'done', inDoubt: 3, sent: 1 });

    const [ra, rb] = await Promise.all([a.resendInDoubt(c.id), b.resendInDoubt(c.id)]);
    const counts = [ra, rb].map((r) => (r && 'resent' in r ? r.resent : -1)).sort((x, y) => x - y);
    expect(counts).toEqual([0, 3]);
    expect(await settled(a, c.id)).toMatchObject({ status: 'done', sent: 4, inDoubt: 0, resent: 3, failed: 0 });
    expect(await a.resendInDoubt(c.id)).toMatchObject({ resent: 0 });
    await sleep(300);
    expect(delivered(env)).toEqual(ids.map((id) => `telegram:${id}`));
    expect((await a.report(c.id))!.inDoubtRecipients).toBeUndefined();

    // Cancelled with one recipient still in doubt: no resend.
    const x = campaignNamed('TB-resend-cancelled');
    await env.store.create(x, tg('9011', '9012'), 'running');
    await env.store.claim(x.id, 'telegram:9011', 0, 'dead#2', Date.now());
    await env.store.check(x.id, 'telegram:9011', 0, Date.now());
    expect((await a.cancel(x.id))!.status).toBe('cancelled');
    expect(await a.resendInDoubt(x.id)).toEqual({ error: 'cancelled' });
    expect(await a.resendInDoubt('TB-unknown')).toBeUndefined();
  });
});
