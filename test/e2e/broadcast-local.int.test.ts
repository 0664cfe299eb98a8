/**
 * Announcements with plain `npm start` (no REDIS_URL): the real app with memory state, Telegram in polling mode
 * against the local Bot API server. Farmers opt in by chat; an officer announces from the console API and from the
 * chat (/thongbao) and from the console's «Thông báo» tab in headless Chromium; each farmer receives it once, with
 * the sender line and the footer on how to stop.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { app as makeApp } from '../support/app.js';
import { launchChromium } from '../support/browser.js';
import { loadConsoleTexts } from '../../src/adapters/files/load-files.js';

const TEXTS = loadConsoleTexts(new URL('../../prompts', import.meta.url).pathname);
function T(key: string): string {
  const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], TEXTS);
  if (typeof value !== 'string') throw new Error(`prompts/console.yaml has no text ${key}`);
  return value;
}

const ADMIN_TOKEN = 'local-broadcast-token-2026';
const SENDER = 'Văn phòng Điều phối NTM tỉnh Cao Bằng';
const HOA = 730001;
const LAN = 730002;
const TUAN = 730003;
const OFFICER = 730900;

describe('announcements without Redis (one process)', () => {
  let telegram: FakeTelegramServer;
  let app: App;
  let server: FastifyInstance;
  let url: string;

  /** One chat message; resolves with the bot's first new answer that contains `expected`. */
  async function say(chatId: number, text: string, expected: string): Promise<string> {
    const before = telegram.messagesTo(chatId).length;
    telegram.queue(telegram.textUpdate(chatId, text, { firstName: 'Nông dân' }));
    // vi.waitFor, not expect.poll: this also runs before the tests.
    return vi.waitFor(
      () => {
        const found = telegram
          .messagesTo(chatId)
          .slice(before)
          .find((m) => m.text.includes(expected))?.text;
        if (found === undefined) throw new Error(`chat ${chatId}: no answer containing "${expected}" to "${text}"`);
        return found;
      },
      { timeout: 15_000, interval: 50 },
    );
  }

  const api = (path: string, body?: unknown) =>
    fetch(`${url}/api/admin${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    telegram = await startFakeTelegramServer();
    app = makeApp({
      ADMIN_TOKEN,
      OFFICER_IDS: `telegram:${OFFICER}`,
      TELEGRAM_BOT_TOKEN: '887766:local-broadcast',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      FLOOD_MAX_MESSAGES: '1000',
      BROADCAST_QUIET_HOURS: 'off',
    });
    server = createHttpServer(app, silentLogger);
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    await app.startChannels();
    for (const chat of [HOA, LAN]) await say(chat, 'nhận thông báo', app.messages.subscribed.slice(0, 30));
    await say(TUAN, 'xin chào', '');
  }, 90_000);

  afterAll(async () => {
    await server?.close();
    await app?.close();
    await telegram?.close();
  });

  it('an officer announces from the console API: each opted-in farmer receives it once, framed; the report adds up', async () => {
    expect(app.redis).toBeUndefined();
    const text = 'Hội chợ OCOP Cao Bằng khai mạc sáng thứ Bảy tại Quảng trường Cao Bằng.';
    const preview = await api('/broadcasts/preview', { text });
    expect(await preview.json()).toMatchObject({
      recipients: 2,
      preview: `${SENDER}\n\n${text}\n\n${app.messages.announcement_footer}`,
    });
    const created = await api('/broadcasts', { text });
    expect(created.status).toBe(201);
    const { id, total } = (await created.json()) as { id: string; total: number };
    expect(total).toBe(2);
    await expect
      .poll(async () => ((await (await api(`/broadcasts/${id}`)).json()) as { status: string }).status, {
        timeout: 20_000,
      })
      .toBe('done');
    expect(await (await api(`/broadcasts/${id}`)).json()).toMatchObject({ sent: 2, failed: 0, inDoubt: 0, pending: 0 });
    for (const chat of [HOA, LAN]) {
      const got = telegram.messagesTo(chat).filter((m) => m.text.includes(text));
      expect(got.map((m) => m.text)).toEqual([`${SENDER}\n\n${text}\n\n${app.messages.announcement_footer}`]);
    }
    expect(telegram.messagesTo(TUAN).some((m) => m.text.includes(text))).toBe(false);
    const list = (await (await api('/broadcasts')).json()) as { items: { id: string }[] };
    expect(list.items.map((r) => r.id)).toEqual([id]);
  });

  it('an officer announces from the chat (/thongbao): the farmers receive it, and /tiendo shows the progress', async () => {
    const m = app.messages;
    const text = 'Tập huấn làm hồ sơ OCOP chiều thứ Năm tại UBND xã.';
    await say(OFFICER, '/thongbao', m.officer_ask_text);
    await say(OFFICER, text, m.officer_ask_audience);
    await say(OFFICER, m.officer_audience_all, text);
    const created = await say(OFFICER, m.officer_send, 'TB-');
    const id = /TB-\d{4}-\d{6}/.exec(created)![0];
    for (const chat of [HOA, LAN]) {
      await expect
        .poll(() => telegram.messagesTo(chat).filter((x) => x.text.includes(text)).length, { timeout: 20_000 })
        .toBe(1);
    }
    expect(
      telegram
        .messagesTo(HOA)
        .find((x) => x.text.includes(text))!
        .text.startsWith(SENDER),
    ).toBe(true);
    await expect.poll(async () => (await app.broadcaster!.report(id))?.status, { timeout: 20_000 }).toBe('done');
    expect(await say(OFFICER, `/tiendo ${id}`, 'Tổng 2')).toContain(id);
  });
  it("the console's «Thông báo» tab works without Redis (headless Chromium): preview, send, progress to done", async () => {
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${url}/admin`);
      await page.fill('#token', ADMIN_TOKEN);
      await page.press('#token', 'Enter');
      await expect.poll(() => page.locator('#app').isVisible(), { timeout: 15_000 }).toBe(true);
      await page.click('#tab-broadcasts');
      const text = 'Mời các chủ thể OCOP dự hội nghị tổng kết năm 2026 tại Nhà văn hóa tỉnh.';
      await page.fill('#bc-text', text);
      await page.click('#bc-preview-button');
      await expect.poll(() => page.getByTestId('bc-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('2');
      await expect.poll(() => page.locator('#bc-send-button').isEnabled(), { timeout: 15_000 }).toBe(true);
      await page.click('#bc-send-button');
      // This campaign's card, not the list's first: the earlier tests' campaigns are listed (and done) already.
      const campaign = page.getByTestId('campaign').filter({ hasText: text });
      await expect
        .poll(() => campaign.getByTestId('c-status').innerText(), { timeout: 30_000 })
        .toBe(T('bc_status_labels.done'));
      expect(await campaign.getByTestId('c-sent').innerText()).toBe('2');
      for (const chat of [HOA, LAN]) {
        expect(telegram.messagesTo(chat).filter((m) => m.text.includes(text))).toHaveLength(1);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
