/** Registration drafts in process memory, with a time to live: one process, lost on restart. */
import type { ChannelName } from '../../core/conversation.js';
import type { Draft, DraftStore } from '../../core/registration/dialog.js';

export class MemoryDraftStore implements DraftStore {
  private readonly drafts = new Map<string, { draft: Draft; expiresAt: number }>();

  constructor(private readonly ttlSeconds: number, private readonly now: () => number = Date.now) {}

  async get(channel: ChannelName, userId: string): Promise<Draft | undefined> {
    const entry = this.drafts.get(`${channel}:${userId}`);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return structuredClone(entry.draft);
  }

  async set(channel: ChannelName, userId: string, draft: Draft): Promise<void> {
    this.drafts.set(`${channel}:${userId}`, { draft: structuredClone(draft), expiresAt: this.now() + this.ttlSeconds * 1000 });
  }

  async delete(channel: ChannelName, userId: string): Promise<void> {
    this.drafts.delete(`${channel}:${userId}`);
  }
}
