import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisConversationStore } from '../../src/adapters/redis/redis-conversation-store.js';
import { MemoryConversationStore } from '../../src/adapters/memory/memory-conversation-store.js';
import { SqliteConversationStore, SqliteDraftStore } from '../../src/adapters/sqlite/sqlite-json.js';
import type { ConversationStore } from '../../src/core/conversation.js';
import { uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { openTestDatabase, tempDatabaseFile } from '../support/sqlite.js';

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
contract('sqlite', (ttl) => new SqliteConversationStore(openTestDatabase(':memory:'), ttl));

describe('sqlite conversation and draft stores', () => {
  it('expire after their time to live, by the injected clock, and survive a reopened file', async () => {
    let now = 1_000_000;
    const file = tempDatabaseFile();
    const db = openTestDatabase(file);
    const conversations = new SqliteConversationStore(db, 60, () => now);
    const drafts = new SqliteDraftStore<{ step: number }>(db, 'draft', 60, () => now);
    const officerDrafts = new SqliteDraftStore<{ step: number }>(db, 'officer-draft', 60, () => now);
    await conversations.set('web', 'u', { turns: 1, updatedAt: now });
    await drafts.set('telegram', 'u', { step: 3 });
    // Spaces keep one store's values apart from another's.
    expect(await officerDrafts.get('telegram', 'u')).toBeUndefined();
    db.close();

    const reopened = openTestDatabase(file);
    const draftsAfter = new SqliteDraftStore<{ step: number }>(reopened, 'draft', 60, () => now);
    expect(await draftsAfter.get('telegram', 'u')).toEqual({ step: 3 });
    expect(await new SqliteConversationStore(reopened, 60, () => now).get('web', 'u')).toMatchObject({ turns: 1 });
    now += 59_000;
    expect(await draftsAfter.get('telegram', 'u')).toEqual({ step: 3 });
    // Setting again restarts the time to live.
    await draftsAfter.set('telegram', 'u', { step: 4 });
    now += 2_000;
    expect(await draftsAfter.get('telegram', 'u')).toEqual({ step: 4 });
    expect(await new SqliteConversationStore(reopened, 60, () => now).get('web', 'u')).toBeUndefined();
    await draftsAfter.delete('telegram', 'u');
    expect(await draftsAfter.get('telegram', 'u')).toBeUndefined();
    // Expired values are removed on the next write to their space.
    await new SqliteConversationStore(reopened, 60, () => now).set('web', 'other', { turns: 1, updatedAt: now });
    expect(reopened.prepare("SELECT key FROM kv WHERE space = 'conversation'").all()).toEqual([{ key: 'web:other' }]);
  });
});

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
