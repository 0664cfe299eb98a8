/** JSON values in Redis with a time to live: the shared mechanics of the per-user state stores. */
import type { Redis } from 'ioredis';

export class RedisJson<T> {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined; // A corrupt value starts afresh rather than breaking the conversation.
    }
  }

  /** Stores the value and restarts its time to live. */
  async set(key: string, value: T): Promise<void> {
    await this.redis.set(key, JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
