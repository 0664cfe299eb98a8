/**
 * The rules of campaign and recipient states, the same for both broadcasters: the Redis store (Lua scripts) and
 * the in-process one over a CampaignStore (local-states.ts). Each case runs against both, step by step: claims,
 * in-doubt, late outcomes, stale claims, giving a claim back, the resend rounds, cancelling, and the report.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryCampaignStore } from '../../../src/adapters/memory/memory-campaign-store.js';
import { RedisBroadcastStore } from '../../../src/adapters/redis/broadcast-store.js';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import { recipientKey } from '../../../src/core/broadcast/campaigns.js';
import type { RecipientStore } from '../../../src/core/broadcast/delivery.js';
import { LocalCampaignStates, systemClock } from '../../../src/core/broadcast/local-states.js';
import type { Campaign, CampaignReport, CampaignStatus, Recipient } from '../../../src/core/broadcast/types.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../../support/app.js';

interface UnderTest {
  states: RecipientStore;
  create(campaign: Campaign, recipients: Recipient[], status: CampaignStatus): Promise<void>;
  cancel(id: string, now: number): Promise<boolean>;
  /** How many were moved to a new round; undefined: refused. */
  resend(id: string, now: number): Promise<number | undefined>;
  report(id: string): Promise<CampaignReport | undefined>;
}

const prefix = uniquePrefix('recipient-states');
const redis = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  redis.disconnect();
  await dropPrefix(prefix);
});

const implementations: [string, () => UnderTest][] = [
  [
    'Redis store',
    () => {
      const store = new RedisBroadcastStore(redis, createKeys(`${prefix}-${Math.random().toString(36).slice(2)}`));
      return {
        states: store,
        create: (c, r, s) => store.create(c, r, s),
        cancel: (id, now) => store.cancel(id, now),
        resend: async (id, now) => (await store.resendInDoubt(id, now))?.length,
        report: (id) => store.report(id),
      };
    },
  ],
  [
    'local states over the memory CampaignStore',
    () => {
      const store = new MemoryCampaignStore();
      const states = new LocalCampaignStates(store, systemClock, async () => undefined);
      return {
        states,
        create: (campaign, recipients, status) =>
          store.create(
            { campaign, status, resent: 0 },
            recipients.map((r) => ({ ...r, key: recipientKey(r), state: 'pending', round: 0 })),
          ),
        cancel: (id, now) => states.cancel(id, now),
        resend: async (id, now) => (await states.resendInDoubt(id, now))?.length,
        report: (id) => states.report(id),
      };
    },
  ],
];

const T0 = Date.UTC(2026, 11, 1, 3);
const A = 'telegram:8001';
const B = 'zalo:z-8002';
const recipients: Recipient[] = [
  { channel: 'telegram', userId: '8001', chatId: '8001' },
  { channel: 'zalo', userId: 'z-8002', chatId: 'z-8002' },
];
const campaign = (id: string): Campaign => ({
  id,
  content: { text: 'Hội chợ OCOP' },
  urgent: false,
  createdBy: 'admin',
  createdAt: T0,
  startAt: T0,
});

describe.each(implementations)('recipient states: %s', (_name, make) => {
  it('claims, in doubt, a late outcome, a stale claim, a claim given back; done once all are settled', async () => {
    const u = make();
    const id = 'TB-2026-000001';
    await u.create(campaign(id), recipients, 'scheduled');
    expect(await u.report(id)).toMatchObject({ status: 'scheduled', total: 2, pending: 2 });
    expect(await u.states.check(id, A, 0, T0)).toBe('free');
    expect(await u.states.claim(id, A, 0, 'w1#1', T0 + 1)).toBe('claimed');
    expect(await u.report(id)).toMatchObject({ status: 'running', startedAt: T0 + 1, pending: 2 });
    // A job looking at A again finds it still claimed in its own round: its claimant stopped mid-send. In doubt,
    // and the outcome arriving late from the first claimant replaces the doubt; nobody else may record it.
    expect(await u.states.claim(id, A, 0, 'w2#1', T0 + 3)).toBe('in_doubt');
    expect(await u.states.check(id, A, 0, T0 + 3)).toBe('in_doubt');
    expect(await u.report(id)).toMatchObject({ inDoubt: 1, pending: 1 });
    expect(await u.states.finish(id, A, 'w2#1', 'sent', T0 + 4)).toBe('stale');
    expect(await u.states.finish(id, A, 'w1#1', 'sent', T0 + 4)).toBe('resolved');
    expect(await u.report(id)).toMatchObject({ inDoubt: 0, sent: 1 });
    expect(await u.states.check(id, A, 0, T0 + 5)).toBe('sent');

    // A claim given back (nothing was sent) may be claimed again; someone else's unclaim changes nothing.
    expect(await u.states.claim(id, B, 0, 'w1#2', T0 + 6)).toBe('claimed');
    await u.states.unclaim(id, B, 'w1#2');
    expect(await u.states.check(id, B, 0, T0 + 7)).toBe('free');
    expect(await u.states.claim(id, B, 0, 'w1#3', T0 + 8)).toBe('claimed');
    await u.states.unclaim(id, B, 'w9#9');
    expect(await u.states.finish(id, B, 'w1#3', 'blocked', T0 + 9)).toBe('recorded');
    expect(await u.report(id)).toMatchObject({
      status: 'done',
      total: 2,
      sent: 1,
      blocked: 1,
      pending: 0,
      finishedAt: T0 + 9,
      durationMs: 8,
    });
    expect(await u.cancel(id, T0 + 10)).toBe(false);
  });

  it('a resend moves each in-doubt recipient to the next round once; only that round may claim it', async () => {
    const u = make();
    const id = 'TB-2026-000002';
    await u.create(campaign(id), recipients.slice(0, 1), 'running');
    await u.states.claim(id, A, 0, 'w1#1', T0);
    expect(await u.states.check(id, A, 0, T0 + 1)).toBe('in_doubt');
    expect(await u.report(id)).toMatchObject({ status: 'done', inDoubt: 1, pending: 0, finishedAt: T0 + 1 });
    expect(await u.resend(id, T0 + 2)).toBe(1);
    expect(await u.resend(id, T0 + 2)).toBe(0);
    expect(await u.report(id)).toMatchObject({
      status: 'running',
      inDoubt: 0,
      pending: 1,
      resent: 1,
      resentAt: T0 + 2,
    });
    expect(await u.states.check(id, A, 0, T0 + 3)).toBe('resend');
    expect(await u.states.check(id, A, 1, T0 + 3)).toBe('free');
    expect(await u.states.claim(id, A, 1, 'w1#2', T0 + 3)).toBe('claimed');
    expect(await u.states.finish(id, A, 'w1#2', 'sent', T0 + 4)).toBe('recorded');
    // finishedAt stays the first completion.
    expect(await u.report(id)).toMatchObject({ status: 'done', sent: 1, resent: 1, finishedAt: T0 + 1 });
  });

  it('a cancel settles who was not reached; a send in flight still records its outcome; a cancelled campaign refuses a resend', async () => {
    const u = make();
    const id = 'TB-2026-000003';
    await u.create(campaign(id), recipients, 'running');
    await u.states.claim(id, A, 0, 'w1#1', T0);
    expect(await u.cancel(id, T0 + 1)).toBe(true);
    expect(await u.report(id)).toMatchObject({ status: 'cancelled', cancelled: 1, pending: 1 });
    expect(await u.states.check(id, B, 0, T0 + 2)).toBe('cancelled');
    expect(await u.states.finish(id, A, 'w1#1', 'sent', T0 + 3)).toBe('recorded');
    expect(await u.report(id)).toMatchObject({ status: 'cancelled', sent: 1, cancelled: 1, pending: 0 });
    expect(await u.cancel(id, T0 + 4)).toBe(true);
    expect(await u.resend(id, T0 + 5)).toBeUndefined();
    expect(await u.resend('TB-2026-000404', T0 + 5)).toBeUndefined();
  });
});
