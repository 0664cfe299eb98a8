import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/core/logger.js';
import type { App } from '../../src/app.js';
import { app as makeApp, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

interface ChatResponse {
  replies: { text: string; buttons: { label: string; ref: string }[]; sources?: { id: string; url?: string }[] }[];
}

async function start(env: Record<string, string> = {}): Promise<{ app: App; server: FastifyInstance; url: string }> {
  const app = makeApp(env);
  const server = createHttpServer(app, silentLogger);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { app, server, url };
}

describe('HTTP server (memory state)', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start();
  });
  afterAll(async () => {
    await ctx.server.close();
    await ctx.app.close();
  });

  const chat = (body: unknown) =>
    fetch(`${ctx.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('GET /health answers 200 with its status', async () => {
    const res = await fetch(`${ctx.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: 'memory', redis: 'not_configured' });
  });

  it('GET / serves the Vietnamese chat page', async () => {
    const res = await fetch(`${ctx.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain(ctx.app.messages.web_title);
    expect(html).toContain('name="viewport"');
    expect(html).not.toMatch(/\{\{\w+\}\}/);
  });

  it('POST /api/chat answers a question with its source, and buttons pressed by their ref', async () => {
    const res = await chat({ userId: 'u1', text: 'ocop cao bang kinh phi bao nhieu ty' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ChatResponse;
    expect(body.replies[0]!.text).toContain('326 tỷ 325 triệu');
    expect(body.replies[0]!.text).toContain('Nguồn:');
    expect(body.replies[0]!.sources![0]!.url).toMatch(/^https?:\/\//);
    const start = (await (await chat({ userId: 'u1', text: '/start' })).json()) as ChatResponse;
    const buttons = start.replies.flatMap((r) => r.buttons);
    expect(buttons.length).toBeGreaterThan(2);
    // A button press is sent back as its ref: "Hỏi về OCOP" offers topics, and a topic is answered.
    const topics = (await (await chat({ userId: 'u1', button: buttons[0]!.ref })).json()) as ChatResponse;
    const topic = topics.replies.at(-1)!.buttons[0]!;
    const pressed = (await (await chat({ userId: 'u1', button: topic.ref })).json()) as ChatResponse;
    expect(pressed.replies[0]!.text).toContain('Nguồn:');
    // A label or a payload typed as text is just text: it presses nothing.
    const typed = (await (await chat({ userId: 'u1', text: 'req:register' })).json()) as ChatResponse;
    expect(typed.replies[0]!.text).not.toContain(ctx.app.messages.form_intro.slice(0, 20));
  });

  it.each([
    ['not JSON', '{"userId": '],
    ['no userId', { text: 'xin chào' }],
    ['text of the wrong type', { userId: 'u', text: 42 }],
    ['a button that is no ref', { userId: 'u', button: 'req:register' }],
    ['an array', [1, 2]],
  ])('refuses a malformed request (%s) with 400', async (_name, body) => {
    const res = await chat(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toHaveProperty('error');
  });

  it('answers empty and over-long messages politely instead of failing', async () => {
    const empty = (await (await chat({ userId: 'u2', text: '   ' })).json()) as ChatResponse;
    expect(empty.replies[0]!.text).toBe(ctx.app.messages.empty_input);
    const long = (await (await chat({ userId: 'u2', text: 'a'.repeat(5000) })).json()) as ChatResponse;
    expect(long.replies[0]!.text).toContain('5000');
  });

  it('serves the chat page under a CSP that admits no inline script or style, with its script and style as files', async () => {
    const res = await fetch(`${ctx.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    // No executable inline script and no inline style: the only inline <script> is the JSON data block.
    expect(html).not.toMatch(/<style|style=|<script>|<script(?![^>]*(src="\/web\/chat\.js"|type="application\/json"))/);
    const texts = /<script type="application\/json" id="texts">([^<]*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(texts)).toMatchObject({ web_title: ctx.app.messages.web_title });
    for (const [path, type] of [
      ['/web/chat.js', 'text/javascript'],
      ['/web/chat.css', 'text/css'],
    ]) {
      const asset = await fetch(`${ctx.url}${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it.each([
    ['/health', 200],
    ['/api/chat', 400],
    ['/api/admin/submissions', 401],
    ['/nope', 404],
  ])('%s carries the security headers too (%i)', async (path, status) => {
    const res = await fetch(`${ctx.url}${path}`, path === '/api/chat' ? { method: 'POST' } : {});
    expect(res.status).toBe(status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers 404 in JSON for unknown paths', async () => {
    const res = await fetch(`${ctx.url}/nope`);
    expect(res.status).toBe(404);
  });

  it("gives the page the server's real MAX_MESSAGE_LENGTH, and no maxlength that would cut a paste silently", async () => {
    const html = await (await fetch(`${ctx.url}/`)).text();
    const settings = /<script type="application\/json" id="settings">([^<]*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(settings)).toEqual({ maxMessageLength: ctx.app.config.MAX_MESSAGE_LENGTH });
    expect(html).not.toContain('maxlength');
    const other = await start({ MAX_MESSAGE_LENGTH: '2500' });
    try {
      const otherHtml = await (await fetch(`${other.url}/`)).text();
      expect(otherHtml).toContain('<script type="application/json" id="settings">{"maxMessageLength":2500}</script>');
    } finally {
      await other.server.close();
      await other.app.close();
    }
  });

  it('answers a retried message (same messageId) with its first answer, without running it again', async () => {
    const message = { userId: 'retry-1', text: 'ocop la gi', messageId: 'm-retry-0001' };
    const first = await chat(message);
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    const turns = (await ctx.app.store.get('web', 'retry-1'))!.turns;
    const again = await chat(message);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(firstBody);
    expect((await ctx.app.store.get('web', 'retry-1'))!.turns).toBe(turns);
    // Another message id is another message; the same id from another user is theirs.
    await chat({ ...message, messageId: 'm-retry-0002' });
    expect((await ctx.app.store.get('web', 'retry-1'))!.turns).toBe(turns + 1);
    await chat({ ...message, userId: 'retry-2' });
    expect((await ctx.app.store.get('web', 'retry-2'))!.turns).toBe(1);
    // A malformed id is refused politely like any bad field.
    const bad = await chat({ ...message, messageId: 'x y' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fields: ['messageId'] });
  });

  it('forbids framing and serves no widget while WIDGET_ALLOWED_ORIGINS is empty', async () => {
    const page = await fetch(`${ctx.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const widget = await fetch(`${ctx.url}/widget.js`);
    expect(widget.status).toBe(404);
    expect(await widget.json()).toEqual({ error: 'widget_disabled' });
  });
});

describe('HTTP server with WIDGET_ALLOWED_ORIGINS', () => {
  it('lets the portals frame the chat page (CSP frame-ancestors) and serves /widget.js to them', async () => {
    const origins = 'https://caobang.gov.vn, http://127.0.0.1:8080';
    const ctx = await start({ WIDGET_ALLOWED_ORIGINS: origins });
    try {
      const page = await fetch(`${ctx.url}/`);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain('frame-ancestors https://caobang.gov.vn http://127.0.0.1:8080');
      expect(csp).not.toContain("frame-ancestors 'none'");
      // X-Frame-Options cannot name two sites: the page leaves it to the CSP; every other response still denies.
      expect(page.headers.get('x-frame-options')).toBeNull();
      expect((await fetch(`${ctx.url}/health`)).headers.get('x-frame-options')).toBe('DENY');
      const widget = await fetch(`${ctx.url}/widget.js`);
      expect(widget.status).toBe(200);
      expect(widget.headers.get('content-type')).toContain('text/javascript');
      expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      const script = await widget.text();
      expect(script).toContain(JSON.stringify(ctx.app.messages.web_widget_open));
      expect(script).not.toContain('/* widget texts */');
    } finally {
      await ctx.server.close();
      await ctx.app.close();
    }
  });
});

describe('HTTP server with REDIS_URL', () => {
  it('keeps conversation state in Redis: a second process continues the conversation', async () => {
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: uniquePrefix('http') };
    const first = await start(env);
    const second = await start(env);
    try {
      const health = await (await fetch(`${first.url}/health`)).json();
      expect(health).toMatchObject({ status: 'ok', store: 'redis', redis: 'ok' });
      const post = (url: string, message: { text: string } | { button: string }) =>
        fetch(`${url}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'shared', ...message }),
        }).then((r) => r.json() as Promise<ChatResponse>);
      const answer = await post(first.url, { text: 'Chứng nhận OCOP có giá trị trong bao lâu?' });
      const more = answer.replies[0]!.buttons.find((b) => b.label === first.app.messages.more_button);
      expect(more).toBeDefined();
      // "Xem thêm" handled by the other process, which only knows the conversation through Redis.
      const continued = await post(second.url, { button: more!.ref });
      expect(continued.replies[0]!.text.startsWith(first.app.messages.more_intro)).toBe(true);
      expect(continued.replies[0]!.sources![0]!.id).toBe(answer.replies[0]!.sources![0]!.id);
      // A retry that reaches the other process is answered from Redis, not run a second time.
      const retried = { userId: 'shared', text: 'ocop la gi', messageId: 'm-shared-0001' };
      const send = (url: string) =>
        fetch(`${url}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(retried),
        }).then((r) => r.json());
      const once = await send(first.url);
      const turns = (await first.app.store.get('web', 'shared'))!.turns;
      expect(await send(second.url)).toEqual(once);
      expect((await second.app.store.get('web', 'shared'))!.turns).toBe(turns);
    } finally {
      for (const s of [first, second]) {
        await s.server.close();
        await s.app.close();
      }
    }
  });
});
