/**
 * Campaigns in Redis: a hash per campaign (description and counters), a hash of per-recipient states, and the
 * recipient list. State changes and counters move together in Lua scripts, so the report always adds up and a
 * recipient is counted once whatever the number of workers, retries and restarts.
 */
import type { Redis } from 'ioredis';
import {
  campaignFacts,
  type Campaign,
  type CampaignReport,
  type CampaignStatus,
  type Recipient,
} from '../../core/broadcast/types.js';
import type { Keys } from './keys.js';
import { runScript } from './lua.js';
import type { ClaimOutcome, FinalOutcome, RecipientStore } from '../../core/broadcast/delivery.js';
import type { PacingStore } from '../../core/broadcast/pacing.js';
import type { InDoubtEntry } from '../../core/broadcast/campaigns.js';
import { campaignId } from '../../core/broadcast/campaign-store.js';

const COUNTERS = ['total', 'sent', 'failed', 'blocked', 'cancelled', 'inDoubt', 'resent'] as const;

const IN_DOUBT = /^in_doubt:(\d+):(\d+):(.+)#\d+$/;

export class RedisBroadcastStore implements RecipientStore, PacingStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async nextId(at: number): Promise<string> {
    const seq = await this.redis.incr(this.keys.broadcastSequence());
    return campaignId(at, seq);
  }

  async create(campaign: Campaign, recipients: Recipient[], status: CampaignStatus): Promise<void> {
    const { id } = campaign;
    const m = this.redis.multi();
    m.hset(this.keys.broadcast(id), {
      campaign: JSON.stringify(campaign),
      status,
      total: recipients.length,
      sent: 0,
      failed: 0,
      blocked: 0,
      cancelled: 0,
      inDoubt: 0,
      resent: 0,
    });
    if (recipients.length) m.rpush(this.keys.broadcastRecipients(id), ...recipients.map((r) => JSON.stringify(r)));
    else m.hset(this.keys.broadcast(id), { status: 'done', finishedAt: campaign.createdAt });
    m.zadd(this.keys.broadcastIndex(), campaign.createdAt, id);
    await m.exec();
  }

  async campaign(id: string): Promise<Campaign | undefined> {
    const raw = await this.redis.hget(this.keys.broadcast(id), 'campaign');
    return raw ? (JSON.parse(raw) as Campaign) : undefined;
  }

  async report(id: string): Promise<CampaignReport | undefined> {
    const h = await this.redis.hgetall(this.keys.broadcast(id));
    if (!h.campaign) return undefined;
    const c = JSON.parse(h.campaign) as Campaign;
    const n = Object.fromEntries(COUNTERS.map((k) => [k, Number(h[k] ?? 0)])) as Record<
      (typeof COUNTERS)[number],
      number
    >;
    return {
      ...campaignFacts(c, {
        startedAt: h.startedAt ? Number(h.startedAt) : undefined,
        finishedAt: h.finishedAt ? Number(h.finishedAt) : undefined,
      }),
      id,
      status: h.status as CampaignStatus,
      ...n,
      pending: Math.max(0, n.total - n.sent - n.failed - n.blocked - n.cancelled - n.inDoubt),
      ...(h.resentAt ? { resentAt: Number(h.resentAt) } : {}),
    };
  }

  async list(limit = 50): Promise<CampaignReport[]> {
    const ids = await this.redis.zrevrange(this.keys.broadcastIndex(), 0, limit - 1);
    const reports = await Promise.all(ids.map((id) => this.report(id)));
    return reports.filter((r): r is CampaignReport => r !== undefined);
  }

  check(id: string, recipient: string, round: number, now: number): Promise<ClaimOutcome> {
    return runScript(
      this.redis,
      'broadcast-claim',
      [this.keys.broadcastState(id), this.keys.broadcast(id)],
      [recipient, now, round, '', 'check'],
    ) as Promise<ClaimOutcome>;
  }

  claim(id: string, recipient: string, round: number, claimId: string, now: number): Promise<ClaimOutcome> {
    return runScript(
      this.redis,
      'broadcast-claim',
      [this.keys.broadcastState(id), this.keys.broadcast(id)],
      [recipient, now, round, claimId, 'claim'],
    ) as Promise<ClaimOutcome>;
  }

  async finish(
    id: string,
    recipient: string,
    claimId: string,
    outcome: FinalOutcome,
    now: number,
  ): Promise<'recorded' | 'resolved' | 'stale'> {
    const r = await runScript(
      this.redis,
      'broadcast-finish',
      [this.keys.broadcastState(id), this.keys.broadcast(id)],
      [recipient, outcome, now, claimId],
    );
    return r === 2 ? 'resolved' : r === 1 ? 'recorded' : 'stale';
  }

  async unclaim(id: string, recipient: string, claimId: string): Promise<void> {
    await runScript(this.redis, 'broadcast-unclaim', [this.keys.broadcastState(id)], [recipient, claimId]);
  }

  /**
   * Moves every in-doubt recipient to a new round for an officer's resend (atomically: a second call at once finds
   * none): the recipients and rounds to enqueue; undefined for a cancelled or unknown campaign.
   */
  async resendInDoubt(id: string, now: number): Promise<{ field: string; round: number }[] | undefined> {
    const out = (await runScript(
      this.redis,
      'broadcast-resend',
      [this.keys.broadcast(id), this.keys.broadcastState(id)],
      [now],
    )) as (string | number)[];
    if (Number(out[0]) < 0) return undefined;
    const moved: { field: string; round: number }[] = [];
    for (let i = 1; i + 1 < out.length; i += 2) moved.push({ field: String(out[i]), round: Number(out[i + 1]) });
    return moved;
  }

  /** The recipients recorded as in doubt, earliest claim first (at most `limit`). */
  async inDoubt(id: string, limit = Infinity): Promise<InDoubtEntry[]> {
    const entries: InDoubtEntry[] = [];
    for (const [field, state] of Object.entries(await this.states(id))) {
      const m = IN_DOUBT.exec(state);
      if (!m) continue;
      const colon = field.indexOf(':');
      entries.push({
        channel: field.slice(0, colon),
        userId: field.slice(colon + 1),
        claimedAt: Number(m[1]),
        round: Number(m[2]),
        worker: m[3]!,
      });
    }
    return entries.sort((a, b) => a.claimedAt - b.claimedAt).slice(0, limit);
  }

  /** Cancels what is not yet sent; false when the campaign was already finished or cancelled. */
  async cancel(id: string, now: number): Promise<boolean> {
    const keys = [this.keys.broadcast(id), this.keys.broadcastState(id), this.keys.broadcastRecipients(id)];
    const n = await runScript(this.redis, 'broadcast-cancel', keys, [now]);
    return Number(n) > 0 || (await this.redis.hget(this.keys.broadcast(id), 'status')) === 'cancelled';
  }

  async isCancelled(id: string): Promise<boolean> {
    return (await this.redis.hget(this.keys.broadcast(id), 'status')) === 'cancelled';
  }

  async recipients(id: string): Promise<Recipient[]> {
    return (await this.redis.lrange(this.keys.broadcastRecipients(id), 0, -1)).map((r) => JSON.parse(r) as Recipient);
  }

  async states(id: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.broadcastState(id));
  }

  /**
   * Reserves the channel's next send slot (`intervalMs` apart across every worker process, no bursts): its time
   * on Redis's clock (ms) and how long from now until it.
   */
  async reserveSlot(channel: string, intervalMs: number, extraDelayMs = 0): Promise<{ slot: number; wait: number }> {
    const [slot, wait] = (await runScript(
      this.redis,
      'broadcast-reserve-slot',
      [this.keys.broadcastSlot(channel)],
      [Math.round(intervalMs), Math.round(extraDelayMs)],
    )) as [number, number];
    return { slot: Number(slot), wait: Number(wait) };
  }

  /** Waits until the chat may receive another announcement (at most one per chat per interval; 0: no gate). */
  async passChatGate(channel: string, chatId: string, intervalMs: number): Promise<void> {
    if (intervalMs <= 0) return;
    const key = this.keys.broadcastChatGate(channel, chatId);
    for (;;) {
      if ((await this.redis.set(key, '1', 'PX', intervalMs, 'NX')) === 'OK') return;
      const left = await this.redis.pttl(key);
      await new Promise((r) => setTimeout(r, Math.max(10, left)));
    }
  }

  /** Keeps a passed chat gate closed for `ms` from now (the send may wait for its slot after passing the gate). */
  async holdChatGate(channel: string, chatId: string, ms: number): Promise<void> {
    if (ms > 0) await this.redis.set(this.keys.broadcastChatGate(channel, chatId), '1', 'PX', Math.ceil(ms));
  }
}
