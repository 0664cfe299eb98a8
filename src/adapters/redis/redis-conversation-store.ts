/** Conversation state in Redis (one JSON value per user, with a TTL), shared by every process. */
import type { Redis } from 'ioredis';
import type { ChannelName, ConversationState, ConversationStore } from '../../core/conversation.js';
import type { Keys } from './keys.js';

export class RedisConversationStore implements ConversationStore {
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly ttlSeconds: number) {}

  async get(channel: ChannelName, userId: string): Promise<ConversationState | undefined> {
    const raw = await this.redis.get(this.keys.conversation(channel, userId));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as ConversationState;
    } catch {
      return undefined; // A corrupt value starts a fresh conversation rather than breaking this one.
    }
  }

  async set(channel: ChannelName, userId: string, state: ConversationState): Promise<void> {
    await this.redis.set(this.keys.conversation(channel, userId), JSON.stringify(state), 'EX', this.ttlSeconds);
  }
}
