/** Conversation state in process memory, with a TTL: for one process and for tests. Lost on restart. */
import type { ChannelName, ConversationState, ConversationStore } from '../../core/conversation.js';
import { TtlMap } from './ttl-map.js';

export class MemoryConversationStore implements ConversationStore {
  private readonly states: TtlMap<ConversationState>;

  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.states = new TtlMap(ttlSeconds, now);
  }

  async get(channel: ChannelName, userId: string): Promise<ConversationState | undefined> {
    return this.states.get(`${channel}:${userId}`);
  }

  async set(channel: ChannelName, userId: string, state: ConversationState): Promise<void> {
    this.states.set(`${channel}:${userId}`, state);
  }
}
