/** The web chat's answers by message id, in memory and in Redis: one claim per message, its answer for retries. */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryWebReplyMemo } from '../../src/adapters/memory/memory-web-reply-memo.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisWebReplyMemo } from '../../src/adapters/redis/redis-web-reply-memo.js';
import { WEB_REPLY_CLAIM_SECONDS, type WebReplyMemo } from '../../src/channels/web/reply-memo.js';
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
    if (memo instanceof RedisWebReplyMemo) {
      // A claim holds briefly; an answer for the whole time to live.
      const keyOf = createKeys(prefix).webReply;
      expect(await redis.ttl(keyOf('v', 'm1'))).toBeLessThanOrEqual(WEB_REPLY_CLAIM_SECONDS);
      expect(await redis.ttl(keyOf('u', 'm1'))).toBeGreaterThan(WEB_REPLY_CLAIM_SECONDS);
    }
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

  it('frees a claim whose answer never came (its process died) after WEB_REPLY_CLAIM_SECONDS', async () => {
    let now = 0;
    const memo = new MemoryWebReplyMemo(600, () => now);
    await memo.claim('u', 'm1');
    now = WEB_REPLY_CLAIM_SECONDS * 1000 - 1;
    expect(await memo.claim('u', 'm1')).toEqual({ state: 'pending' });
    now = WEB_REPLY_CLAIM_SECONDS * 1000;
    expect(await memo.claim('u', 'm1')).toEqual({ state: 'new' });
  });
});
