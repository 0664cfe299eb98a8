import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisConversationStore } from '../../src/adapters/redis/redis-conversation-store.js';
import { MemoryConversationStore } from '../../src/adapters/memory/memory-conversation-store.js';
import type { ConversationStore } from '../../src/core/conversation.js';
import { uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const redis = new Redis(TEST_REDIS_URL);
afterAll(() => redis.quit());

/** The same contract for every ConversationStore implementation. */
function contract(name: string, make: (ttl: number) => ConversationStore) {
  describe(`${name} conversation store`, () => {
    it('returns what was set, per channel and user', async () => {
      const store = make(60);
      await store.set('web', 'u1', { turns: 2, lastPassageId: 'a#b', updatedAt: 1 });
      await store.set('telegram', 'u1', { turns: 5, updatedAt: 2 });
      expect(await store.get('web', 'u1')).toEqual({ turns: 2, lastPassageId: 'a#b', updatedAt: 1 });
      expect(await store.get('telegram', 'u1')).toEqual({ turns: 5, updatedAt: 2 });
      expect(await store.get('web', 'u2')).toBeUndefined();
    });
  });
}

contract('memory', (ttl) => new MemoryConversationStore(ttl));
contract('redis', (ttl) => new RedisConversationStore(redis, createKeys(uniquePrefix('conv')), ttl));

describe('redis conversation store specifics', () => {
  it('writes every key under the prefix, with a TTL', async () => {
    const prefix = uniquePrefix('ttl');
    const store = new RedisConversationStore(redis, createKeys(prefix), 120);
    await store.set('zalo', 'abc', { turns: 1, updatedAt: 0 });
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys).toEqual([`${prefix}:conv:zalo:abc`]);
    const ttl = await redis.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('survives a new client (a restarted process reads the same state)', async () => {
    const prefix = uniquePrefix('restart');
    await new RedisConversationStore(redis, createKeys(prefix), 60).set('web', 'u', {
      turns: 3,
      lastPassageId: 'x#y',
      updatedAt: 5,
    });
    const other = new Redis(TEST_REDIS_URL);
    try {
      expect(await new RedisConversationStore(other, createKeys(prefix), 60).get('web', 'u')).toMatchObject({
        turns: 3,
        lastPassageId: 'x#y',
      });
    } finally {
      await other.quit();
    }
  });

  it('treats a corrupt value as a fresh conversation', async () => {
    const prefix = uniquePrefix('corrupt');
    await redis.set(`${prefix}:conv:web:u`, '{not json');
    expect(await new RedisConversationStore(redis, createKeys(prefix), 60).get('web', 'u')).toBeUndefined();
  });
});
