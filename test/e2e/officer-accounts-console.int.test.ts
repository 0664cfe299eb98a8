/**
 * Named officers in the console, in a real headless Chromium on a phone screen (390×844) against the real app:
 * the province signs in with the token and creates a commune officer in the "Tài khoản" tab, signs out; the
 * commune officer signs in with a username and password, sees only their commune's submissions, changes one's
 * status, and the history line names them; a reload keeps the session; the session cookie is out of the
 * page's reach (HttpOnly). With Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { loadConsoleTexts } from '../../src/adapters/files/load-files.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Submission } from '../../src/core/registration/types.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { launchChromium, phonePage } from '../support/browser.js';
import { app as makeApp, dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';
import { sampleForm } from '../support/submissions.js';

const ADMIN_TOKEN = 'console-accounts-token-2026';
const TEXTS = loadConsoleTexts(new URL('../../prompts', import.meta.url).pathname) as Record<string, string>;
const fill = (text: string, vars: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? vars[k]! : m));

describe('named officer accounts in the console (headless Chromium, phone screen)', () => {
  let app: App;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const prefix = uniquePrefix('console-accounts');
  let mine: Submission;
  let other: Submission;

  const text = (testid: string) => page.getByTestId(testid).innerText();
  const rowIds = () =>
    page.getByTestId('sub-row').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));

  beforeAll(async () => {
    // With Redis, as a province runs it: accounts, sessions and announcements there.
    app = makeApp({ ADMIN_TOKEN, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, BROADCAST_WORKERS: 'false' });
    server = createHttpServer(app, silentLogger);
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    const create = async (key: string, commune: string, productName: string, at: number) =>
      (
        await app.submissions.create({
          channel: 'telegram',
          userId: key,
          idempotencyKey: key,
          at,
          form: sampleForm({ commune, productName }),
        })
      ).submission;
    mine = await create('ql', 'Xã Quảng Lâm', 'Mật ong bạc hà', Date.now() - 60_000);
    other = await create('tk', 'Xã Trùng Khánh', 'Hạt dẻ Trùng Khánh', Date.now() - 30_000);
    browser = await launchChromium();
    page = await phonePage(browser, pageErrors);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await dropPrefix(prefix);
  });

  it('the province signs in with the token and creates a commune officer in the accounts tab', async () => {
    await page.goto(`${url}/admin`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.press('#token', 'Enter');
    await expect.poll(() => page.locator('#app').isVisible()).toBe(true);
    await expect.poll(() => text('officer-name')).toBe(fill(TEXTS.signed_in_as!, { name: TEXTS.signed_in_token! }));
    expect((await rowIds()).sort()).toEqual([mine.id, other.id].sort());

    await page.click('#tab-accounts');
    await expect.poll(() => page.locator('#acc-form').isVisible()).toBe(true);
    await page.fill('#acc-display-name', 'Nông Văn Minh');
    await page.fill('#acc-username', 'quanglam');
    await page.fill('#acc-password', 'mat-khau-xa-2026');
    // The commune list is searched without diacritics, then ticked.
    await page.fill('#acc-communes-search', 'quang lam');
    await page.locator('[data-testid="acc-commune"][value="Xã Quảng Lâm"]').check();
    expect(await page.locator('#acc-communes label.check:not([hidden])').count()).toBeLessThan(5);
    await page.click('#acc-create');
    await expect.poll(() => text('acc-form-msg')).toBe(fill(TEXTS.acc_created!, { name: 'Nông Văn Minh' }));
    const row = page.locator('[data-testid="acc-row"][data-username="quanglam"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('Xã Quảng Lâm');
    expect(await row.innerText()).toContain(TEXTS.role_commune!);

    await page.click('#sign-out');
    await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
  });

  it('the commune officer signs in, sees only their commune, and the history names them', async () => {
    await page.fill('#username', 'quanglam');
    await page.fill('#password', 'sai-mat-khau-0');
    await page.click('#account-login-button');
    await expect.poll(() => text('login-error')).toBe(TEXTS.account_login_wrong);
    expect(await page.locator('#app').isVisible()).toBe(false);

    await page.fill('#password', 'mat-khau-xa-2026');
    await page.click('#account-login-button');
    await expect.poll(() => page.locator('#app').isVisible()).toBe(true);
    await expect.poll(() => text('officer-name')).toBe(fill(TEXTS.signed_in_as!, { name: 'Nông Văn Minh' }));
    await expect.poll(() => rowIds()).toEqual([mine.id]);
    expect(await page.locator('#tab-accounts').isVisible()).toBe(false);
    // The session cookie is HttpOnly: the page's script cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('ocop_officer_session');
    expect((await page.context().cookies()).map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
      ['ocop_officer_session', true, 'Strict'],
    ]);

    await page.locator(`[data-testid="sub-row"][data-id="${mine.id}"]`).click();
    await expect.poll(() => page.getByTestId('detail').isVisible()).toBe(true);
    await page.selectOption('#status-select', 'reviewing');
    await page.click('#status-submit');
    await expect.poll(() => page.getByTestId('history-item').count()).toBe(2);
    const line = await page.getByTestId('history-item').last().innerText();
    expect(line).toContain(fill(TEXTS.detail_history_by!, { by: 'Nông Văn Minh' }));
    expect((await app.submissions.get(mine.id))?.history.at(-1)?.by).toBe('Nông Văn Minh');
    expect((await app.submissions.get(other.id))?.status).toBe('new');
    await page.click('#detail-close');

    // Announcements: only their commune is offered as an audience.
    await page.click('#tab-broadcasts');
    const offered = await page.evaluate(() => document.getElementById('panel-broadcasts')?.textContent ?? '');
    expect(offered).toContain('Xã Quảng Lâm');
    expect(offered).not.toContain('Xã Trùng Khánh');
    await page.click('#tab-submissions');
  });

  it('keeps the session over a reload, signs out on the server, and raised no page error', async () => {
    await page.reload();
    await expect.poll(() => rowIds()).toEqual([mine.id]);
    await page.click('#sign-out');
    await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
    await expect.poll(async () => (await page.context().cookies()).length).toBe(0);
    await page.reload();
    await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
    expect(await page.locator('#app').isVisible()).toBe(false);
    // The refused wrong password is a 401 the browser reports as a failed load: expected, not a page error.
    expect(pageErrors.filter((e) => !/Failed to load resource: .* 401/.test(e))).toEqual([]);
  });
});
