import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/core/logger.js';
import type { App } from '../../src/app.js';
import { app as makeApp } from '../support/app.js';

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

describe('web chat in headless Chromium', () => {
  let app: App;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    app = makeApp();
    server = createHttpServer(app, silentLogger);
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  it('shows the greeting with buttons, answers a typed question with a source link, and handles a button press', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } }); // a phone-sized screen
    const problems = await watch(page);
    const res = await page.goto(url);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.buttons button').count()).toBeGreaterThan(2);

    await page.fill('#q', 'giay cn ocop co han may nam');
    await page.press('#q', 'Enter');
    const answer = page.locator('.msg.bot').nth(2);
    await answer.waitFor();
    expect(await answer.innerText()).toMatch(/36 tháng/);
    const link = answer.locator('a.source').first();
    expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
    expect((await link.innerText()).length).toBeGreaterThan(3);

    const before = await page.locator('.msg.bot').count();
    await page.locator('.buttons button', { hasText: app.messages.menu_buttons[0]!.label }).first().click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(before);
    expect(await page.locator('.msg.user').last().innerText()).toBe(app.messages.menu_buttons[0]!.label);
    // The style file applied (the header is green), and nothing was refused by the CSP.
    expect(await page.locator('header').evaluate((h) => getComputedStyle(h).backgroundColor)).toBe('rgb(46, 125, 50)');
    expect(problems).toEqual([]);
    await page.screenshot({ path: 'test/e2e/.last-web-chat.png', fullPage: true });
    await page.close();
  });

  it('shows the polite reply when the address sends more than CHAT_RATE_LIMIT_PER_MINUTE', async () => {
    const limited = makeApp({ CHAT_RATE_LIMIT_PER_MINUTE: '2' });
    const limitedServer = createHttpServer(limited, silentLogger);
    const limitedUrl = await limitedServer.listen({ host: '127.0.0.1', port: 0 });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
      await page.goto(limitedUrl); // the greeting is the first message
      await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
      for (const text of ['ocop la gi', 'ocop co may sao']) {
        const before = await page.locator('.msg.bot').count();
        await page.fill('#q', text);
        await page.press('#q', 'Enter');
        await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(before);
      }
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
