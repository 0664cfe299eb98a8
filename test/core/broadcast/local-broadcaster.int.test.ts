/**
 * The in-process broadcaster (no Redis) with the memory CampaignStore, memory subscribers and submissions, and
 * the real Telegram and Zalo senders against the fake platforms. Time is a manual clock: quiet hours, sendAt,
 * pacing and retries are tested by what was scheduled and sent, never by how long it took. A "restart" is a new
 * broadcaster over the same store, as a restarted process finds its database file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCampaignStore } from '../../../src/adapters/memory/memory-campaign-store.js';
import { MemorySubmissionStore } from '../../../src/adapters/memory/memory-submission-store.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-subscriber-store.js';
import { createTelegramSender } from '../../../src/channels/telegram/telegram-sender.js';
import { createZaloSender } from '../../../src/channels/zalo/zalo-sender.js';
import type { Broadcaster } from '../../../src/core/broadcast/broadcaster.js';
import { createLocalBroadcaster, type LocalBroadcasterOptions } from '../../../src/core/broadcast/local-broadcaster.js';
import type { BroadcastChannel, CampaignReport } from '../../../src/core/broadcast/types.js';
import { silentLogger } from '../../../src/core/logger.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../../fakes/fake-zalo-server.js';
import { manualClock, type ManualClock } from '../../support/manual-clock.js';
import { HOUR, sampleForm } from '../../support/submissions.js';

const TG_TOKEN = '8080:local-broadcaster-test';
const ZALO_TOKEN = 'zalo-local-broadcaster-token';
const SENDER = 'Văn phòng Điều phối NTM tỉnh Cao Bằng';
const FOOTER = 'Muốn dừng nhận thông báo, bạn gõ "hủy nhận thông báo".';
const text = 'Hội chợ OCOP Cao Bằng khai mạc ngày 15/12 tại Quảng trường Cao Bằng.';
const VN = 7 * HOUR;
/** 2026-12-01 10:00 in Vietnam. */
const MORNING = Date.UTC(2026, 11, 1, 10) - VN;
/** 2026-12-01 23:30 in Vietnam. */
const NIGHT = Date.UTC(2026, 11, 1, 23, 30) - VN;

type Slot = Parameters<NonNullable<LocalBroadcasterOptions['onSlot']>>[0];

interface Env {
  clock: ManualClock;
  store: MemoryCampaignStore;
  subscribers: MemorySubscriberStore;
  submissions: MemorySubmissionStore;
  tg: FakeTelegramServer;
  zalo: FakeZaloServer;
  slots: Slot[];
  broadcaster(
    o?: Partial<LocalBroadcasterOptions> & { start?: boolean; perSecond?: number; perChatIntervalMs?: number },
  ): Promise<Broadcaster>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function setup(start = MORNING): Promise<Env> {
  const tg = await startFakeTelegramServer();
  const zalo = await startFakeZaloServer({ token: ZALO_TOKEN });
  cleanups.push(
    () => tg.close(),
    () => zalo.close(),
  );
  const env: Env = {
    clock: manualClock(start),
    store: new MemoryCampaignStore(),
    subscribers: new MemorySubscriberStore(),
    submissions: new MemorySubmissionStore(),
    tg,
    zalo,
    slots: [],
    async broadcaster({ start = true, perSecond = 20, perChatIntervalMs = 200, ...o } = {}) {
      const b = createLocalBroadcaster({
        store: env.store,
        subscribers: env.subscribers,
        submissions: env.submissions,
        senders: [createTelegramSender(TG_TOKEN, tg.apiRoot), createZaloSender(ZALO_TOKEN, zalo.apiRoot)],
        limits: { telegram: { perSecond, perChatIntervalMs }, zalo: { perSecond, perChatIntervalMs } },
        frame: { sender: SENDER, footer: FOOTER },
        quietHours: { from: 22, to: 6 },
        logger: silentLogger,
        clock: env.clock,
        onSlot: (s) => env.slots.push(s),
        ...o,
      });
      cleanups.push(() => b.close());
      if (start) await b.start();
      return b;
    },
  };
  return env;
}

async function subscriber(
  env: Env,
  channel: BroadcastChannel,
  userId: string,
  o: { optedIn?: boolean; commune?: string } = {},
) {
  await env.subscribers.touch(channel, userId, { displayName: `Nông dân ${userId}`, at: env.clock.now() });
  if (o.optedIn ?? true) await env.subscribers.setOptIn(channel, userId, true);
  if (o.commune) await env.subscribers.update(channel, userId, { commune: o.commune });
}

function delivered(env: Env): string[] {
  return [
    ...env.tg.messages.map((m) => `telegram:${m.chatId}`),
    ...env.zalo.sent.map((m) => `zalo:${m.chatId}`),
  ].sort();
}

/** Lets time pass (100 ms a step) until nothing of the campaign is pending. */
async function settled(env: Env, b: Broadcaster, id: string): Promise<CampaignReport> {
  await expect
    .poll(
      async () => {
        await env.clock.advance(100);
        return (await b.report(id))?.pending;
      },
      { timeout: 20_000, interval: 5 },
    )
    .toBe(0);
  return (await b.report(id))!;
}

describe('local broadcaster (memory CampaignStore, real senders against fake platforms, manual clock)', () => {
  it('sends to the audience with the sender line and the stop footer, and reports the counts', async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7001', { commune: 'Xã Quảng Lâm' });
    await subscriber(env, 'telegram', '7002', { commune: 'Xã Hưng Đạo' });
    await subscriber(env, 'telegram', '7003', { optedIn: false });
    await subscriber(env, 'zalo', 'z-01', { commune: 'Xã Quảng Lâm' });
    const form = sampleForm({ commune: 'Xã Quảng Lâm' });
    await env.submissions.create({ channel: 'telegram', userId: '7002', form, idempotencyKey: 'd-7002', at: 1 });
    const b = await env.broadcaster();

    const preview = await b.preview({ text }, { communes: ['Xã Quảng Lâm'] });
    expect(preview).toMatchObject({ recipients: 3, byChannel: { telegram: 2, zalo: 1 } });
    expect(preview.preview).toBe(`${SENDER}\n\n${text}\n\n${FOOTER}`);

    const created = await b.create({ content: { text }, segment: { communes: ['Xã Quảng Lâm'] }, createdBy: 'admin' });
    expect(created).toMatchObject({ id: 'TB-2026-000001', status: 'running', total: 3, pending: 3 });
    const report = await settled(env, b, created.id);
    expect(report).toMatchObject({ status: 'done', sent: 3, failed: 0, inDoubt: 0 });
    expect(delivered(env)).toEqual(['telegram:7001', 'telegram:7002', 'zalo:z-01']);
    const message = env.tg.messagesTo('7001')[0]!.text;
    expect(message.startsWith(SENDER)).toBe(true);
    expect(message).toContain(text);
    expect(message.endsWith(FOOTER)).toBe(true);
    expect((await b.list()).map((r) => r.id)).toEqual(['TB-2026-000001']);
  });

  it('quiet hours: at 23:30 a campaign waits for 06:00 and nothing goes out; an urgent one goes at once', async () => {
    const env = await setup(NIGHT);
    await subscriber(env, 'telegram', '7101');
    const b = await env.broadcaster();
    const night = await b.create({ content: { text }, createdBy: 'admin' });
    expect(night.status).toBe('scheduled');
    expect(night.startAt).toBe(Date.UTC(2026, 11, 2, 6) - VN);
    await env.clock.advanceTo(night.startAt - 60_000);
    expect(delivered(env)).toEqual([]);
    const urgent = await b.create({ content: { text: 'Khẩn: mưa lũ' }, urgent: true, createdBy: 'admin' });
    await settled(env, b, urgent.id);
    expect(env.tg.messages.map((m) => m.text)).toEqual([`${SENDER}\n\nKhẩn: mưa lũ\n\n${FOOTER}`]);
    await env.clock.advance(60_000);
    expect((await settled(env, b, night.id)).sent).toBe(1);
    expect(delivered(env)).toEqual(['telegram:7101', 'telegram:7101']);
  });

  it('a scheduled campaign survives a restart over the same store and is sent once at sendAt; a cancelled one stays silent', async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7201');
    await subscriber(env, 'zalo', 'z-21');
    const first = await env.broadcaster();
    const sendAt = MORNING + 2 * HOUR;
    const kept = await first.create({ content: { text }, sendAt, createdBy: 'admin' });
    const dropped = await first.create({ content: { text: 'Huỷ' }, sendAt, createdBy: 'admin' });
    expect(kept.status).toBe('scheduled');
    await first.close();

    const second = await env.broadcaster();
    expect((await second.cancel(dropped.id))?.status).toBe('cancelled');
    await env.clock.advanceTo(sendAt - 1000);
    expect(delivered(env)).toEqual([]);
    await env.clock.advanceTo(sendAt);
    expect(await settled(env, second, kept.id)).toMatchObject({ status: 'done', sent: 2 });
    expect(await second.report(dropped.id)).toMatchObject({ status: 'cancelled', cancelled: 2, sent: 0 });
    expect(delivered(env)).toEqual(['telegram:7201', 'zalo:z-21']);
    expect(await second.cancel('TB-2026-000099')).toBeUndefined();
  });

  it('a 5xx is retried and delivered once; a 400 is failed at once; a 403 is blocked and the subscriber inactive', async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7301');
    const b = await env.broadcaster();
    env.tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 2);
    const retried = await settled(env, b, (await b.create({ content: { text }, createdBy: 'admin' })).id);
    expect(retried).toMatchObject({ sent: 1, failed: 0 });
    expect(env.tg.messagesTo('7301')).toHaveLength(1);

    env.tg.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    const failed = await settled(env, b, (await b.create({ content: { text }, createdBy: 'admin' })).id);
    expect(failed).toMatchObject({ sent: 0, failed: 1 });

    env.tg.blockChat('7301');
    const blocked = await settled(env, b, (await b.create({ content: { text }, createdBy: 'admin' })).id);
    expect(blocked).toMatchObject({ sent: 0, blocked: 1 });
    expect((await env.subscribers.get('telegram', '7301'))?.active).toBe(false);
  });

  it('pacing: slots of a channel at least 1/perSecond apart; two campaigns to one chat at least perChatIntervalMs apart', async () => {
    const env = await setup();
    for (let i = 0; i < 12; i++) await subscriber(env, 'telegram', String(7400 + i));
    const b = await env.broadcaster({ perSecond: 10, perChatIntervalMs: 5000 });
    const one = await b.create({ content: { text }, createdBy: 'admin' });
    const two = await b.create({ content: { text: 'Lần hai' }, createdBy: 'admin' });
    await settled(env, b, one.id);
    await settled(env, b, two.id);
    expect(env.tg.messages).toHaveLength(24);
    const times = env.slots.map((s) => s.slot).sort((x, y) => x - y);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    const toFirst = env.slots.filter((s) => s.chatId === '7400').map((s) => s.slot);
    expect(toFirst).toHaveLength(2);
    expect(toFirst[1]! - toFirst[0]!).toBeGreaterThanOrEqual(5000);
  });

  it('a send claimed when the process stopped is in doubt after the restart, never sent on its own; the resend sends it once', async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7501');
    await subscriber(env, 'telegram', '7502');
    const first = await env.broadcaster({ start: false });
    const c = await first.create({ content: { text }, createdBy: 'admin' });
    // As a process killed mid-request leaves it: 7501 claimed, its outcome never written.
    const [r1] = (await env.store.recipients(c.id)).filter((r) => r.userId === '7501');
    await env.store.save(c.id, {
      recipients: [{ ...r1!, state: 'claimed', claimedAt: env.clock.now(), claimId: 'host-1-4242-abc#1' }],
    });

    const second = await env.broadcaster();
    const report = await settled(env, second, c.id);
    expect(report).toMatchObject({ status: 'done', sent: 1, inDoubt: 1 });
    expect(report.inDoubtRecipients).toEqual([
      { channel: 'telegram', name: 'Nông dân 7501', maskedId: '•••501', claimedAt: MORNING, worker: 'host-1-4242-abc' },
    ]);
    expect(delivered(env)).toEqual(['telegram:7502']);

    const [a, again] = await Promise.all([second.resendInDoubt(c.id), second.resendInDoubt(c.id)]);
    expect([a, again].map((r) => (r && 'resent' in r ? r.resent : r))).toEqual([1, 0]);
    expect(await settled(env, second, c.id)).toMatchObject({ status: 'done', sent: 2, inDoubt: 0, resent: 1 });
    expect(delivered(env)).toEqual(['telegram:7501', 'telegram:7502']);
    expect(await second.resendInDoubt('TB-2026-000099')).toBeUndefined();
  });

  it('close() stops sends waiting for their slot without claiming them; the next start sends the rest, each once', async () => {
    const env = await setup();
    for (let i = 0; i < 10; i++) await subscriber(env, 'telegram', String(7600 + i));
    const first = await env.broadcaster({ perSecond: 1 });
    const c = await first.create({ content: { text }, createdBy: 'admin' });
    await expect
      .poll(
        async () => {
          await env.clock.advance(100);
          return env.tg.messages.length;
        },
        { timeout: 20_000, interval: 5 },
      )
      .toBeGreaterThanOrEqual(3);
    await first.close();
    const stopped = (await first.report(c.id))!;
    expect(stopped).toMatchObject({ status: 'running', inDoubt: 0 });
    expect(stopped.sent).toBe(env.tg.messages.length);
    expect(stopped.sent).toBeLessThan(10);

    const second = await env.broadcaster({ perSecond: 1 });
    expect(await settled(env, second, c.id)).toMatchObject({ status: 'done', sent: 10, inDoubt: 0 });
    expect(new Set(env.tg.messages.map((m) => m.chatId)).size).toBe(10);
    expect(env.tg.messages).toHaveLength(10);
  });
  it("a 429 pushes the channel's next slot back by retry_after, and the announcement is still delivered once", async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7701');
    await subscriber(env, 'telegram', '7702');
    env.tg.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      retry_after: 3,
    });
    const b = await env.broadcaster({ concurrency: 1 });
    const c = await b.create({ content: { text }, createdBy: 'admin' });
    expect(await settled(env, b, c.id)).toMatchObject({ status: 'done', sent: 2, failed: 0, inDoubt: 0 });
    expect(env.tg.callsOf('sendMessage').map((x) => x.status)).toEqual([429, 200, 200]);
    expect(delivered(env)).toEqual(['telegram:7701', 'telegram:7702']);
    expect(env.slots).toHaveLength(3);
    expect(env.slots[1]!.slot - env.slots[0]!.slot).toBeGreaterThanOrEqual(3000);
  });

  it('close() lets a request in flight finish and records it: sent, not in doubt, and not sent again after a restart', async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7801');
    const first = await env.broadcaster();
    const held = env.tg.holdNext('sendMessage');
    let arrived = false;
    void held.arrived.then(() => (arrived = true));
    cleanups.push(async () => held.release());
    const c = await first.create({ content: { text }, createdBy: 'admin' });
    await expect
      .poll(
        async () => {
          await env.clock.advance(100);
          return arrived;
        },
        { timeout: 20_000, interval: 5 },
      )
      .toBe(true);
    const closing = first.close();
    held.release();
    await closing;
    expect(await first.report(c.id)).toMatchObject({ status: 'done', sent: 1, inDoubt: 0 });
    const second = await env.broadcaster();
    await env.clock.advance(10_000);
    expect(await second.report(c.id)).toMatchObject({ status: 'done', sent: 1, inDoubt: 0 });
    expect(env.tg.messagesTo('7801')).toHaveLength(1);
  });
  it('a store that fails for a while (a busy database): reads and writes are retried, each recipient is sent once and recorded', async () => {
    const env = await setup();
    await subscriber(env, 'telegram', '7901');
    await subscriber(env, 'telegram', '7902');
    let failReads = 2;
    let failSaves = 3;
    const flaky = Object.assign(Object.create(env.store) as MemoryCampaignStore, {
      recipient: async (id: string, key: string) => {
        if (failReads-- > 0) throw new Error('database is locked');
        return env.store.recipient(id, key);
      },
      save: async (...args: Parameters<MemoryCampaignStore['save']>) => {
        if (failSaves-- > 0) throw new Error('database is locked');
        return env.store.save(...args);
      },
    });
    const b = await env.broadcaster({ store: flaky });
    const c = await b.create({ content: { text }, createdBy: 'admin' });
    expect(await settled(env, b, c.id)).toMatchObject({ status: 'done', sent: 2, inDoubt: 0, failed: 0 });
    expect(delivered(env)).toEqual(['telegram:7901', 'telegram:7902']);
    expect([failReads, failSaves].every((n) => n < 0)).toBe(true);
  });
});
