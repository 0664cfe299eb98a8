/**
 * The officer account and session stores, one contract run against memory, Redis and SQLite; and the password hash
 * (scrypt, salted, parameters kept with it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryAccountStore, MemorySessionStore } from '../../src/adapters/memory/memory-account-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteAccountStore, SqliteSessionStore } from '../../src/adapters/sqlite/sqlite-account-store.js';
import { RedisAccountStore, RedisSessionStore } from '../../src/adapters/redis/redis-account-store.js';
import {
  hashPassword,
  verifyPassword,
  type AccountStore,
  type OfficerAccount,
  type SessionStore,
} from '../../src/core/officer/accounts.js';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const clients: Redis[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

function account(fields: Partial<OfficerAccount> = {}): OfficerAccount {
  return {
    id: 'a1',
    displayName: 'Nông Văn Minh',
    username: 'minh',
    role: 'commune',
    communes: ['Xã Quảng Uyên'],
    disabled: false,
    passwordHash: 'scrypt$1$1$1$x$y',
    credentialVersion: 1,
    createdAt: 1000,
    updatedAt: 1000,
    createdBy: 'admin',
    updatedBy: 'admin',
    ...fields,
  };
}

type Make = (now: () => number) => { accounts: AccountStore; sessions: SessionStore };
const kinds: [string, Make][] = [
  ['memory', (now) => ({ accounts: new MemoryAccountStore(), sessions: new MemorySessionStore(now) })],
  [
    'redis',
    (now) => {
      const prefix = uniquePrefix('accounts');
      prefixes.push(prefix);
      const redis = new Redis(TEST_REDIS_URL);
      clients.push(redis);
      const keys = createKeys(prefix);
      return { accounts: new RedisAccountStore(redis, keys), sessions: new RedisSessionStore(redis, keys, now) };
    },
  ],
  [
    'sqlite',
    (now) => {
      const db = openDatabase(':memory:');
      return { accounts: new SqliteAccountStore(db), sessions: new SqliteSessionStore(db, now) };
    },
  ],
];

describe.each(kinds)('account store contract (%s)', (_kind, make) => {
  it('creates, finds by id and username, and refuses a username taken', async () => {
    const { accounts } = make(Date.now);
    expect(await accounts.create(account())).toBe(true);
    expect(await accounts.create(account({ id: 'a2', displayName: 'Khác' }))).toBe(false);
    expect((await accounts.get('a1'))?.displayName).toBe('Nông Văn Minh');
    expect((await accounts.findByUsername('minh'))?.id).toBe('a1');
    expect(await accounts.findByUsername('lan')).toBeUndefined();
    expect(await accounts.get('a2')).toBeUndefined();
  });

  it('saves changes to a known account only, never its username, and lists by creation', async () => {
    const { accounts } = make(Date.now);
    await accounts.create(account({ id: 'b', username: 'lan', createdAt: 2000 }));
    await accounts.create(account({ id: 'a', username: 'minh', createdAt: 1000 }));
    expect(
      await accounts.save(account({ id: 'a', username: 'renamed', disabled: true, communes: ['Xã Hạ Lang'] })),
    ).toBe(true);
    expect(await accounts.save(account({ id: 'nobody' }))).toBe(false);
    const a = await accounts.get('a');
    expect(a).toMatchObject({ username: 'minh', disabled: true, communes: ['Xã Hạ Lang'] });
    expect((await accounts.list()).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('keeps a session until it expires, and forgets it when deleted', async () => {
    let now = 10_000;
    const { sessions } = make(() => now);
    const session = { accountId: 'a1', credentialVersion: 1, csrfToken: 'c', expiresAt: 70_000 };
    await sessions.put('k1', session);
    await sessions.put('k2', { ...session, csrfToken: 'd' });
    expect(await sessions.get('k1')).toEqual(session);
    now = 70_000;
    expect(await sessions.get('k1')).toBeUndefined();
    now = 20_000;
    await sessions.delete('k2');
    expect(await sessions.get('k2')).toBeUndefined();
    expect(await sessions.get('unknown')).toBeUndefined();
  });
});

describe('password hash', () => {
  it('verifies the right password only, salts each hash and keeps its parameters', async () => {
    const a = await hashPassword('mật khẩu dài 123');
    const b = await hashPassword('mật khẩu dài 123');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w+/=]+\$[\w+/=]+$/);
    expect(a).not.toContain('mật khẩu');
    expect(await verifyPassword('mật khẩu dài 123', a)).toBe(true);
    expect(await verifyPassword('mật khẩu dài 124', a)).toBe(false);
    expect(await verifyPassword('mật khẩu dài 123', 'plain')).toBe(false);
  });
});
