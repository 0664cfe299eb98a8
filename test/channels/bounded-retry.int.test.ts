/** The request-path retry policy for the Bot API: bounded attempts and waits, whatever fails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, GrammyError, HttpError } from 'grammy';
import { boundedRetry } from '../../src/channels/telegram/bounded-retry.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { freePort } from '../support/app.js';

const policy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1500 };

/** The delays the retry asked to wait, in order; it does not wait at all. */
let delays: number[] = [];
const recordSleep = async (ms: number) => {
  delays.push(ms);
};

describe('boundedRetry', () => {
  let fake: FakeTelegramServer;
  beforeAll(async () => {
    fake = await startFakeTelegramServer();
  });
  afterAll(() => fake.close());

  const api = (apiRoot = fake.apiRoot) => {
    const a = new Api('123:abc', { apiRoot });
    a.config.use(boundedRetry(policy, recordSleep));
    delays = [];
    return a;
  };

  it('gives up on network failures after maxAttempts, with doubling backoff between them', async () => {
    await expect(api(`http://127.0.0.1:${await freePort()}`).getMe()).rejects.toBeInstanceOf(HttpError);
    expect(delays).toEqual([50, 100]);
  });

  it('retries 5xx with backoff, then returns the last error', async () => {
    fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 3);
    await expect(api().sendMessage(1, 'a')).rejects.toMatchObject({ error_code: 502 });
    expect(fake.callsOf('sendMessage').map((c) => c.status)).toEqual([502, 502, 502]);
    expect(delays).toEqual([50, 100]);
    fake.reset();
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 2);
    await expect(api().sendMessage(1, 'b')).resolves.toMatchObject({ text: 'b' });
  });

  it('waits retry_after when it is short, and fails at once when it is longer than allowed', async () => {
    fake.reset();
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    await expect(api().sendMessage(1, 'c')).resolves.toMatchObject({ text: 'c' });
    expect(delays).toEqual([1000]);
    fake.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 30',
      retry_after: 30,
    });
    await expect(api().sendMessage(1, 'd')).rejects.toBeInstanceOf(GrammyError);
    expect(delays).toEqual([]);
    expect(
      fake
        .callsOf('sendMessage')
        .map((c) => c.status)
        .slice(-1),
    ).toEqual([429]);
  });

  it('does not retry other client errors', async () => {
    fake.reset();
    await expect(api().sendMessage(1, '')).rejects.toMatchObject({ error_code: 400 });
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});
