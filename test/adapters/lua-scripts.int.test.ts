/**
 * The Lua scripts against a real Redis, on an auto-pipelined connection like the app's: a script missing from
 * Redis's cache (a new or restarted server) is sent whole once, and scripts mixed with ordinary commands in the
 * same pipeline keep every reply in its place.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { luaScript, runScript } from '../../src/adapters/redis/lua.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const prefix = uniquePrefix('lua');
const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });

afterAll(async () => {
  redis.disconnect();
  await dropPrefix(prefix);
});

describe('Lua scripts on a real Redis', () => {
  it('runs after the script cache was flushed, and 200 calls mixed with plain commands get their own replies', async () => {
    await redis.script('FLUSH');
    const key = (i: number) => `${prefix}:lock:${i}`;
    await Promise.all(Array.from({ length: 100 }, (_, i) => redis.set(key(i), `token-${i}`)));
    // In one event-loop turn, in one auto-pipeline: a release (the right token for even keys, a wrong one for odd
    // keys) and a plain command, per key.
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        Promise.all([
          runScript(redis, 'release-lock', [key(i)], [i % 2 === 0 ? `token-${i}` : 'not-mine']),
          redis.strlen(key(i)),
        ]),
      ),
    );
    replies.forEach(([released, length], i) => {
      expect(released).toBe(i % 2 === 0 ? 1 : 0);
      expect(typeof length).toBe('number');
    });
    const after = await Promise.all(Array.from({ length: 100 }, (_, i) => redis.get(key(i))));
    after.forEach((value, i) => {
      expect(value).toBe(i % 2 === 0 ? null : `token-${i}`);
    });
    // Now cached: the next call runs by SHA alone.
    expect(await redis.script('EXISTS', luaScript('release-lock').sha)).toEqual([1]);
  });
});
