/**
 * The officer console's in-doubt list and resend, in a real headless Chromium against the real app (Redis,
 * BullMQ workers, Telegram against the local Bot API server). The campaign's states are left as a worker killed
 * mid-request leaves them (claimed, then found in doubt when its job was taken over). The officer sees who is in
 * doubt — names, numbers masked — presses «Gửi lại», confirms, and each of them receives it once. Then the
 * endpoint's refusals (401, 404, 409 for a cancelled campaign).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchChromium, phonePage } from '../support/browser.js';
import type { App } from '../../src/app.js';
import { loadConsoleTexts } from '../../src/adapters/files/load-files.js';
import { RedisBroadcastStore } from '../../src/adapters/redis/broadcast-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisSubscriberStore } from '../../src/adapters/redis/redis-subscriber-store.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';

const ADMIN_TOKEN = 'console-resend-token-2026';
const TEXTS = loadConsoleTexts(new URL('../../prompts', import.meta.url).pathname);
function T(key: string): string {
  const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], TEXTS);
  if (typeof value !== 'string') throw new Error(`prompts/console.yaml has no text ${key}`);
  return value;
}
const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

const HOA = 720001;
const MINH = 720002;
const LAN = 720003;
const PHONE = '0912 345 678';
const CAMPAIGN = 'TB-2026-000042';

describe('console: in-doubt recipients and the resend (headless Chromium)', () => {
  let telegram: FakeTelegramServer;
  let app: App;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  let redis: Redis;
  const prefix = uniquePrefix('bc-console');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    telegram = await startFakeTelegramServer();
    redis = new Redis(TEST_REDIS_URL);
    const keys = createKeys(prefix);
    const subscribers = new RedisSubscriberStore(redis, keys);
    const names: Record<number, string> = { [HOA]: 'Nông Thị Hoa', [MINH]: `Minh ${PHONE}`, [LAN]: 'Lục Thị Lan' };
    for (const chat of [HOA, MINH, LAN]) {
      await subscribers.touch('telegram', String(chat), { displayName: names[chat], at: Date.now() });
      await subscribers.setOptIn('telegram', String(chat), true);
    }
    // A finished campaign: Lan's send was confirmed; Hoa's and Minh's requests were in flight when their worker
    // was killed, and the jobs taken over found them claimed: in doubt.
    const store = new RedisBroadcastStore(redis, keys);
    const at = Date.now();
    const recipients = [HOA, MINH, LAN].map((c) => ({
      channel: 'telegram' as const,
      userId: String(c),
      chatId: String(c),
    }));
    await store.create(
      {
        id: CAMPAIGN,
        content: { text: 'Hội chợ OCOP khai mạc sáng thứ Bảy.' },
        urgent: true,
        createdBy: 'admin',
        createdAt: at,
        startAt: at,
      },
      recipients,
      'running',
    );
    for (const chat of [HOA, MINH]) {
      await store.claim(CAMPAIGN, `telegram:${chat}`, 0, 'worker-1-4242-abc#1', at);
      await store.check(CAMPAIGN, `telegram:${chat}`, 0, at);
    }
    await store.claim(CAMPAIGN, `telegram:${LAN}`, 0, 'worker-1-4242-abc#2', at);
    await store.finish(CAMPAIGN, `telegram:${LAN}`, 'worker-1-4242-abc#2', 'sent', at);

    app = makeApp({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: '889900:console-resend',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      BROADCAST_QUIET_HOURS: 'off',
    });
    server = createHttpServer(app, silentLogger);
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    await app.startChannels();

    browser = await launchChromium();
    page = await phonePage(browser, pageErrors);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await telegram?.close();
    redis?.disconnect();
    await dropPrefix(prefix);
  });

  it('lists who is in doubt without phone numbers, and a confirmed resend reaches each of them once', async () => {
    await page.goto(`${url}/admin`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.press('#token', 'Enter');
    await expect.poll(() => page.locator('#app').isVisible()).toBe(true);
    await page.click('#tab-broadcasts');
    const campaign = page.getByTestId('campaign').first();
    await expect.poll(() => campaign.getByTestId('c-in-doubt').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await campaign.getByTestId('c-in-doubt').innerText()).toContain(T('bc_in_doubt_hint'));
    expect(await campaign.getByTestId('c-in-doubt').innerText()).toContain(T('bc_in_doubt_heading'));
    const people = await campaign.getByTestId('c-in-doubt-person').allInnerTexts();
    expect(people).toHaveLength(2);
    expect(people.join('\n')).toContain('Telegram · Nông Thị Hoa');
    expect(people.join('\n')).toContain('Telegram · Minh ***');
    expect(await page.content()).not.toContain(PHONE);
    expect(await page.content()).not.toContain(String(HOA));
    expect(await campaign.getByTestId('c-in-doubt').innerText()).not.toContain('Lục Thị Lan');
    expect(await campaign.getByTestId('c-status').innerText()).toBe(T('bc_status_labels.done'));

    // First press only arms the button; nothing is sent until the second.
    const resend = campaign.getByTestId('c-resend');
    expect(await resend.innerText()).toBe(fill(T('bc_resend'), { count: 2 }));
    await resend.click();
    await expect.poll(() => resend.innerText()).toBe(fill(T('bc_resend_confirm'), { count: 2 }));
    expect(telegram.messages).toHaveLength(0);
    await resend.click();
    await expect
      .poll(() => page.locator('#bc-list-msg').innerText())
      .toBe(fill(T('bc_resent_ok'), { id: CAMPAIGN, count: 2 }));
    await expect.poll(() => campaign.getByTestId('c-in-doubt').isVisible(), { timeout: 30_000 }).toBe(false);
    await expect
      .poll(() => campaign.getByTestId('c-status').innerText(), { timeout: 30_000 })
      .toBe(T('bc_status_labels.done'));
    expect(await campaign.getByTestId('c-sent').innerText()).toBe('3');
    expect(await campaign.getByTestId('c-in-doubt-count').isVisible()).toBe(false);
    expect(await campaign.getByTestId('c-resent').innerText()).toBe('2');
    expect(telegram.messagesTo(HOA)).toHaveLength(1);
    expect(telegram.messagesTo(MINH)).toHaveLength(1);
    expect(telegram.messagesTo(LAN)).toHaveLength(0);
    expect(await app.broadcaster!.report(CAMPAIGN)).toMatchObject({ inDoubt: 0, sent: 3, resent: 2, pending: 0 });
    expect(pageErrors).toEqual([]);
  });

  it('the resend endpoint: 401 without the token, 404 for an unknown campaign, 409 for a cancelled one, 0 when nobody is in doubt', async () => {
    const post = (path: string, token = ADMIN_TOKEN) =>
      fetch(`${url}/api/admin${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await post(`/broadcasts/${CAMPAIGN}/resend-in-doubt`, 'wrong-token-000000')).status).toBe(401);
    expect((await post('/broadcasts/TB-2026-999999/resend-in-doubt')).status).toBe(404);
    const again = await post(`/broadcasts/${CAMPAIGN}/resend-in-doubt`);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ resent: 0, report: { id: CAMPAIGN, inDoubt: 0 } });
    const created = await fetch(`${url}/api/admin/broadcasts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Để sau', urgent: true, sendAt: Date.now() + 3600_000 }),
    });
    const { id } = (await created.json()) as { id: string };
    expect((await post(`/broadcasts/${id}/cancel`)).status).toBe(200);
    const refused = await post(`/broadcasts/${id}/resend-in-doubt`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: 'campaign_cancelled' });
  });
});
