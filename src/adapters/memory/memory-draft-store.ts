/** Drafts (registration forms, officers' announcements) in process memory, with a time to live: one process, lost on restart. */
import type { ChannelName } from '../../core/conversation.js';
import type { Draft, DraftStore } from '../../core/registration/draft.js';
import { TtlMap } from './ttl-map.js';

export class MemoryDraftStore<T = Draft> implements DraftStore<T> {
  private readonly drafts: TtlMap<T>;

  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.drafts = new TtlMap(ttlSeconds, now);
  }

  async get(channel: ChannelName, userId: string): Promise<T | undefined> {
    return this.drafts.get(`${channel}:${userId}`);
  }

  async set(channel: ChannelName, userId: string, draft: T): Promise<void> {
    this.drafts.set(`${channel}:${userId}`, draft);
  }

  async delete(channel: ChannelName, userId: string): Promise<void> {
    this.drafts.delete(`${channel}:${userId}`);
  }
}
