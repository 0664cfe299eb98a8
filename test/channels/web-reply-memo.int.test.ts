/** The web chat's answers by message id, in memory and in Redis: one claim per message, its answer for retries. */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryWebReplyMemo } from '../../src/adapters/memory/memory-web-reply-memo.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisWebReplyMemo } from '../../src/adapters/redis/redis-web-reply-memo.js';
import type { WebReplyMemo } from '../../src/channels/web/reply-memo.js';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const prefix = uniquePrefix('web-reply');
const redis = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await dropPrefix(prefix);
  redis.disconnect();
});

describe.each([
  ['memory', () => new MemoryWebReplyMemo()],
  ['redis', () => new RedisWebReplyMemo(redis, createKeys(prefix).webReply)],
] as [string, () => WebReplyMemo][])('%s web reply memo', (_name, make) => {
  it('claims a message once, answers its retries with the saved body, and lets a failed one run again', async () => {
    const memo = make();
    expect(await memo.claim('u', 'm1')).toEqual({ state: 'new' });
    expect(await memo.claim('u', 'm1')).toEqual({ state: 'pending' });
    // Another user's message with the same id is another message.
    expect(await memo.claim('v', 'm1')).toEqual({ state: 'new' });
    await memo.save('u', 'm1', { replies: [{ text: 'Xin chào', buttons: [] }] });
    expect(await memo.claim('u', 'm1')).toEqual({
      state: 'done',
      body: { replies: [{ text: 'Xin chào', buttons: [] }] },
    });
    await memo.release('v', 'm1');
    expect(await memo.claim('v', 'm1')).toEqual({ state: 'new' });
  });
});

describe('memory web reply memo', () => {
  it('forgets an answer after its time to live (an injected clock)', async () => {
    let now = 0;
    const memo = new MemoryWebReplyMemo(60, () => now);
    await memo.claim('u', 'm1');
    await memo.save('u', 'm1', { replies: [] });
    now = 59_999;
    expect((await memo.claim('u', 'm1')).state).toBe('done');
    now = 60_000;
    expect(await memo.claim('u', 'm1')).toEqual({ state: 'new' });
  });
});
