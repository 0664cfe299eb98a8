/**
 * Subscribers in Redis: one hash per (channel, user) and a set per channel listing them. No TTL, so only the
 * channels the bot can write to first (Telegram, Zalo) get records: a web or terminal visitor never does.
 */
import type { Redis } from 'ioredis';
import type { ChannelName } from '../../core/conversation.js';
import type { Subscriber, SubscriberStore } from '../../core/subscribers.js';
import type { Keys } from './keys.js';

function fromHash(channel: ChannelName, userId: string, h: Record<string, string>): Subscriber | undefined {
  if (!h.firstSeen) return undefined;
  return {
    channel,
    userId,
    displayName: h.displayName || undefined,
    chatId: h.chatId || undefined,
    firstSeen: Number(h.firstSeen),
    lastSeen: Number(h.lastSeen ?? h.firstSeen),
    optedIn: h.optedIn === '1',
    active: h.active !== '0',
    inactiveReason: h.inactiveReason || undefined,
    commune: h.commune || undefined,
    productGroup: h.productGroup || undefined,
  };
}

/** Channels where the bot can write first (announcements, status changes): only they have subscribers. */
const PUSH_CHANNELS: ReadonlySet<ChannelName> = new Set(['telegram', 'zalo']);

/** A user seen again this soon, with the same name and chat, is not written again: `lastSeen` is this coarse. */
const TOUCH_REFRESH_MS = 60_000;
const MAX_REMEMBERED_TOUCHES = 10_000;

export class RedisSubscriberStore implements SubscriberStore {
  /** What this process last wrote in `touch`, per user: most messages come from someone seen a moment ago. */
  private readonly touched = new Map<string, { at: number; displayName?: string; chatId?: string }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async touch(
    channel: ChannelName,
    userId: string,
    seen: { displayName?: string; chatId?: string; at: number },
  ): Promise<void> {
    // Anyone can invent web user ids: recording them would let a script grow Redis without limit.
    if (!PUSH_CHANNELS.has(channel)) return;
    const key = this.keys.subscriber(channel, userId);
    const last = this.touched.get(key);
    if (
      last &&
      seen.at - last.at < TOUCH_REFRESH_MS &&
      seen.at >= last.at &&
      (seen.displayName ?? last.displayName) === last.displayName &&
      (seen.chatId ?? last.chatId) === last.chatId
    )
      return;
    const fields: Record<string, string> = { lastSeen: String(seen.at), active: '1', inactiveReason: '' };
    if (seen.displayName) fields.displayName = seen.displayName;
    if (seen.chatId) fields.chatId = seen.chatId;
    // Plain commands, not MULTI: auto-pipelining sends them in one write with other users' commands.
    const r = this.redis;
    await Promise.all([
      r.hsetnx(key, 'firstSeen', String(seen.at)),
      r.hsetnx(key, 'optedIn', '0'),
      r.hset(key, fields),
      r.sadd(this.keys.subscriberIndex(channel), userId),
    ]);
    if (this.touched.size >= MAX_REMEMBERED_TOUCHES) this.touched.clear();
    this.touched.set(key, { at: seen.at, displayName: seen.displayName, chatId: seen.chatId });
  }

  async get(channel: ChannelName, userId: string): Promise<Subscriber | undefined> {
    return fromHash(channel, userId, await this.redis.hgetall(this.keys.subscriber(channel, userId)));
  }

  async setOptIn(channel: ChannelName, userId: string, optedIn: boolean): Promise<void> {
    await this.setFields(channel, userId, { optedIn: optedIn ? '1' : '0' });
  }

  async markInactive(channel: ChannelName, userId: string, reason: string): Promise<void> {
    await this.setFields(channel, userId, { active: '0', inactiveReason: reason });
  }

  async markActive(channel: ChannelName, userId: string): Promise<void> {
    await this.setFields(channel, userId, { active: '1', inactiveReason: '' });
  }

  async update(
    channel: ChannelName,
    userId: string,
    fields: Pick<Subscriber, 'commune' | 'productGroup'>,
  ): Promise<void> {
    const values = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    if (Object.keys(values).length) await this.setFields(channel, userId, values);
  }

  async list(channel: ChannelName): Promise<Subscriber[]> {
    const ids = await this.redis.smembers(this.keys.subscriberIndex(channel));
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.subscriber(channel, id));
    const results = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => fromHash(channel, id, (results[i]?.[1] ?? {}) as Record<string, string>) ?? []);
  }

  /** Changes fields of a known subscriber only: an event about a stranger creates nothing. */
  private async setFields(channel: ChannelName, userId: string, fields: Record<string, string>): Promise<void> {
    const key = this.keys.subscriber(channel, userId);
    // The next message writes the record in full again (marked inactive, it becomes active).
    this.touched.delete(key);
    if (await this.redis.exists(key)) await this.redis.hset(key, fields);
  }
}
