import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/core/logger.js';
import type { App } from '../../src/app.js';
import { format } from '../../src/core/messages.js';
import { app as makeApp, freePort } from '../support/app.js';

/** A phone-sized screen (an iPhone 12–15's CSS pixels). */
const PHONE = { width: 390, height: 844 };

/** Records what a strict CSP would refuse (and any script error): the page must work without either. */
async function watch(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${new URL(res.url()).pathname}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`csp violation: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  return problems;
}

/** The messages to /api/chat the page sends from now on (their JSON bodies). */
function chatRequests(page: Page): Record<string, unknown>[] {
  const sent: Record<string, unknown>[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/chat') sent.push(req.postDataJSON());
  });
  return sent;
}

/** True when the element is wholly inside the window, as the user sees it without scrolling. */
async function inViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const height = await locator.page().evaluate(() => window.innerHeight);
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}

async function serve(env: Record<string, string> = {}) {
  const app = makeApp(env);
  const server = createHttpServer(app, silentLogger);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    server,
    url,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}

async function ask(page: Page, text: string): Promise<void> {
  const before = await page.locator('.msg.bot').count();
  await page.fill('#q', text);
  await page.press('#q', 'Enter');
  await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(before);
}

describe('web chat in headless Chromium', () => {
  let app: App;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ app, server, url } = await serve());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  it('greets without a stray bubble, shows a whole reply (sources, buttons) on screen, and disables old buttons', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    const problems = await watch(page);
    const res = await page.goto(url);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(2);
    // The greeting is asked for silently: no "👋" (or any) bubble of the user's.
    expect(await page.locator('.msg.user').count()).toBe(0);
    expect(await page.locator('#log').innerText()).not.toContain('👋');
    const menu = page.locator('.buttons button');
    expect(await menu.count()).toBeGreaterThan(2);
    // The web cannot receive announcements: "Nhận thông báo" is not offered there.
    expect(await menu.allInnerTexts()).not.toContain('Nhận thông báo');

    await ask(page, 'Chứng nhận OCOP có giá trị trong bao lâu?');
    // This reply, by its place (later replies come after it).
    const answer = page.locator('.msg.bot').nth((await page.locator('.msg.bot').count()) - 1);
    expect(await answer.innerText()).toMatch(/36 tháng/);
    const link = answer.locator('a.source').first();
    expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
    expect((await link.innerText()).length).toBeGreaterThan(3);
    // Scrolled after the whole reply was rendered: its sources and its last button are on screen.
    const lastButton = answer.locator('.buttons button').last();
    expect(await lastButton.innerText()).toBe(app.messages.more_button);
    expect(await inViewport(answer.locator('.sources'))).toBe(true);
    expect(await inViewport(lastButton)).toBe(true);
    // The menu's buttons went dead when the question was sent; the reply's are live.
    expect(await menu.first().isDisabled()).toBe(true);
    expect(await lastButton.isEnabled()).toBe(true);
    // 44 px touch targets and 16 px text (no zoom on focus on iOS).
    for (const target of [lastButton, page.locator('#send'), page.locator('#q'), link]) {
      expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    for (const target of [answer, page.locator('#q'), lastButton]) {
      expect(await target.evaluate((e) => getComputedStyle(e).fontSize)).toBe('16px');
    }
    await page.screenshot({ path: 'docs/screenshots/web-chat.png' });

    const before = await page.locator('.msg.bot').count();
    await lastButton.click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(before);
    expect(await page.locator('.msg.user').last().innerText()).toBe(app.messages.more_button);
    expect(await lastButton.isDisabled()).toBe(true);
    // The style file applied (the header is green), and nothing was refused by the CSP.
    expect(await page.locator('header').evaluate((h) => getComputedStyle(h).backgroundColor)).toBe('rgb(46, 125, 50)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a typing indicator and disables the input while a reply is pending', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(url);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
    // The next reply is held back until the test lets it go (no timing: the state is looked at while it waits).
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/chat', async (route) => {
      await held;
      await route.continue();
    });
    await page.fill('#q', 'ocop la gi');
    await page.press('#q', 'Enter');
    const typing = page.locator('.typing');
    await typing.waitFor({ state: 'visible' });
    expect(await typing.innerText()).toContain(app.messages.web_typing);
    expect(await typing.getAttribute('role')).toBe('status');
    expect(await page.locator('#q').isDisabled()).toBe(true);
    expect(await page.locator('#send').isDisabled()).toBe(true);
    expect(await inViewport(typing)).toBe(true);
    release();
    await typing.waitFor({ state: 'detached' });
    expect(await page.locator('#q').isEnabled()).toBe(true);
    expect(await page.locator('#q').inputValue()).toBe('');
    await page.close();
  });

  it('keeps the text of a failed send, and "Thử lại" sends it once, even when the server did answer it', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(url);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
    const sent = chatRequests(page);
    const userId = await page.evaluate(() => localStorage.getItem('ocop-user'));

    // The network fails before the server sees the message.
    await page.route('**/api/chat', (route) => route.abort(), { times: 1 });
    await page.fill('#q', 'ocop la gi');
    await page.press('#q', 'Enter');
    const failure = page.locator('.msg.error').last();
    await failure.waitFor();
    expect(await failure.innerText()).toContain(app.messages.web_error);
    expect(await page.locator('#q').inputValue()).toBe('ocop la gi');
    const retry = failure.locator('button.retry');
    expect(await retry.innerText()).toBe('Thử lại');
    // Nothing was said: the greeting's buttons are still live.
    expect(await page.locator('.buttons button').first().isEnabled()).toBe(true);
    expect((await retry.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    const turns = (await app.store.get('web', userId!))!.turns;
    // The greeting mentions OCOP too, so the answer is waited for by count, then read.
    const answered = await page.locator('.msg.bot:not(.error)').count();
    await retry.click();
    await expect.poll(() => page.locator('.msg.bot:not(.error)').count()).toBeGreaterThan(answered);
    expect(await page.locator('.msg.bot:not(.error)').last().innerText()).toMatch(/OCOP/);
    expect(await page.locator('.msg.error').count()).toBe(0);
    expect(await page.locator('.msg.user', { hasText: 'ocop la gi' }).count()).toBe(1);
    expect(await page.locator('#q').inputValue()).toBe('');
    expect((await app.store.get('web', userId!))!.turns).toBe(turns + 1);

    // The server answers, and the answer is lost on the way back: the retry gets that answer, not a second run.
    await page.route(
      '**/api/chat',
      async (route) => {
        await route.fetch();
        await route.abort();
      },
      { times: 1 },
    );
    await page.fill('#q', 'ai duoc tham gia ocop');
    await page.press('#q', 'Enter');
    await page.locator('.msg.error button.retry').waitFor();
    expect(await page.locator('#q').inputValue()).toBe('ai duoc tham gia ocop');
    expect((await app.store.get('web', userId!))!.turns).toBe(turns + 2);
    const bots = await page.locator('.msg.bot:not(.error)').count();
    await page.locator('.msg.error button.retry').click();
    await expect.poll(() => page.locator('.msg.bot:not(.error)').count()).toBeGreaterThan(bots);
    expect((await app.store.get('web', userId!))!.turns).toBe(turns + 2);
    const [lost, resent] = sent.slice(-2);
    expect(resent!.messageId).toBe(lost!.messageId);
    expect(resent!.text).toBe('ai duoc tham gia ocop');
    await page.close();
  });

  it('shows the history again after a reload, sends nothing, and the form goes on where it was', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(url);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(2);
    const register = app.messages.menu_buttons.find((b) => b.value === 'req:register')!.label;
    const before = await page.locator('.msg.bot').count();
    await page.locator('.buttons button', { hasText: register }).click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(before);
    const firstQuestion = app.messages.form_fields.ownerName.question.split('\n')[0]!;
    await expect.poll(() => page.locator('#log').innerText()).toContain(firstQuestion);
    const shown = await page.locator('.msg').allInnerTexts();

    const sent = chatRequests(page);
    await page.reload();
    await expect.poll(() => page.locator('.msg').count()).toBe(shown.length);
    expect(await page.locator('.msg').allInnerTexts()).toEqual(shown);
    expect(await page.locator('#log').innerText()).not.toContain('👋');
    // The transcript's buttons are shown; only the last reply's can still be pressed.
    const earlier = page.locator('.msg.bot:not(:last-child) .buttons button');
    expect(await earlier.count()).toBeGreaterThan(0);
    for (const b of await earlier.all()) expect(await b.isDisabled()).toBe(true);
    for (const b of await page.locator('.msg.bot:last-child .buttons button').all()) {
      expect(await b.isEnabled()).toBe(true);
    }
    expect(await inViewport(page.locator('.msg').last())).toBe(true);
    expect(sent).toEqual([]);

    // The draft is the server's (by the user id this browser keeps): the next answer continues it.
    await ask(page, 'Hợp tác xã Nông sản Quảng Lâm');
    const next = await page.locator('.msg.bot').last().innerText();
    expect(next).not.toContain(app.messages.form_resume_prompt.split('{')[0]!);
    const later = Object.values(app.messages.form_fields)
      .slice(1)
      .map((f) => f.question.split('\n')[0]!);
    expect(later.some((q) => next.includes(q))).toBe(true);
    expect(sent).toHaveLength(1);
    await page.close();
  });

  it('greets as on a first visit when the stored transcript is unreadable, without a script error', async () => {
    for (const stored of ['{not json', '[{"who":"bot"},42,null,{"who":"x","text":"?"}]']) {
      const page = await browser.newPage({ viewport: PHONE });
      const problems = await watch(page);
      await page.addInitScript((value) => localStorage.setItem('ocop-history', value), stored);
      await page.goto(url);
      await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('.msg.bot').first().innerText()).toContain(app.messages.greeting.split('\n')[0]!);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('refuses a message over MAX_MESSAGE_LENGTH before sending it, saying how long it is', async () => {
    const short = await serve({ MAX_MESSAGE_LENGTH: '50' });
    try {
      const page = await browser.newPage({ viewport: PHONE });
      await page.goto(short.url);
      await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
      const sent = chatRequests(page);
      const long = 'Cho tôi hỏi '.repeat(6).trim(); // 65 characters
      await page.fill('#q', long);
      await page.press('#q', 'Enter');
      const refusal = page.locator('.msg.too-long');
      await refusal.waitFor();
      expect(await refusal.innerText()).toBe(format(short.app.messages.web_too_long, { length: long.length, max: 50 }));
      expect(await page.locator('#q').inputValue()).toBe(long);
      expect(sent).toEqual([]);
      expect(await page.locator('.msg.user').count()).toBe(0);
      await page.close();
    } finally {
      await short.close();
    }
  });

  it('adds a chat button to a portal page on another origin with one script tag, and opens the chat in a frame', async () => {
    const portalPort = await freePort();
    const portalOrigin = `http://127.0.0.1:${portalPort}`;
    const chat = await serve({ WIDGET_ALLOWED_ORIGINS: portalOrigin });
    const portal: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      // A page framing a chat server directly (the one that names no portal): its CSP must refuse the frame.
      if (req.url === '/framed') return void res.end(`<!doctype html><iframe src="${url}/"></iframe>`);
      res.end(
        `<!doctype html><html lang="vi"><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
          `<body><h1>Cổng thông tin tỉnh</h1><script src="${chat.url}/widget.js"></script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => portal.listen(portalPort, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage({ viewport: PHONE });
      const problems = await watch(page);
      await page.goto(`${portalOrigin}/`);
      const button = page.locator('#ocop-chat-widget > button');
      await button.waitFor();
      expect(await button.getAttribute('aria-label')).toBe(chat.app.messages.web_widget_open);
      expect(await inViewport(button)).toBe(true);
      await button.click();
      const frame = page.frameLocator('#ocop-chat-widget iframe');
      await frame.locator('.msg.bot').first().waitFor();
      expect(await frame.locator('.msg.bot').first().innerText()).toContain(chat.app.messages.greeting.split('\n')[0]!);
      expect(await inViewport(page.locator('#ocop-chat-widget iframe'))).toBe(true);
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await button.click();
      expect(await page.locator('#ocop-chat-widget iframe').isHidden()).toBe(true);
      expect(problems).toEqual([]);
      await page.close();

      // Without WIDGET_ALLOWED_ORIGINS the chat page refuses to be shown in another site's frame.
      const refused = await browser.newPage({ viewport: PHONE });
      await refused.goto(`${portalOrigin}/framed`, { waitUntil: 'load' });
      const child = refused.frames().find((f) => f !== refused.mainFrame())!;
      // Chromium shows its error page in place of a refused frame.
      expect(child.url()).not.toBe(`${url}/`);
      await refused.close();
    } finally {
      await new Promise((resolve) => portal.close(resolve));
      await chat.close();
    }
  });

  it('shows the polite reply when the address sends more than CHAT_RATE_LIMIT_PER_MINUTE', async () => {
    const limited = makeApp({ CHAT_RATE_LIMIT_PER_MINUTE: '2' });
    const limitedServer = createHttpServer(limited, silentLogger);
    const limitedUrl = await limitedServer.listen({ host: '127.0.0.1', port: 0 });
    try {
      const page = await browser.newPage({ viewport: PHONE });
      await page.goto(limitedUrl); // the greeting is the first message
      await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
      for (const text of ['ocop la gi', 'ocop co may sao']) await ask(page, text);
      const last = await page.locator('.msg.bot').last().innerText();
      expect(last).toContain(limited.messages.web_rate_limited.split('{seconds}')[0]!);
      expect(last).not.toContain(limited.messages.web_error);
      await page.close();
    } finally {
      await limitedServer.close();
      await limited.close();
    }
  });
});
