/** Registration drafts in Redis: one JSON value per (channel, user), its time to live restarted on every step. */
import type { Redis } from 'ioredis';
import type { ChannelName } from '../../core/conversation.js';
import type { Draft, DraftStore } from '../../core/registration/dialog.js';
import type { Keys } from './keys.js';

export class RedisDraftStore implements DraftStore {
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly ttlSeconds: number) {}

  async get(channel: ChannelName, userId: string): Promise<Draft | undefined> {
    const raw = await this.redis.get(this.keys.draft(channel, userId));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as Draft;
    } catch {
      return undefined;
    }
  }

  async set(channel: ChannelName, userId: string, draft: Draft): Promise<void> {
    await this.redis.set(this.keys.draft(channel, userId), JSON.stringify(draft), 'EX', this.ttlSeconds);
  }

  async delete(channel: ChannelName, userId: string): Promise<void> {
    await this.redis.del(this.keys.draft(channel, userId));
  }
}
