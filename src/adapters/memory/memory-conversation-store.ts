/** Conversation state in process memory, with a TTL: for one process and for tests. Lost on restart. */
import type { ChannelName, ConversationState, ConversationStore } from '../../core/conversation.js';

export class MemoryConversationStore implements ConversationStore {
  private readonly states = new Map<string, { state: ConversationState; expiresAt: number }>();

  constructor(private readonly ttlSeconds: number, private readonly now: () => number = Date.now) {}

  async get(channel: ChannelName, userId: string): Promise<ConversationState | undefined> {
    const key = `${channel}:${userId}`;
    const entry = this.states.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.states.delete(key);
      return undefined;
    }
    return structuredClone(entry.state);
  }

  async set(channel: ChannelName, userId: string, state: ConversationState): Promise<void> {
    this.states.set(`${channel}:${userId}`, { state: structuredClone(state), expiresAt: this.now() + this.ttlSeconds * 1000 });
  }
}
