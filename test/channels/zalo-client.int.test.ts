import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ZaloApiError,
  ZaloClient,
  ZaloHttpError,
  isUserUnreachable,
  type ZaloClientOptions,
} from '../../src/channels/zalo/zalo-client.js';
import { parseZaloUpdate } from '../../src/channels/zalo/zalo-types.js';
import { createZaloSender } from '../../src/channels/zalo/zalo-sender.js';
import { PermanentSendError, RateLimitedError } from '../../src/core/broadcast/sender.js';
import type { Logger } from '../../src/core/logger.js';
import { makeUpdate, startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';

const TOKEN = '1234567890:s3cr3t-Zalo-T0ken';
const VIETNAMESE = 'Chào bà con! Hồ sơ OCOP của hợp tác xã Miến dong Phja Đén đã được tiếp nhận. Cảm ơn ạ 🌾';

/** A logger that keeps every line, to check that the token never reaches the logs. */
function recordingLogger(lines: unknown[]): Logger {
  const logger: Logger = {
    debug: (obj, msg) => lines.push({ obj, msg }),
    info: (obj, msg) => lines.push({ obj, msg }),
    warn: (obj, msg) => lines.push({ obj, msg }),
    error: (obj, msg) => lines.push({ obj, msg }),
    child: (bindings) => {
      lines.push({ bindings });
      return logger;
    },
  };
  return logger;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('ZaloClient against the fake Zalo Bot API', () => {
  let fake: FakeZaloServer;
  const logLines: unknown[] = [];
  /** The waits the client asked for between attempts, in order (it does not really wait). */
  let delays: number[] = [];
  const client = (overrides: Partial<ZaloClientOptions> = {}) =>
    new ZaloClient({
      token: TOKEN,
      apiRoot: fake.apiRoot,
      logger: recordingLogger(logLines),
      sleep: async (ms) => delays.push(ms),
      // The jitter pinned at its top: each wait is the full exponential step.
      random: () => 1,
      ...overrides,
    });

  beforeAll(async () => {
    fake = await startFakeZaloServer({ token: TOKEN, pollWaitMs: 200 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    delays = [];
  });

  it('getMe returns the bot account', async () => {
    expect(await client().getMe()).toEqual({
      id: 'bot-1',
      account_name: 'bot.ocop',
      account_type: 'BASIC',
      can_join_groups: false,
    });
    expect(fake.calls.map((c) => c.method)).toEqual(['getMe']);
  });

  it('sendMessage delivers the exact Vietnamese text and returns the message id and date', async () => {
    const before = Date.now();
    const sent = await client().sendMessage('user-42', VIETNAMESE);
    expect(sent.message_id).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.date).toBeGreaterThanOrEqual(before);
    expect(fake.sentTo('user-42')).toEqual([{ chatId: 'user-42', text: VIETNAMESE, at: expect.any(Number) }]);
  });

  it('sendPhoto and sendChatAction send the documented fields', async () => {
    const c = client();
    await c.sendChatAction('user-42', 'typing');
    const photo = await c.sendPhoto('user-42', 'https://example.org/mien-dong.jpg', 'Miến dong');
    expect(photo.message_id).toMatch(/^[0-9a-f]+$/);
    expect(fake.calls).toEqual([
      { method: 'sendChatAction', body: { chat_id: 'user-42', action: 'typing' } },
      {
        method: 'sendPhoto',
        body: { chat_id: 'user-42', photo: 'https://example.org/mien-dong.jpg', caption: 'Miến dong' },
      },
    ]);
  });

  it('refuses a 2001-character text with a 400 ZaloApiError and does not retry it', async () => {
    const err = await rejection(client().sendMessage('user-42', 'a'.repeat(2001)));
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ method: 'sendMessage', errorCode: 400 });
    expect(fake.calls).toHaveLength(1);
    expect(fake.sent).toHaveLength(0);
  });

  it('retries a 429 and then succeeds', async () => {
    fake.failNext('sendMessage', { status: 429, description: 'Quota exceeded' });
    await client().sendMessage('user-42', 'Xin chào');
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
    expect(fake.sent.map((s) => s.text)).toEqual(['Xin chào']);
  });

  it('retries a 500 twice and then succeeds, with backoff between attempts', async () => {
    fake.failNext('sendMessage', { status: 500 }, 2);
    await client().sendMessage('user-42', 'Xin chào');
    expect(fake.calls).toHaveLength(3);
    expect(fake.sent).toHaveLength(1);
    expect(delays).toEqual([300, 600]);
  });

  it('gives up after maxAttempts and throws the last ZaloApiError', async () => {
    fake.failNext('sendMessage', { status: 503 }, 5);
    const err = await rejection(client({ maxAttempts: 3, maxRetryDelayMs: 20 }).sendMessage('user-42', 'Xin chào'));
    expect(err).toMatchObject({ name: 'ZaloApiError', errorCode: 503 });
    expect(fake.calls).toHaveLength(3);
  });

  it('backs off a 429 (no retry_after) exponentially from 1 s with jitter, then succeeds', async () => {
    fake.failNext('sendMessage', { status: 429, description: 'Quota exceeded' }, 2);
    await client({ random: () => 0.5, maxRetryDelayMs: 60_000 }).sendMessage('user-42', 'Xin chào');
    // Steps of 1 s and 2 s, each half fixed and half jitter (pinned at 0.5 here).
    expect(delays).toEqual([750, 1500]);
    expect(fake.sent.map((s) => s.text)).toEqual(['Xin chào']);
  });

  it('does not read retry_after (a Telegram field): its own backoff, bounded by maxAttempts', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 30 }, 5);
    const err = await rejection(client({ maxAttempts: 3, maxRetryDelayMs: 60_000 }).sendMessage('user-42', 'Xin chào'));
    expect(delays).toEqual([1000, 2000]);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ errorCode: 429 });
    expect(fake.calls).toHaveLength(3);
  });

  it('treats ok:false in an HTTP 200 as an error, and 403 (documented "Internal server error") as retryable', async () => {
    fake.failNext('sendMessage', { status: 200, errorCode: 403, description: 'Forbidden' });
    await client().sendMessage('user-42', 'Xin chào');
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
    expect(delays).toEqual([300]);
    fake.failNext('sendMessage', { status: 403, description: 'Internal server error' }, 3);
    const err = await rejection(client().sendMessage('user-42', 'Xin chào'));
    expect(err).toMatchObject({ name: 'ZaloApiError', errorCode: 403 });
    expect(isUserUnreachable(err)).toBe(false);
  });

  it.each([
    [403, 'Forbidden', false],
    [403, 'Internal server error', false],
    [403, 'User has blocked the bot', false], // a 403 is a server error on Zalo, whatever its text
    [401, 'Unauthorized: user blocked', false],
    [429, 'Quota exceeded', false],
    [500, 'user not found', false],
    [400, 'Bad Request', false],
    [404, 'Not found', false],
    [400, 'user has blocked the bot', true],
    [400, 'Người dùng đã chặn bot', true],
    [404, 'User not found', true],
    [-213, 'User has not followed the OA', true],
    [-227, 'User is inactive for more than 45 days', true],
  ] as const)('isUserUnreachable(%i "%s") is %s', (code, description, expected) => {
    expect(isUserUnreachable(new ZaloApiError('sendMessage', code, description))).toBe(expected);
  });

  it('isUserUnreachable is false for anything that is not an answer of the API', () => {
    expect(isUserUnreachable(new Error('user blocked'))).toBe(false);
    expect(isUserUnreachable(new ZaloHttpError('sendMessage', 'ECONNRESET', 'user blocked'))).toBe(false);
    expect(isUserUnreachable(undefined)).toBe(false);
  });

  it('maps a refused connection to a ZaloHttpError after bounded retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await rejection(client({ apiRoot: `http://127.0.0.1:${port}`, maxRetryDelayMs: 10 }).getMe());
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect(err).toMatchObject({ method: 'getMe', code: 'ECONNREFUSED' });
    expect(logLines.filter((l) => (l as { msg?: string }).msg === 'zalo: retrying call').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('never exposes the token in error messages, stacks, JSON or logs', async () => {
    const hanging = createServer(() => {}); // accepts and never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const hangingRoot = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const closedRoot = 'http://127.0.0.1:1';
    try {
      fake.failNext('sendMessage', { status: 429, retryAfter: 0 });
      fake.failNext('getMe', { status: 500 }, 3);
      await client({ maxRetryDelayMs: 10 }).sendMessage('user-42', 'Xin chào');
      const errors = [
        await rejection(client().sendMessage('user-42', '')),
        await rejection(client({ maxRetryDelayMs: 10 }).getMe()),
        await rejection(client({ token: `${TOKEN}-wrong` }).getMe()),
        await rejection(client({ apiRoot: closedRoot, maxRetryDelayMs: 10 }).getMe()),
        await rejection(client({ apiRoot: hangingRoot, timeoutMs: 150, maxAttempts: 1 }).getMe()),
      ];
      expect(errors.map((e) => (e as Error).name)).toEqual([
        'ZaloApiError',
        'ZaloApiError',
        'ZaloApiError',
        'ZaloHttpError',
        'ZaloHttpError',
      ]);
      expect(errors[2]).toMatchObject({ errorCode: 401 });
      expect(errors[4]).toMatchObject({ code: expect.stringMatching(/ECONNABORTED|ETIMEDOUT/) });
      for (const e of errors) {
        const err = e as Error;
        const dump = [
          err.message,
          err.stack,
          JSON.stringify(err),
          String(err),
          JSON.stringify(Object.getOwnPropertyDescriptors(err)),
        ].join('\n');
        expect(dump).not.toContain(TOKEN);
        expect(dump).not.toContain(TOKEN.split(':')[1]);
        expect((err as { cause?: unknown }).cause).toBeUndefined();
      }
      expect(logLines.length).toBeGreaterThan(0);
      expect(JSON.stringify(logLines)).not.toContain(TOKEN.split(':')[1]);
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('getUpdates returns a queued update, then undefined on 408 within the wait', async () => {
    const c = client();
    const update = makeUpdate({ chatId: 'user-7', text: 'Hỏi về tiêu chí OCOP 3 sao' });
    fake.queueUpdate(update);
    expect(await c.getUpdates({ timeoutSeconds: 30 })).toEqual(update);
    expect(fake.calls[0]).toEqual({ method: 'getUpdates', body: { timeout: '30' } });

    expect(await c.getUpdates({ timeoutSeconds: 30 })).toBeUndefined();
    expect(fake.calls).toHaveLength(2); // the 408 was not retried
    expect(delays).toEqual([]);
  });

  it('getUpdates delivers an update queued while the poll is waiting', async () => {
    const update = makeUpdate({ chatId: 'user-8', kind: 'sticker' });
    const poll = client().getUpdates({ timeoutSeconds: 1 });
    setTimeout(() => fake.queueUpdate(update), 50);
    expect(await poll).toEqual(update);
  });

  it('manages the webhook, and getUpdates is refused while one is set', async () => {
    const c = client();
    expect(await c.getWebhookInfo()).toMatchObject({ url: '' });
    const set = await c.setWebhook('https://ocop.example.org/zalo/webhook', 'secret-token-123');
    expect(set).toMatchObject({ url: 'https://ocop.example.org/zalo/webhook', updated_at: expect.any(Number) });
    expect(await c.getWebhookInfo()).toMatchObject({ url: 'https://ocop.example.org/zalo/webhook' });
    expect(await rejection(c.getUpdates({ timeoutSeconds: 1 }))).toMatchObject({
      name: 'ZaloApiError',
      errorCode: 409,
    });
    expect(await c.deleteWebhook()).toMatchObject({ url: '' });
    expect(await c.getWebhookInfo()).toMatchObject({ url: '' });
    expect(await rejection(c.setWebhook('https://ocop.example.org/zalo/webhook', 'short'))).toMatchObject({
      errorCode: 400,
    });
  });

  it('the fake pushes webhooks in both shapes with the secret header', async () => {
    const received: { secret: unknown; body: unknown }[] = [];
    const receiver = createServer(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      received.push({ secret: req.headers['x-bot-api-secret-token'], body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      await client().setWebhook(
        `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/zalo`,
        'secret-token-123',
      );
      const update = makeUpdate({ chatId: 'user-9', kind: 'image', text: 'Ảnh sản phẩm' });
      expect(await fake.pushWebhook(update, { shape: 'wrapped' })).toEqual({ status: 200, body: { ok: true } });
      await fake.pushWebhook(update, { shape: 'top-level', secret: 'wrong-secret' });
      expect(received.map((r) => r.secret)).toEqual(['secret-token-123', 'wrong-secret']);
      expect(received[0]!.body).toEqual({ ok: true, result: update });
      expect(received[1]!.body).toEqual(update);
      expect(received.map((r) => parseZaloUpdate(r.body))).toEqual([update, update]);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('the Zalo announcement sender', () => {
  let fake: FakeZaloServer;
  beforeAll(async () => {
    fake = await startFakeZaloServer({ token: TOKEN, pollWaitMs: 100 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  const content = { text: 'Thông báo: hội chợ OCOP Cao Bằng mở cửa từ thứ Bảy.' };

  it('429 without retry_after: every worker waits an exponential, jittered delay that resets after a success', async () => {
    const sender = createZaloSender(TOKEN, fake.apiRoot, { random: () => 1 });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      fake.failNext('sendMessage', { status: 429, description: 'Quota exceeded' });
      const err = await rejection(sender.send('user-1', content));
      expect(err).toBeInstanceOf(RateLimitedError);
      waits.push((err as RateLimitedError).retryAfterMs);
    }
    expect(waits).toEqual([5000, 10_000, 20_000]);
    expect(await sender.send('user-1', content)).toEqual({ outcome: 'sent' });
    fake.failNext('sendMessage', { status: 429, description: 'Quota exceeded' });
    expect(((await rejection(sender.send('user-1', content))) as RateLimitedError).retryAfterMs).toBe(5000);
  });

  it('a 403 or a 5xx is retried by the queue, never "blocked"; only evidence about the user is', async () => {
    const sender = createZaloSender(TOKEN, fake.apiRoot);
    for (const failure of [
      { status: 403, description: 'Internal server error' },
      { status: 403, description: 'User has blocked the bot' },
      { status: 502, description: 'Bad Gateway' },
    ]) {
      fake.failNext('sendMessage', failure);
      const err = await rejection(sender.send('user-2', content));
      expect(err).toBeInstanceOf(ZaloApiError);
      expect(err).not.toBeInstanceOf(PermanentSendError);
    }
    fake.failNext('sendMessage', { status: 401, description: 'Unauthorized' });
    expect(await rejection(sender.send('user-2', content))).toBeInstanceOf(PermanentSendError);
    fake.failNext('sendMessage', { status: 400, description: 'User has blocked the bot' });
    expect(await sender.send('user-2', content)).toEqual({ outcome: 'blocked', reason: 'User has blocked the bot' });
    expect(fake.sent).toEqual([]);
  });
});

describe('parseZaloUpdate', () => {
  it('accepts the documented wrapped shape and the observed top-level shape', () => {
    for (const kind of ['text', 'image', 'sticker', 'unsupported'] as const) {
      const update = makeUpdate({ chatId: 'user-1', kind, displayName: 'Hoàng Thị Mai' });
      expect(parseZaloUpdate({ ok: true, result: update })).toEqual(update);
      expect(parseZaloUpdate(update)).toEqual(update);
    }
    const text = parseZaloUpdate(makeUpdate({ chatId: 'user-1', text: 'Miến dong' }));
    expect(text?.event_name).toBe('message.text.received');
    expect(text?.message?.text).toBe('Miến dong');
    expect(text?.message?.chat.id).toBe('user-1');
  });

  it('coerces numeric ids to strings, keeps unknown fields and drops malformed optional ones', () => {
    const parsed = parseZaloUpdate({
      event_name: 'message.text.received',
      extra: 1,
      message: {
        message_id: 123,
        date: '1750000000000',
        from: { id: 42, display_name: null },
        chat: { id: 42 },
        text: 'hi',
        foo: 'bar',
      },
    });
    expect(parsed).toEqual({
      event_name: 'message.text.received',
      extra: 1,
      message: {
        message_id: '123',
        date: 1750000000000,
        from: { id: '42', display_name: undefined },
        chat: { id: '42' },
        text: 'hi',
        foo: 'bar',
      },
    });
  });

  it.each([
    ['null', null],
    ['an empty object', {}],
    ['a numeric event_name', { event_name: 1 }],
    ['a string', 'message.text.received'],
    ['an array', [makeUpdate({ chatId: 'u' })]],
    ['ok:false', { ok: false, result: makeUpdate({ chatId: 'u' }) }],
    [
      'a message without chat',
      { event_name: 'message.text.received', message: { message_id: 'a', from: { id: 'u' } } },
    ],
    [
      'an empty chat id',
      { event_name: 'message.text.received', message: { message_id: 'a', from: { id: 'u' }, chat: { id: '' } } },
    ],
  ])('returns undefined for %s', (_name, body) => {
    expect(parseZaloUpdate(body)).toBeUndefined();
  });
});
