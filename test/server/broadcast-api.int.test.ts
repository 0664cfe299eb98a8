/** The announcement endpoints: the token, request validation, and that they work without Redis too. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const TOKEN = 'token-for-broadcast-api-tests';

async function start(env: Record<string, string>) {
  const app = makeApp({ ADMIN_TOKEN: TOKEN, ...env });
  const server = createHttpServer(app, silentLogger);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { app, server, url };
}

describe('announcement endpoints', () => {
  const prefix = uniquePrefix('bc-api');
  let ctx: { app: App; server: FastifyInstance; url: string };
  beforeAll(async () => {
    ctx = await start({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      BROADCAST_WORKERS: 'false',
      ADMIN_MAX_FAILED_SIGNINS: '1000',
    });
  });
  afterAll(async () => {
    await ctx.server.close();
    await ctx.app.close();
    await dropPrefix(prefix);
  });

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) =>
    fetch(`${ctx.url}/api/admin${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }),
      },
    });

  it.each([
    ['POST', '/broadcasts', '{"text":"x"}'],
    ['POST', '/broadcasts/preview', '{"text":"x"}'],
    ['GET', '/broadcasts', undefined],
    ['GET', '/broadcasts/events', undefined],
    ['GET', '/broadcasts/TB-2026-000001', undefined],
    ['POST', '/broadcasts/TB-2026-000001/cancel', undefined],
    ['GET', '/meta', undefined],
    ['GET', '/stats', undefined],
    ['GET', '/unanswered', undefined],
  ])('%s %s refuses requests without the token (401)', async (method, path, body) => {
    expect((await call(path, { method, body, token: null })).status).toBe(401);
    expect((await call(path, { method, body, token: 'wrong-token-wrong-token' })).status).toBe(401);
  });

  it.each([
    ['no text', {}],
    ['empty text', { text: '  ' }],
    ['an unknown channel', { text: 'x', segment: { channels: ['sms'] } }],
    ['a bad group code', { text: 'x', segment: { groups: ['mật ong'] } }],
    ['an unknown status', { text: 'x', segment: { submissionStatuses: ['lost'] } }],
    ['a link that is not http', { text: 'x', link: 'javascript:alert(1)' }],
    ['a bad date', { text: 'x', sendAt: 'tomorrow' }],
    ['an unknown field', { text: 'x', audience: 'all' }],
  ])('refuses a campaign with %s (400)', async (_name, body) => {
    const res = await call('/broadcasts', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_body' });
  });

  it('streams the campaign list over real HTTP as server-sent events: the list at once, then each change', async () => {
    const stop = new AbortController();
    const res = await fetch(`${ctx.url}/api/admin/broadcasts/events`, {
      headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
      signal: stop.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    /** The next "campaigns" event's data. */
    const next = async (): Promise<{ items: { id: string; status: string }[] }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          if (!lines.includes('event: campaigns')) continue;
          return JSON.parse(
            lines
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n'),
          );
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    };
    const before = (await next()).items.length;
    await ctx.app.subscribers.touch('telegram', '12', { at: Date.now() });
    await ctx.app.subscribers.setOptIn('telegram', '12', true);
    const sendAt = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString();
    const created = await call('/broadcasts', { method: 'POST', body: JSON.stringify({ text: 'Tập huấn', sendAt }) });
    const { id } = (await created.json()) as { id: string };
    const afterCreate = await next();
    expect(afterCreate.items).toHaveLength(before + 1);
    expect(afterCreate.items.find((c) => c.id === id)?.status).toBe('scheduled');
    await call(`/broadcasts/${id}/cancel`, { method: 'POST' });
    expect((await next()).items.find((c) => c.id === id)?.status).toBe('cancelled');
    stop.abort();
    // The next test counts its own recipient only.
    await ctx.app.subscribers.setOptIn('telegram', '12', false);
  });

  it('creates, reports and cancels a scheduled campaign; unknown ids are 404', async () => {
    await ctx.app.subscribers.touch('telegram', '11', { at: Date.now() });
    await ctx.app.subscribers.setOptIn('telegram', '11', true);
    const sendAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    const created = await call('/broadcasts', {
      method: 'POST',
      body: JSON.stringify({ text: 'Hội chợ OCOP', sendAt, urgent: true }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await (await call(`/broadcasts/${id}`)).json()).toMatchObject({
      id,
      status: 'scheduled',
      total: 1,
      pending: 1,
      sent: 0,
    });
    expect(await (await call(`/broadcasts/${id}/cancel`, { method: 'POST' })).json()).toMatchObject({
      status: 'cancelled',
      pending: 0,
      cancelled: 1,
    });
    expect((await call('/broadcasts/TB-1999-000999')).status).toBe(404);
    expect((await call('/broadcasts/TB-1999-000999/cancel', { method: 'POST' })).status).toBe(404);
  });

  it('slows down repeated wrong tokens from one address (429)', async () => {
    const other = await start({});
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          (
            await fetch(`${other.url}/api/admin/submissions`, {
              headers: { authorization: 'Bearer guess-guess-guess-guess' },
            })
          ).status,
        );
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      // The right token is never locked out by the failures (test/server/access-control.int.test.ts has more).
      expect(
        (await fetch(`${other.url}/api/admin/submissions`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(200);
    } finally {
      await other.server.close();
      await other.app.close();
    }
  });

  it('without Redis, announcements are sent by this process (no 503), and the rest of the officer API works', async () => {
    const memory = await start({});
    try {
      const res = await fetch(`${memory.url}/api/admin/broadcasts`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: [] });
      expect(
        (await fetch(`${memory.url}/api/admin/submissions`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(200);
    } finally {
      await memory.server.close();
      await memory.app.close();
    }
  });
});
