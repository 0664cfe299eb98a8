/**
 * Campaigns in Redis: a hash per campaign (description and counters), a hash of per-recipient states, and the
 * recipient list. State changes and counters move together in Lua scripts, so the report always adds up and a
 * recipient is counted once whatever the number of workers, retries and restarts.
 */
import type { Redis } from 'ioredis';
import type { Campaign, CampaignReport, CampaignStatus, Recipient } from '../../core/broadcast/types.js';
import type { Keys } from './keys.js';

export type ClaimOutcome = 'claimed' | 'in_doubt' | 'sent' | 'failed' | 'blocked' | 'cancelled';
/** 'cancelled' here: the campaign was cancelled while this send waited for its slot. */
export type FinalOutcome = 'sent' | 'failed' | 'blocked' | 'cancelled';

const COUNTERS = ['total', 'sent', 'failed', 'blocked', 'cancelled', 'inDoubt'] as const;

// Sets the campaign done (or leaves it cancelled) once every recipient has a final state.
const FINISH_IF_COMPLETE = `
local function finishIfComplete(campaign, now)
  local h = redis.call('HMGET', campaign, 'total', 'sent', 'failed', 'blocked', 'cancelled', 'status')
  local settled = tonumber(h[2] or 0) + tonumber(h[3] or 0) + tonumber(h[4] or 0) + tonumber(h[5] or 0)
  if settled >= tonumber(h[1] or 0) and redis.call('HEXISTS', campaign, 'finishedAt') == 0 then
    if h[6] ~= 'cancelled' then redis.call('HSET', campaign, 'status', 'done') end
    redis.call('HSET', campaign, 'finishedAt', now)
  end
end`;

/** KEYS: state, campaign. ARGV: recipient, now. */
const CLAIM = `${FINISH_IF_COMPLETE}
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s then
  if string.sub(s, 1, 7) == 'sending' then return 'in_doubt' end
  return s
end
if redis.call('HGET', KEYS[2], 'status') == 'cancelled' then
  redis.call('HSET', KEYS[1], ARGV[1], 'cancelled')
  redis.call('HINCRBY', KEYS[2], 'cancelled', 1)
  finishIfComplete(KEYS[2], ARGV[2])
  return 'cancelled'
end
redis.call('HSET', KEYS[1], ARGV[1], 'sending:' .. ARGV[2])
redis.call('HSETNX', KEYS[2], 'startedAt', ARGV[2])
if redis.call('HGET', KEYS[2], 'status') == 'scheduled' then redis.call('HSET', KEYS[2], 'status', 'running') end
return 'claimed'`;

/** KEYS: state, campaign. ARGV: recipient, outcome, now, inDoubt (0/1). */
const FINISH = `${FINISH_IF_COMPLETE}
local s = redis.call('HGET', KEYS[1], ARGV[1])
if not s or string.sub(s, 1, 7) ~= 'sending' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[2], 'inDoubt', 1) end
finishIfComplete(KEYS[2], ARGV[3])
return 1`;

/** KEYS: state. ARGV: recipient. Gives a claimed recipient back for a retry. */
const UNCLAIM = `
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s and string.sub(s, 1, 7) == 'sending' then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
return 0`;

/** KEYS: campaign, state, recipients. ARGV: now. Every recipient not yet reached becomes cancelled. */
const CANCEL = `${FINISH_IF_COMPLETE}
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'done' or status == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
local n = 0
for _, raw in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
  local r = cjson.decode(raw)
  local field = r.channel .. ':' .. r.userId
  if redis.call('HSETNX', KEYS[2], field, 'cancelled') == 1 then n = n + 1 end
end
redis.call('HINCRBY', KEYS[1], 'cancelled', n)
finishIfComplete(KEYS[1], ARGV[1])
return n`;

/**
 * KEYS: slot. ARGV: interval ms, extra delay ms. Reserves the channel's next send slot on Redis's clock and
 * returns how long to wait for it. With an extra delay (a 429's retry_after) every later slot moves back too.
 */
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now + tonumber(ARGV[2]), last + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], slot, 'PX', slot - now + 60000)
return {slot, slot - now}`;

export const recipientKey = (r: Pick<Recipient, 'channel' | 'userId'>) => `${r.channel}:${r.userId}`;

export class RedisBroadcastStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async nextId(at: number): Promise<string> {
    const seq = await this.redis.incr(this.keys.broadcastSequence());
    return `TB-${new Date(at + 7 * 3600 * 1000).getUTCFullYear()}-${String(seq).padStart(6, '0')}`;
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
    const startedAt = h.startedAt ? Number(h.startedAt) : undefined;
    const finishedAt = h.finishedAt ? Number(h.finishedAt) : undefined;
    return {
      id,
      status: h.status as CampaignStatus,
      ...n,
      pending: Math.max(0, n.total - n.sent - n.failed - n.blocked - n.cancelled),
      text: c.content.text,
      urgent: c.urgent,
      segment: c.segment,
      createdAt: c.createdAt,
      startAt: c.startAt,
      startedAt,
      finishedAt,
      durationMs: startedAt !== undefined && finishedAt !== undefined ? finishedAt - startedAt : undefined,
    };
  }

  async list(limit = 50): Promise<CampaignReport[]> {
    const ids = await this.redis.zrevrange(this.keys.broadcastIndex(), 0, limit - 1);
    const reports = await Promise.all(ids.map((id) => this.report(id)));
    return reports.filter((r): r is CampaignReport => r !== undefined);
  }

  claim(id: string, recipient: string, now: number): Promise<ClaimOutcome> {
    return this.redis.eval(
      CLAIM,
      2,
      this.keys.broadcastState(id),
      this.keys.broadcast(id),
      recipient,
      now,
    ) as Promise<ClaimOutcome>;
  }

  async finish(id: string, recipient: string, outcome: FinalOutcome, now: number, inDoubt = false): Promise<boolean> {
    const r = await this.redis.eval(
      FINISH,
      2,
      this.keys.broadcastState(id),
      this.keys.broadcast(id),
      recipient,
      outcome,
      now,
      inDoubt ? '1' : '0',
    );
    return r === 1;
  }

  async unclaim(id: string, recipient: string): Promise<void> {
    await this.redis.eval(UNCLAIM, 1, this.keys.broadcastState(id), recipient);
  }

  /** Cancels what is not yet sent; false when the campaign was already finished or cancelled. */
  async cancel(id: string, now: number): Promise<boolean> {
    const n = await this.redis.eval(
      CANCEL,
      3,
      this.keys.broadcast(id),
      this.keys.broadcastState(id),
      this.keys.broadcastRecipients(id),
      now,
    );
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

  /** Reserves the channel's next send slot (`intervalMs` apart across every worker process, no bursts); returns the ms to wait for it. */
  /** The channel's next send slot (Redis time, ms) and how long from now until it. */
  async reserveSlot(channel: string, intervalMs: number, extraDelayMs = 0): Promise<{ slot: number; wait: number }> {
    const [slot, wait] = (await this.redis.eval(
      RESERVE_SLOT,
      1,
      this.keys.broadcastSlot(channel),
      Math.round(intervalMs),
      Math.round(extraDelayMs),
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
