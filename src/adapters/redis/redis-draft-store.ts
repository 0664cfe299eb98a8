/** Registration drafts in Redis: one JSON value per (channel, user), its time to live restarted on every step. */
import type { Redis } from 'ioredis';
import type { ChannelName } from '../../core/conversation.js';
import type { Draft, DraftStore } from '../../core/registration/draft.js';
import type { Keys } from './keys.js';
import { RedisJson } from './redis-json.js';

export class RedisDraftStore implements DraftStore {
  private readonly values: RedisJson<Draft>;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    ttlSeconds: number,
  ) {
    this.values = new RedisJson(redis, ttlSeconds);
  }

  get(channel: ChannelName, userId: string): Promise<Draft | undefined> {
    return this.values.get(this.keys.draft(channel, userId));
  }

  set(channel: ChannelName, userId: string, draft: Draft): Promise<void> {
    return this.values.set(this.keys.draft(channel, userId), draft);
  }

  delete(channel: ChannelName, userId: string): Promise<void> {
    return this.values.delete(this.keys.draft(channel, userId));
  }
}
