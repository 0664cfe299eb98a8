/**
 * One contract for the update guard and the subscriber store, run against memory and against a real Redis:
 * per-user locks and ordering, the flood limit, and subscriber records.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryUpdateGuard } from '../../src/adapters/memory/memory-update-guard.js';
import { MemorySubscriberStore } from '../../src/adapters/memory/memory-subscriber-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisUpdateGuard } from '../../src/adapters/redis/redis-update-guard.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import { SqliteSubscriberStore } from '../../src/adapters/sqlite/sqlite-subscriber-store.js';
import { RedisUpdateJournal } from '../../src/adapters/redis/redis-update-journal.js';
import type { UpdateGuard } from '../../src/core/update-guard.js';
import type { SubscriberStore } from '../../src/core/subscribers.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { openTestDatabase } from '../support/sqlite.js';

const flood = { maxMessages: 3, windowSeconds: 30 };
const clients: Redis[] = [];
const prefixes: string[] = [];

function redisParts() {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = uniquePrefix('guard');
  clients.push(redis);
  prefixes.push(prefix);
  return { redis, keys: createKeys(prefix) };
}

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

const guards: [string, () => UpdateGuard[]][] = [
  ['memory', () => [new MemoryUpdateGuard(flood)]],
  // Two guards on one prefix stand for two processes sharing Redis.
  [
    'redis',
    () => {
      const { redis, keys } = redisParts();
      const other = new Redis(TEST_REDIS_URL);
      clients.push(other);
      return [new RedisUpdateGuard(redis, keys, flood), new RedisUpdateGuard(other, keys, flood)];
    },
  ],
];

describe.each(guards)('update guard (%s)', (name, make) => {
  it('tryUserLock runs only when nobody holds the user, in this process or another', async () => {
    const all = make();
    const [a, b = a] = all;
    let release!: () => void;
    let started!: () => void;
    const holding = new Promise<void>((r) => (started = r));
    // Holds the lock until released; `holding` resolves once it has it (no sleeping, however busy the machine).
    const held = a!.withUserLock('telegram', 'busy', () => {
      started();
      return new Promise<void>((r) => (release = r));
    });
    await holding;
    expect(await b!.tryUserLock('telegram', 'busy', async () => 'x')).toEqual({ ran: false });
    expect(await b!.tryUserLock('telegram', 'free', async () => 'y')).toEqual({ ran: true, value: 'y' });
    release();
    await held;
    expect(await b!.tryUserLock('telegram', 'busy', async () => 'z')).toEqual({ ran: true, value: 'z' });
  });

  it("runs one user's updates one at a time, in arrival order, while other users go on", async () => {
    const all = make();
    const log: string[] = [];
    const slow = (id: string, ms: number) => async () => {
      log.push(`start ${id}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${id}`);
      return id;
    };
    const a = all[0]!;
    const b = all[1] ?? a;
    const results = await Promise.all([
      a.withUserLock('telegram', 'u', slow('1', 60)),
      a.withUserLock('telegram', 'u', slow('2', 10)),
      a.withUserLock('telegram', 'other', slow('x', 10)),
    ]);
    expect(results).toEqual(['1', '2', 'x']);
    expect(log.indexOf('end 1')).toBeLessThan(log.indexOf('start 2'));
    expect(log.indexOf('start x')).toBeLessThan(log.indexOf('end 1'));
    // Across processes: the second waits for the first to finish.
    log.length = 0;
    await Promise.all([
      a.withUserLock('zalo', 'v', slow('p1', 60)),
      new Promise((r) => setTimeout(r, 10)).then(() => b.withUserLock('zalo', 'v', slow('p2', 5))),
    ]);
    expect(log).toEqual(['start p1', 'end p1', 'start p2', 'end p2']);
    if (name === 'redis') expect(all).toHaveLength(2);
  });

  it('releases the lock when the work fails', async () => {
    const [a] = make();
    await expect(
      a!.withUserLock('web', 'f', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await a!.withUserLock('web', 'f', async () => 'ok')).toBe('ok');
  });

  it('lets maxMessages through per window, warns once, then drops', async () => {
    const [a] = make();
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await a!.hit('zalo', 'flood-user'));
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'warn', 'drop', 'drop']);
    expect(await a!.hit('zalo', 'someone-else')).toBe('ok');
  });
});

const stores: [string, () => SubscriberStore][] = [
  ['memory', () => new MemorySubscriberStore()],
  ['sqlite', () => new SqliteSubscriberStore(openTestDatabase(':memory:'))],
  [
    'redis',
    () => {
      const { redis, keys } = redisParts();
      return new RedisSubscriberStore(redis, keys);
    },
  ],
];

describe.each(stores)('subscriber store (%s)', (name, make) => {
  it('records a user once per channel, keeps first seen, refreshes last seen and name', async () => {
    const s = make();
    await s.touch('telegram', '42', { displayName: 'Anh Tú', at: 1000 });
    await s.touch('telegram', '42', { at: 61_000 });
    await s.touch('zalo', '42', { displayName: 'Tú Zalo', at: 3000 });
    expect(await s.get('telegram', '42')).toMatchObject({
      firstSeen: 1000,
      lastSeen: 61_000,
      displayName: 'Anh Tú',
      optedIn: false,
      active: true,
    });
    expect((await s.list('telegram')).map((x) => x.userId)).toEqual(['42']);
    expect((await s.list('zalo'))[0]).toMatchObject({ displayName: 'Tú Zalo' });
    expect(await s.get('telegram', 'nobody')).toBeUndefined();
  });

  it('writes a new name or chat at once, and last seen at most once a minute in Redis', async () => {
    const s = make();
    await s.touch('telegram', '43', { displayName: 'Hoa', at: 1000 });
    await s.touch('telegram', '43', { displayName: 'Hoa Nông', at: 2000 });
    expect(await s.get('telegram', '43')).toMatchObject({ displayName: 'Hoa Nông', lastSeen: 2000 });
    await s.touch('telegram', '43', { displayName: 'Hoa Nông', at: 3000 });
    expect((await s.get('telegram', '43'))?.lastSeen).toBe(name === 'redis' ? 2000 : 3000);
  });

  it('opts in and out, marks inactive and active, and keeps commune and product group', async () => {
    const s = make();
    await s.touch('zalo', 'z1', { at: 1 });
    await s.setOptIn('zalo', 'z1', true);
    await s.markInactive('zalo', 'z1', 'kicked');
    await s.update('zalo', 'z1', { commune: 'Phường Thục Phán', productGroup: '1.1' });
    expect(await s.get('zalo', 'z1')).toMatchObject({
      optedIn: true,
      active: false,
      inactiveReason: 'kicked',
      commune: 'Phường Thục Phán',
      productGroup: '1.1',
    });
    // Writing to the bot again means the user can be reached again.
    await s.touch('zalo', 'z1', { at: 2 });
    expect(await s.get('zalo', 'z1')).toMatchObject({ optedIn: true, active: true, inactiveReason: undefined });
    // Events about strangers create nothing.
    await s.markInactive('zalo', 'stranger', 'kicked');
    expect(await s.get('zalo', 'stranger')).toBeUndefined();
  });
});

/** A guard and a journal on one Redis prefix, with one update of the user queued. */
async function journalWithOneUpdate(userId: string) {
  const { redis, keys } = redisParts();
  const guard = new RedisUpdateGuard(redis, keys, flood);
  const journal = new RedisUpdateJournal(redis, keys);
  const user = { channel: 'telegram' as const, userId };
  const dedupKey = `tg:1:${userId}:1`;
  await journal.accept({ message: { ...user, kind: 'text', text: 'chào' }, dedupKey }, Date.now() + 60_000);
  return { redis, keys, guard, journal, user };
}

describe('user lock let go by the journal (redis)', () => {
  it("the last journal step lets the user's lock go, in the same script, and only its holder's", async () => {
    const { redis, keys, guard, journal, user } = await journalWithOneUpdate('u1');
    const other = new RedisUpdateGuard(redis, keys, flood);
    const result = await guard.tryUserLock('telegram', 'u1', async (lock) => {
      expect(await journal.next(user, undefined, lock)).toMatchObject({ update: { dedupKey: 'tg:1:u1:1' } });
      expect(lock!.released).toBe(false);
      expect(await redis.get(keys.userLock('telegram', 'u1'))).toBe(lock!.token);
      expect(await journal.next(user, 'tg:1:u1:1', lock)).toBeUndefined();
      expect(lock!.released).toBe(true);
      expect(await redis.exists(keys.userLock('telegram', 'u1'))).toBe(0);
      // Free for another process at once, though this function has not returned yet.
      return other.tryUserLock('telegram', 'u1', async () => 'next holder');
    });
    expect(result).toEqual({ ran: true, value: { ran: true, value: 'next holder' } });
    // A lock someone else holds now (this one expired and was taken) is left alone.
    await guard.tryUserLock('telegram', 'u1', async (lock) => {
      await redis.set(keys.userLock('telegram', 'u1'), 'someone else', 'PX', 10_000);
      expect(await journal.next(user, undefined, lock)).toBeUndefined();
    });
    expect(await redis.get(keys.userLock('telegram', 'u1'))).toBe('someone else');
  });
});

describe('user lock taken by the journal (redis)', () => {
  it("takes the user's lock and begins the oldest update in one script; busy when someone holds it", async () => {
    const { redis, keys, guard, journal, user } = await journalWithOneUpdate('u2');
    const lockKey = keys.userLock('telegram', 'u2');
    // Someone else holds the user: busy, and no attempt is counted.
    await redis.set(lockKey, 'someone else', 'PX', 10_000);
    const busy = await guard.tryUserLock(
      'telegram',
      'u2',
      async () => 'ran',
      (lock) => journal.take(user, lock).then((r) => r !== 'busy'),
    );
    expect(busy).toEqual({ ran: false });
    expect(await redis.get(`${keys.update('tg:1:u2:1')}:n`)).toBeNull();
    await redis.del(lockKey);
    let begun: unknown;
    const ran = await guard.tryUserLock(
      'telegram',
      'u2',
      async (lock) => {
        expect(await redis.get(lockKey)).toBe(lock!.token);
        return journal.next(user, 'tg:1:u2:1', lock);
      },
      async (lock) => {
        begun = await journal.take(user, lock);
        return begun !== 'busy';
      },
    );
    expect(begun).toMatchObject({ update: { dedupKey: 'tg:1:u2:1' }, attempts: 1 });
    expect(ran).toEqual({ ran: true, value: undefined });
    expect(await redis.exists(lockKey)).toBe(0);
    // Nothing queued: taken and let go again at once.
    const lock = { key: lockKey, token: 't', ttlMs: 10_000, released: false };
    expect(await journal.take(user, lock)).toBeUndefined();
    expect(lock.released).toBe(true);
    expect(await redis.exists(lockKey)).toBe(0);
  });
});

describe('flood count, record and lock in one step (redis)', () => {
  it('counts as the guard does, records once, takes the lock and begins; busy or unlocked only records', async () => {
    const { redis, keys, guard, journal, user } = await journalWithOneUpdate('u3');
    const update = (n: number) => ({
      message: { ...user, kind: 'text' as const, text: `câu ${n}` },
      dedupKey: `tg:1:u3:${n}`,
    });
    const lockKey = keys.userLock('telegram', 'u3');
    const lock = (token: string) => ({ key: lockKey, token, ttlMs: 10_000, released: false });
    const counter = guard.floodCounter('telegram', 'u3');
    // The update journalWithOneUpdate queued comes first: that is the one begun.
    const first = await journal.admit(update(2), Date.now() + 60_000, counter, lock('a'));
    expect(first).toMatchObject({
      outcome: 'accepted',
      taken: { entry: { update: { dedupKey: 'tg:1:u3:1' }, attempts: 1 } },
    });
    expect(await redis.get(lockKey)).toBe('a');
    // Held: recorded and queued behind, reported busy.
    expect(await journal.admit(update(3), Date.now(), counter, lock('b'))).toEqual({
      outcome: 'accepted',
      taken: 'busy',
    });
    expect(await redis.lrange(keys.updateQueue('telegram', 'u3'), 0, -1)).toEqual([
      'tg:1:u3:1',
      'tg:1:u3:2',
      'tg:1:u3:3',
    ]);
    // A redelivery: counted, not recorded again.
    expect(await journal.admit(update(3), Date.now(), counter)).toEqual({ outcome: 'duplicate' });
    // Three hits so far (maxMessages 3): the fourth warns, the fifth drops, neither is recorded.
    expect(await journal.admit(update(4), Date.now(), counter)).toEqual({ outcome: 'flooded', verdict: 'warn' });
    expect(await journal.admit(update(5), Date.now(), counter)).toEqual({ outcome: 'flooded', verdict: 'drop' });
    expect(await redis.exists(keys.update('tg:1:u3:4'))).toBe(0);
    expect(await guard.hit('telegram', 'u3')).toBe('drop');
    // The window's key expires, and no later than the guard's own would (the seconds elapsed are not asserted).
    const ttl = await redis.ttl(counter.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(flood.windowSeconds + 1);
  });
});
