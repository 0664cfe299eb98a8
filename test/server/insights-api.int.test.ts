/**
 * The officers' figures over real Redis stores, mounted under /api/admin as the lead will mount them:
 * grouped unanswered questions, and users, questions per day, top topics and submissions by status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisQuestionLog } from '../../src/adapters/redis/redis-question-log.js';
import { RedisQuestionReview } from '../../src/adapters/redis/redis-question-review.js';
import { RedisSubmissionStore } from '../../src/adapters/redis/redis-submission-store.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import type { QuestionGroup } from '../../src/core/insights/grouping.js';
import { registerInsightsApi } from '../../src/server/insights-api.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { DAY, HOUR, MARCH_5_2026, sampleForm } from '../support/submissions.js';

const prefix = uniquePrefix('insights');
let redis: Redis;
let server: FastifyInstance;
let submissionStore: RedisSubmissionStore;
let questionLog: RedisQuestionLog;
const delivered: { channel: string; userId: string; text: string }[] = [];

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL);
  const keys = createKeys(prefix);
  const questions = new RedisQuestionLog(redis, keys);
  questionLog = questions;
  const subscribers = new RedisSubscriberStore(redis, keys);
  const submissions = new RedisSubmissionStore(redis, keys);
  submissionStore = submissions;

  for (const [channel, userId, optedIn] of [
    ['telegram', 't1', true],
    ['telegram', 't2', false],
    ['telegram', 't3', true],
    ['zalo', 'z1', true],
    // Web visitors never become subscribers (the store ignores them): counted 0 below.
    ['web', 'w1', false],
  ] as const) {
    await subscribers.touch(channel, userId, { at: MARCH_5_2026 });
    if (optedIn) await subscribers.setOptIn(channel, userId, true);
  }

  const ask = (text: string, at: number, channel: 'web' | 'zalo' | 'telegram' = 'web') =>
    questions.record({ channel, text, abstained: true, at });
  await ask('giá bán sản phẩm ocop bao nhiêu', MARCH_5_2026 - DAY, 'zalo');
  await ask('gia ban sp ocop bao nhieu', MARCH_5_2026, 'telegram');
  await ask('gias banas sanr phaamr ocop', MARCH_5_2026 + HOUR);
  await ask('thời tiết Hà Nội ngày mai thế nào', MARCH_5_2026 + 2 * HOUR);
  await questions.record({
    channel: 'web',
    text: 'chứng nhận ocop có giá trị bao lâu',
    abstained: false,
    topicId: 'thoi-han',
    topicTitle: 'Thời hạn chứng nhận',
    at: MARCH_5_2026 + 3 * HOUR,
  });
  await questions.record({
    channel: 'zalo',
    text: 'ocop la gi',
    abstained: false,
    topicId: 'gioi-thieu',
    topicTitle: 'Giới thiệu OCOP',
    at: MARCH_5_2026 + 4 * HOUR,
  });
  await questions.record({
    channel: 'zalo',
    text: 'chứng nhận hết hạn khi nào',
    abstained: false,
    topicId: 'thoi-han',
    topicTitle: 'Thời hạn chứng nhận',
    at: MARCH_5_2026 + 5 * HOUR,
  });

  const first = await submissions.create({
    channel: 'zalo',
    userId: 'z1',
    form: sampleForm(),
    idempotencyKey: 'a',
    at: MARCH_5_2026,
  });
  await submissions.create({
    channel: 'telegram',
    userId: 't1',
    form: sampleForm(),
    idempotencyKey: 'b',
    at: MARCH_5_2026,
  });
  await submissions.create({
    channel: 'telegram',
    userId: 't3',
    form: sampleForm(),
    idempotencyKey: 'c',
    at: MARCH_5_2026,
  });
  await submissions.changeStatus(first.submission.id, { status: 'needs_info', by: 'admin', at: MARCH_5_2026 + HOUR });

  server = Fastify({ logger: false });
  // As the lead mounts it: inside the (authenticated) admin scope.
  await server.register(
    async (api) =>
      registerInsightsApi(api, {
        questions,
        subscribers,
        submissions,
        review: new RedisQuestionReview(redis, keys.questionsHandled()),
        deliver: async (channel, userId, text) => {
          delivered.push({ channel, userId, text });
          return channel !== 'web';
        },
        answerTemplate: 'Trả lời «{question}»: {answer}',
        now: () => MARCH_5_2026 + 6 * HOUR,
      }),
    { prefix: '/api/admin' },
  );
  await server.ready();
});

afterAll(async () => {
  await server?.close();
  redis?.disconnect();
  await dropPrefix(prefix);
});

describe('insights API', () => {
  it('GET /api/admin/stats reports users, opt-ins, questions per day, top topics and submissions by status', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/admin/stats?days=3' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.usersByChannel)).toEqual(['telegram', 'zalo', 'web', 'cli']);
    expect(body).toEqual({
      usersByChannel: { telegram: 3, zalo: 1, web: 0, cli: 0 },
      optedInByChannel: { telegram: 2, zalo: 1, web: 0, cli: 0 },
      questionsByDay: [
        { date: '2026-03-03', total: 0, unanswered: 0 },
        { date: '2026-03-04', total: 1, unanswered: 1 },
        { date: '2026-03-05', total: 6, unanswered: 3 },
      ],
      topTopics: [
        { id: 'thoi-han', title: 'Thời hạn chứng nhận', count: 2 },
        { id: 'gioi-thieu', title: 'Giới thiệu OCOP', count: 1 },
      ],
      submissionsByStatus: { new: 2, reviewing: 0, needs_info: 1, accepted: 0, rejected: 0 },
      parkedUpdates: { total: 0, recent: [] },
    });
    // 14 days unless asked otherwise.
    expect((await server.inject({ method: 'GET', url: '/api/admin/stats' })).json().questionsByDay).toHaveLength(14);
  });

  it('GET /api/admin/unanswered groups the unanswered questions by similarity, biggest first', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/admin/unanswered' });
    expect(res.statusCode).toBe(200);
    const { groups } = res.json<{ groups: QuestionGroup[] }>();
    expect(groups).toEqual([
      {
        representative: 'gias banas sanr phaamr ocop',
        count: 3,
        examples: ['gia ban sp ocop bao nhieu', 'giá bán sản phẩm ocop bao nhiêu'],
        channels: ['web', 'telegram', 'zalo'],
        lastAt: MARCH_5_2026 + HOUR,
      },
      {
        representative: 'thời tiết Hà Nội ngày mai thế nào',
        count: 1,
        examples: [],
        channels: ['web'],
        lastAt: MARCH_5_2026 + 2 * HOUR,
      },
    ]);
    // Only the most recent questions are considered when a limit is given.
    const recent = (await server.inject({ method: 'GET', url: '/api/admin/unanswered?limit=2' })).json<{
      groups: QuestionGroup[];
    }>().groups;
    expect(recent.map((g) => [g.representative, g.count])).toEqual([
      ['thời tiết Hà Nội ngày mai thế nào', 1],
      ['gias banas sanr phaamr ocop', 1],
    ]);
  });

  it.each([
    '/api/admin/stats?days=abc',
    '/api/admin/stats?days=0',
    '/api/admin/stats?days=401',
    '/api/admin/stats?days=1.5',
    '/api/admin/stats?days=',
    '/api/admin/stats?days=3&days=4',
    '/api/admin/unanswered?limit=abc',
    '/api/admin/unanswered?limit=0',
    '/api/admin/unanswered?limit=5001',
  ])('answers 400 to a bad query: %s', async (url) => {
    const res = await server.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_query', fields: [url.includes('days') ? 'days' : 'limit'] });
  });

  it('registers its routes relative to the scope it is given, adding no auth of its own', async () => {
    expect((await server.inject({ method: 'GET', url: '/stats' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: '/api/admin/stats?days=1' })).statusCode).toBe(200);
  });

  // Last: it adds submissions the figures above do not count.
  it('GET /api/admin/charts counts questions, unanswered questions and submissions per day, commune and group', async () => {
    await submissionStore.create({
      channel: 'web',
      userId: 'w9',
      form: sampleForm({
        commune: 'Xã Trùng Khánh',
        productGroup: { code: 'I.1.a', sector: 'Thực phẩm', group: 'Thực phẩm tươi sống', subgroup: 'Rau, củ' },
      }),
      idempotencyKey: 'd',
      at: MARCH_5_2026 - DAY,
    });
    // Outside a 3-day window: not counted anywhere.
    await submissionStore.create({
      channel: 'web',
      userId: 'w10',
      form: sampleForm({ commune: 'Xã Hà Quảng' }),
      idempotencyKey: 'e',
      at: MARCH_5_2026 - 5 * DAY,
    });
    const res = await server.inject({ method: 'GET', url: '/api/admin/charts?days=3' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      days: 3,
      byDay: [
        { key: '2026-03-03', label: '2026-03-03', questions: 0, unanswered: 0, submissions: 0 },
        { key: '2026-03-04', label: '2026-03-04', questions: 1, unanswered: 1, submissions: 1 },
        { key: '2026-03-05', label: '2026-03-05', questions: 6, unanswered: 3, submissions: 3 },
      ],
      byCommune: [
        { key: 'Xã Quảng Lâm', label: 'Xã Quảng Lâm', submissions: 3 },
        { key: 'Xã Trùng Khánh', label: 'Xã Trùng Khánh', submissions: 1 },
      ],
      byGroup: [
        { key: 'I.2', label: 'I.2 — Thực phẩm chế biến', submissions: 3 },
        { key: 'I.1', label: 'I.1 — Thực phẩm tươi sống', submissions: 1 },
      ],
    });
    expect((await server.inject({ method: 'GET', url: '/api/admin/charts?days=0' })).statusCode).toBe(400);
    expect((await server.inject({ method: 'GET', url: '/api/admin/charts' })).json().byDay).toHaveLength(14);
  });

  it('POST /api/admin/unanswered/done moves a group to «handled» (kept in Redis); reopen brings it back', async () => {
    const open = async () =>
      (await server.inject({ method: 'GET', url: '/api/admin/unanswered' })).json<{
        groups: QuestionGroup[];
        handled: { text: string; count: number; at: number }[];
      }>();
    const post = (path: string, payload: unknown) =>
      server.inject({ method: 'POST', url: `/api/admin/unanswered/${path}`, payload: payload as object });
    expect((await open()).groups.map((g) => g.count)).toEqual([3, 1]);
    // Typed without diacritics or case: the same group.
    const done = await post('done', { text: 'GIAS BANAS SANR PHAAMR OCOP' });
    expect(done.statusCode).toBe(200);
    const after = await open();
    expect(after.groups.map((g) => g.representative)).toEqual(['thời tiết Hà Nội ngày mai thế nào']);
    expect(after.handled).toEqual([
      {
        key: 'gias banas sanr phaamr ocop',
        text: 'gias banas sanr phaamr ocop',
        count: 3,
        at: MARCH_5_2026 + 6 * HOUR,
        by: 'admin',
      },
    ]);
    expect((await post('done', { text: 'câu chưa ai hỏi' })).statusCode).toBe(404);
    expect((await post('done', { text: '' })).statusCode).toBe(400);
    expect((await post('reopen', { text: 'gias banas sanr phaamr ocop' })).statusCode).toBe(200);
    expect((await open()).groups.map((g) => g.count)).toEqual([3, 1]);
  });

  it('POST /api/admin/unanswered/answer sends the answer to who asked on Telegram; a web asker is counted as not reached', async () => {
    const at = MARCH_5_2026 + 5 * HOUR;
    await questionLog.record({
      channel: 'telegram',
      userId: 't7',
      text: 'Trâu nhà tôi bị ốm phải làm sao',
      abstained: true,
      at,
    });
    await questionLog.record({
      channel: 'web',
      userId: 'w7',
      text: 'trâu nhà tôi bị ốm phải làm sao?',
      abstained: true,
      at: at + 1,
    });
    const res = await server.inject({
      method: 'POST',
      url: '/api/admin/unanswered/answer',
      payload: { text: 'trau nha toi bi om phai lam sao', answer: 'Liên hệ Trạm Thú y xã.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sent: 1, notSent: 1 });
    // Newest first, as the log keeps them.
    expect(delivered.map((d) => [d.channel, d.userId])).toEqual([
      ['web', 'w7'],
      ['telegram', 't7'],
    ]);
    expect(delivered[0]!.text).toMatch(/^Trả lời «.+»: Liên hệ Trạm Thú y xã\.$/);
    const after = (await server.inject({ method: 'GET', url: '/api/admin/unanswered' })).json();
    expect(after.groups.some((g: QuestionGroup) => /trâu/i.test(g.representative))).toBe(false);
    expect(after.handled[0]).toMatchObject({ count: 2, answer: 'Liên hệ Trạm Thú y xã.' });
    const empty = await server.inject({
      method: 'POST',
      url: '/api/admin/unanswered/answer',
      payload: { text: 'x', answer: ' ' },
    });
    expect(empty.statusCode).toBe(400);
  });
});
