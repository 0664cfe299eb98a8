/** Drafts in Redis: one JSON value per (channel, user), its time to live restarted on every step. */
import type { Redis } from 'ioredis';
import type { ChannelName } from '../../core/conversation.js';
import type { Draft, DraftStore } from '../../core/registration/draft.js';
import { RedisJson } from './redis-json.js';

export class RedisDraftStore<T = Draft> implements DraftStore<T> {
  private readonly values: RedisJson<T>;

  /** @param keyOf the key of a user's draft (keys.draft for registration, keys.officerDraft for officers). */
  constructor(
    redis: Redis,
    private readonly keyOf: (channel: ChannelName, userId: string) => string,
    ttlSeconds: number,
  ) {
    this.values = new RedisJson(redis, ttlSeconds);
  }

  get(channel: ChannelName, userId: string): Promise<T | undefined> {
    return this.values.get(this.keyOf(channel, userId));
  }

  set(channel: ChannelName, userId: string, draft: T): Promise<void> {
    return this.values.set(this.keyOf(channel, userId), draft);
  }

  delete(channel: ChannelName, userId: string): Promise<void> {
    return this.values.delete(this.keyOf(channel, userId));
  }
}
