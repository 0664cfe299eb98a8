/**
 * One contract for the question log, run against memory and against a real Redis: unanswered questions
 * newest first and capped, counts per Vietnam-time day, top topics, and no phone number ever stored.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryQuestionLog } from '../../src/adapters/memory/memory-question-log.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisQuestionLog } from '../../src/adapters/redis/redis-question-log.js';
import type { SqliteDatabase } from '../../src/adapters/sqlite/database.js';
import { SqliteQuestionLog } from '../../src/adapters/sqlite/sqlite-question-log.js';
import { MAX_QUESTION_LENGTH, type QuestionLog } from '../../src/core/insights/question-log.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { openTestDatabase, tempDatabaseFile } from '../support/sqlite.js';

const clients: Redis[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

const HOUR = 3600 * 1000;
/** 2026-03-05 23:30 in Vietnam (16:30 UTC): half an hour before a Vietnam-time midnight. */
const LATE_MARCH_5 = Date.UTC(2026, 2, 5, 16, 30);

const logs: [
  string,
  (maxUnanswered?: number) => { log: QuestionLog; redis?: Redis; prefix?: string; db?: SqliteDatabase },
][] = [
  ['memory', (maxUnanswered) => ({ log: new MemoryQuestionLog(maxUnanswered ? { maxUnanswered } : {}) })],
  [
    'sqlite',
    (maxUnanswered) => {
      const db = openTestDatabase(tempDatabaseFile());
      return { log: new SqliteQuestionLog(db, maxUnanswered ? { maxUnanswered } : {}), db };
    },
  ],
  [
    'redis',
    (maxUnanswered) => {
      const redis = new Redis(TEST_REDIS_URL);
      const prefix = uniquePrefix('questions');
      clients.push(redis);
      prefixes.push(prefix);
      return {
        log: new RedisQuestionLog(redis, createKeys(prefix), maxUnanswered ? { maxUnanswered } : {}),
        redis,
        prefix,
      };
    },
  ],
];

describe.each(logs)('question log (%s)', (name, make) => {
  it('keeps unanswered questions newest first, only the most recent N, and answered ones not at all', async () => {
    const { log } = make(3);
    for (let i = 1; i <= 5; i++)
      await log.record({ channel: i % 2 ? 'zalo' : 'web', text: `câu hỏi số ${i}`, abstained: true, at: 1000 * i });
    await log.record({
      channel: 'telegram',
      text: 'chứng nhận ocop có giá trị bao lâu',
      abstained: false,
      topicId: 'p1',
      topicTitle: 'Thời hạn',
      at: 9000,
    });
    expect(await log.unanswered()).toEqual([
      { channel: 'zalo', text: 'câu hỏi số 5', at: 5000 },
      { channel: 'web', text: 'câu hỏi số 4', at: 4000 },
      { channel: 'zalo', text: 'câu hỏi số 3', at: 3000 },
    ]);
    expect((await log.unanswered(2)).map((q) => q.text)).toEqual(['câu hỏi số 5', 'câu hỏi số 4']);
    expect(await log.unanswered(0)).toEqual([]);
  });

  it("keeps who asked an unanswered question, so an officer's answer can reach them", async () => {
    const { log } = make();
    await log.record({ channel: 'telegram', userId: '4242', text: 'trâu ốm', abstained: true, at: 1000 });
    await log.record({ channel: 'web', text: 'bò ốm', abstained: true, at: 2000 });
    expect(await log.unanswered()).toEqual([
      { channel: 'web', text: 'bò ốm', at: 2000 },
      { channel: 'telegram', text: 'trâu ốm', at: 1000, userId: '4242' },
    ]);
  });

  it('counts questions per Vietnam-time day, across midnight, oldest day first with empty days as zeros', async () => {
    const { log } = make();
    // 23:30 and 23:59 on 5 March (Vietnam), then 00:10 and 07:30 on 6 March; in UTC the first three are all on 5 March.
    await log.record({ channel: 'web', text: 'a', abstained: true, at: LATE_MARCH_5 });
    await log.record({ channel: 'web', text: 'b', abstained: false, topicId: 'p', at: LATE_MARCH_5 + 29 * 60 * 1000 });
    await log.record({ channel: 'zalo', text: 'c', abstained: true, at: LATE_MARCH_5 + 40 * 60 * 1000 });
    await log.record({ channel: 'zalo', text: 'd', abstained: false, at: LATE_MARCH_5 + 8 * HOUR });
    await log.record({ channel: 'cli', text: 'e', abstained: false, at: LATE_MARCH_5 - 2 * 24 * HOUR });
    expect(await log.daily(4, LATE_MARCH_5 + 9 * HOUR)).toEqual([
      { date: '2026-03-03', total: 1, unanswered: 0 },
      { date: '2026-03-04', total: 0, unanswered: 0 },
      { date: '2026-03-05', total: 2, unanswered: 1 },
      { date: '2026-03-06', total: 2, unanswered: 1 },
    ]);
    expect(await log.daily(1, LATE_MARCH_5)).toEqual([{ date: '2026-03-05', total: 2, unanswered: 1 }]);
  });

  it('ranks the cited topics by how many questions cited them, with their latest title', async () => {
    const { log } = make();
    const cite = (topicId: string, topicTitle: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          log.record({ channel: 'web', text: `q${i}`, abstained: false, topicId, topicTitle, at: 1000 + i }),
        ),
      );
    await cite('chu-trinh-ocop#sau-buoc', 'Chu trình OCOP — Sáu bước', 3);
    await cite('thoi-han#36-thang', 'Thời hạn — 36 tháng', 5);
    await cite('b-topic', 'B', 2);
    await cite('a-topic', 'A (cũ)', 1);
    await cite('a-topic', 'A', 1);
    await log.record({ channel: 'web', text: 'không trả lời được', abstained: true, at: 1 });
    expect(await log.topTopics(3)).toEqual([
      { id: 'thoi-han#36-thang', title: 'Thời hạn — 36 tháng', count: 5 },
      { id: 'chu-trinh-ocop#sau-buoc', title: 'Chu trình OCOP — Sáu bước', count: 3 },
      // Equal counts: by id.
      { id: 'a-topic', title: 'A', count: 2 },
    ]);
    expect(await log.topTopics(10)).toHaveLength(4);
  });

  it('never stores a phone number or a long number, and trims long questions', async () => {
    const { log, redis, prefix, db } = make();
    const phones = ['0912345678', '0912 345 678', '+84 912.345.678', '84912345678', '091-234-5678'];
    for (const [i, phone] of phones.entries()) {
      await log.record({ channel: 'zalo', text: `gọi cho tôi số ${phone} nhé`, abstained: true, at: 100 + i });
    }
    await log.record({
      channel: 'web',
      text: 'CCCD 012345678901, STK 19036543210011 của tôi',
      abstained: true,
      at: 200,
    });
    await log.record({ channel: 'web', text: `${'dài '.repeat(200)} 0987654321`, abstained: true, at: 300 });
    await log.record({
      channel: 'web',
      text: 'sản phẩm 3 sao được hỗ trợ 20 triệu, năm 2025, 326.325 đồng',
      abstained: true,
      at: 400,
    });
    const stored = await log.unanswered();
    expect(stored[0]!.text).toBe('sản phẩm 3 sao được hỗ trợ 20 triệu, năm 2025, 326.325 đồng');
    expect(stored[1]!.text).toHaveLength(MAX_QUESTION_LENGTH);
    expect(stored[2]!.text).toBe('CCCD ***, STK *** của tôi');
    expect(stored.slice(3).map((q) => q.text)).toEqual(phones.map(() => 'gọi cho tôi số *** nhé'));
    const everything =
      JSON.stringify(stored) +
      (redis ? JSON.stringify(await dump(redis, prefix!)) : '') +
      (db ? JSON.stringify(dumpSqlite(db)) : '');
    expect(everything).not.toMatch(/\d{7}|\d{3}[ .-]\d{3}[ .-]\d{3}/);
    if (name === 'redis' || name === 'sqlite') expect(everything).toContain('gọi cho tôi số ***');
  });
});

/** Every row of every table, to check nothing stored holds a number. */
function dumpSqlite(db: SqliteDatabase): unknown[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return tables.map((t) => db.prepare(`SELECT * FROM "${t.name}"`).all());
}

/** Every value under a prefix, to check nothing stored holds a number. */
async function dump(redis: Redis, prefix: string): Promise<unknown[]> {
  const keys = await redis.keys(`${prefix}:*`);
  return Promise.all(
    keys.map(async (k) => {
      const type = await redis.type(k);
      if (type === 'list') return redis.lrange(k, 0, -1);
      if (type === 'hash') return redis.hgetall(k);
      if (type === 'zset') return redis.zrange(k, '0', '-1');
      return redis.get(k);
    }),
  );
}

describe('question log in Redis', () => {
  it('writes its keys under the prefix, the day counters expiring after about 400 days', async () => {
    const { redis, prefix, log } = logs.find(([name]) => name === 'redis')![1]();
    await log.record({ channel: 'web', text: 'x', abstained: true, topicId: 't', topicTitle: 'T', at: LATE_MARCH_5 });
    const keys = createKeys(prefix!);
    expect((await redis!.keys(`${prefix}:*`)).sort()).toEqual(
      [
        keys.questionsUnanswered(),
        keys.questionsDay('2026-03-05'),
        keys.questionTopics(),
        keys.questionTopicTitles(),
      ].sort(),
    );
    const ttl = await redis!.ttl(keys.questionsDay('2026-03-05'));
    expect(ttl).toBeGreaterThan(399 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(400 * 24 * 3600);
    expect(await redis!.ttl(keys.questionsUnanswered())).toBe(-1);
  });
});
