import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/core/logger.js';
import type { App } from '../../src/app.js';
import { app as makeApp } from '../support/app.js';

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
    await page.goto(url);
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
    await page.screenshot({ path: 'test/e2e/.last-web-chat.png', fullPage: true });
    await page.close();
  });
});
