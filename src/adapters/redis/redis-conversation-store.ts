/** Conversation state in Redis (one JSON value per user, with a TTL), shared by every process. */
import type { Redis } from 'ioredis';
import type { ChannelName, ConversationState, ConversationStore } from '../../core/conversation.js';
import type { Keys } from './keys.js';
import { RedisJson } from './redis-json.js';

export class RedisConversationStore implements ConversationStore {
  private readonly values: RedisJson<ConversationState>;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    ttlSeconds: number,
  ) {
    this.values = new RedisJson(redis, ttlSeconds);
  }

  get(channel: ChannelName, userId: string): Promise<ConversationState | undefined> {
    return this.values.get(this.keys.conversation(channel, userId));
  }

  set(channel: ChannelName, userId: string, state: ConversationState): Promise<void> {
    return this.values.set(this.keys.conversation(channel, userId), state);
  }
}
