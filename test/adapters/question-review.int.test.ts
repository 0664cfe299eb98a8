/** What officers did with unanswered questions, one contract against the memory, SQLite and Redis stores. */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisQuestionReview } from '../../src/adapters/redis/redis-question-review.js';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteQuestionReview } from '../../src/adapters/sqlite/sqlite-question-log.js';
import {
  MemoryQuestionReview,
  type HandledQuestion,
  type QuestionReviewStore,
} from '../../src/core/insights/review.js';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const clients: Redis[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

const stores: [string, () => QuestionReviewStore][] = [
  ['memory', () => new MemoryQuestionReview()],
  ['sqlite', () => new SqliteQuestionReview(openDatabase(':memory:'))],
  [
    'redis',
    () => {
      const redis = new Redis(TEST_REDIS_URL);
      const prefix = uniquePrefix('review');
      clients.push(redis);
      prefixes.push(prefix);
      return new RedisQuestionReview(redis, createKeys(prefix).questionsHandled());
    },
  ],
];

const handled = (key: string, at: number, answer?: string): HandledQuestion => ({
  key,
  text: key,
  keys: [key, `${key} a`],
  count: 2,
  at,
  by: 'Nông Văn Minh',
  ...(answer ? { answer } : {}),
});

describe.each(stores)('question review (%s)', (_name, make) => {
  it('lists handled groups newest first with their author and answer; marking again replaces; reopen removes', async () => {
    const review = make();
    await review.markDone(handled('trau om', 1000));
    await review.markDone(handled('gia mat ong', 3000, 'Giá do thị trường quyết định.'));
    await review.markDone(handled('trau om', 2000));
    expect(await review.handled()).toEqual([
      handled('gia mat ong', 3000, 'Giá do thị trường quyết định.'),
      handled('trau om', 2000),
    ]);
    await review.reopen('trau om');
    await review.reopen('not there');
    expect((await review.handled()).map((h) => h.key)).toEqual(['gia mat ong']);
  });
});
