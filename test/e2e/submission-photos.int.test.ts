/**
 * Photos for a submission, end to end over Telegram (the local Bot API server, polling) with Redis: an officer
 * marks a submission "Cần bổ sung" through the API asking for photos, the producer is told they may send them in
 * the chat, sends one (fetched by getFile and the file root), it is stored and attached with its history line,
 * the officer API serves its bytes with its type and only with the sign-in, and the console's detail panel in
 * headless Chromium shows the picture (decoded: naturalWidth > 0). Around it: a photo with no submission waiting
 * gets a reply naming what the bot can do, a file that is not a JPEG/PNG and one over the cap are refused politely,
 * a photo delivered twice is attached once, and a picture sent as a file counts as a photo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { loadConsoleTexts } from '../../src/adapters/files/load-files.js';
import { format } from '../../src/core/messages.js';
import type { Submission } from '../../src/core/registration/types.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { launchChromium } from '../support/browser.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { jpegHead, solidPng } from '../support/images.js';
import { testLogger } from '../support/log-capture.js';
import { sampleForm } from '../support/submissions.js';

const ADMIN_TOKEN = 'photos-officer-token-2026';
const TEXTS = loadConsoleTexts(new URL('../../prompts', import.meta.url).pathname);
const PRODUCER = 720001;
const STRANGER = 720002;
/** 20 KB: small enough to test the cap with small files. */
const MAX_BYTES = 20 * 1024;
const NOTE = 'Đề nghị bổ sung ảnh sản phẩm và ảnh nhãn mác.';

describe('photos sent for a submission (Telegram, Redis, console in Chromium)', () => {
  let telegram: FakeTelegramServer;
  let app: App;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  let submission: Submission;
  const prefix = uniquePrefix('photos');
  const image = solidPng(64, 48, [200, 30, 30]);
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

  /** Sends an update and waits for the bot's next message to that chat. */
  async function answerTo(chatId: number, update: ReturnType<FakeTelegramServer['textUpdate']>): Promise<string> {
    const before = telegram.messagesTo(chatId).length;
    telegram.queue(update);
    const [reply] = (await telegram.waitForMessages(chatId, before + 1, 20_000)).slice(before);
    return reply!.text;
  }

  beforeAll(async () => {
    telegram = await startFakeTelegramServer();
    app = makeApp({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: '777777:photos-e2e',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      FLOOD_MAX_MESSAGES: '1000',
      ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      ATTACHMENT_MAX_PER_SUBMISSION: '3',
    });
    server = createHttpServer(app, testLogger());
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    await app.startChannels();
    ({ submission } = await app.submissions.create({
      channel: 'telegram',
      userId: String(PRODUCER),
      form: sampleForm(),
      idempotencyKey: `${prefix}-honey`,
      at: Date.now() - 60_000,
    }));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await telegram?.close();
    await dropPrefix(prefix);
  });

  it('before any request for more, a photo gets a reply that names what the bot can do', async () => {
    const reply = await answerTo(PRODUCER, telegram.photoUpdate(PRODUCER, { image }));
    expect(reply).toBe(app.messages.non_text_replies.photo);
    expect(reply).not.toContain('chỉ đọc được chữ');
    expect(reply).toContain('đăng ký');
    expect((await app.submissions.get(submission.id))?.attachments).toBeUndefined();
    expect(telegram.fileDownloads).toEqual([]);
  });

  it('the officer asks for photos; the producer is told they may send them here, and one is attached', async () => {
    const before = telegram.messagesTo(PRODUCER).length;
    const patched = await fetch(`${url}/api/admin/submissions/${submission.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'needs_info', note: NOTE }),
    });
    expect(patched.status).toBe(200);
    const [notice] = (await telegram.waitForMessages(PRODUCER, before + 1, 20_000)).slice(before);
    expect(notice!.text).toContain(NOTE);
    expect(notice!.text.endsWith(app.messages.photo_replies.invite)).toBe(true);

    const update = telegram.photoUpdate(PRODUCER, { image, caption: 'Ảnh chai mật ong' });
    const reply = await answerTo(PRODUCER, update);
    expect(reply).toBe(format(app.messages.photo_replies.received, { code: submission.id, count: 1 }));
    // The largest size was fetched through getFile and the file root.
    const largest = update.message!.photo!.at(-1)!;
    expect(telegram.callsOf('getFile').map((c) => c.payload.file_id)).toEqual([largest.file_id]);
    expect(telegram.fileDownloads).toHaveLength(1);

    const stored = (await app.submissions.get(submission.id))!;
    expect(stored.status).toBe('needs_info');
    expect(stored.attachments).toHaveLength(1);
    expect(stored.attachments![0]).toMatchObject({
      kind: 'photo',
      channel: 'telegram',
      fileId: largest.file_id,
      mime: 'image/png',
      bytes: image.length,
      caption: 'Ảnh chai mật ong',
    });
    expect(stored.history.at(-1)).toMatchObject({
      status: 'needs_info',
      by: 'producer',
      event: 'photo',
      attachmentId: stored.attachments![0]!.id,
    });

    // The same update delivered again is not answered again and attaches nothing more (the next reply is the
    // next photo's).
    telegram.queue(update);
    const next = await answerTo(PRODUCER, telegram.photoUpdate(PRODUCER, { image: jpegHead(MAX_BYTES + 1) }));
    expect(next).toBe(format(app.messages.photo_replies.too_large, { max: '20 KB' }));
    expect((await app.submissions.get(submission.id))!.attachments).toHaveLength(1);
  });

  it('refuses politely a file over the cap (without downloading it) and one that is not a JPEG or PNG', async () => {
    const downloads = telegram.fileDownloads.length;
    const large = await answerTo(PRODUCER, telegram.photoUpdate(PRODUCER, { image: jpegHead(MAX_BYTES + 1) }));
    expect(large).toBe(format(app.messages.photo_replies.too_large, { max: '20 KB' }));
    expect(telegram.fileDownloads).toHaveLength(downloads);
    const html = Buffer.from('<html><body>not a photo</body></html>');
    expect(await answerTo(PRODUCER, telegram.photoUpdate(PRODUCER, { image: html }))).toBe(
      app.messages.photo_replies.not_image,
    );
    expect((await app.submissions.get(submission.id))!.attachments).toHaveLength(1);
    // Someone with no submission at all: the usual reply.
    expect(await answerTo(STRANGER, telegram.photoUpdate(STRANGER, { image }))).toBe(
      app.messages.non_text_replies.photo,
    );
  });

  it('the officer API serves the bytes with their type, only with the sign-in; the list carries no bytes', async () => {
    const stored = (await app.submissions.get(submission.id))!;
    const attachment = stored.attachments![0]!;
    const path = `${url}/api/admin/submissions/${submission.id}/attachments/${attachment.id}`;
    const res = await fetch(path, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), image)).toBe(0);
    expect((await fetch(path)).status).toBe(401);
    expect((await fetch(path, { headers: { authorization: 'Bearer wrong-token-123456789' } })).status).toBe(401);
    expect(
      (await fetch(`${url}/api/admin/submissions/${submission.id}/attachments/nope`, { headers: auth })).status,
    ).toBe(404);
    expect(
      (await fetch(`${url}/api/admin/submissions/OCOP-CB-2026-999999/attachments/${attachment.id}`, { headers: auth }))
        .status,
    ).toBe(404);
    const list = (await (await fetch(`${url}/api/admin/submissions`, { headers: auth })).json()) as {
      items: Submission[];
    };
    const item = list.items.find((s) => s.id === submission.id)!;
    expect(item.attachments?.map((a) => a.id)).toEqual([attachment.id]);
    expect(JSON.stringify(list).length).toBeLessThan(image.length * 4 + 20_000);
    expect(JSON.stringify(list)).not.toContain(image.toString('base64').slice(0, 40));
  });

  it('the console detail shows the photo as a decoded image, and the history line names it', async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${url}/admin`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.press('#token', 'Enter');
    await page.locator(`[data-testid="sub-row"][data-id="${submission.id}"]`).click();
    await expect.poll(() => page.getByTestId('detail').isVisible()).toBe(true);
    const photo = page.getByTestId('detail-photo');
    await expect.poll(() => photo.count()).toBe(1);
    await expect
      .poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 })
      .toBe(64);
    expect(await photo.evaluate((img) => (img as HTMLImageElement).naturalHeight)).toBe(48);
    expect(await photo.isVisible()).toBe(true);
    expect(await photo.getAttribute('src')).toMatch(/^blob:/);
    expect(await page.getByTestId('detail-photos').innerText()).toContain('Ảnh chai mật ong');
    const history = await page.getByTestId('history-item').allInnerTexts();
    expect(history.at(-1)).toContain(TEXTS.detail_history_photo as string);
    expect(errors).toEqual([]);
  });

  it('takes a picture sent as a file (uncompressed) as a photo; a PDF still gets the file reply', async () => {
    const png = solidPng(20, 10);
    expect(await answerTo(PRODUCER, telegram.documentUpdate(PRODUCER, { image: png }))).toBe(
      format(app.messages.photo_replies.received, { code: submission.id, count: 2 }),
    );
    const stored = (await app.submissions.get(submission.id))!;
    expect(stored.attachments?.[1]).toMatchObject({ mime: 'image/png', bytes: png.length });
    expect(await answerTo(PRODUCER, telegram.documentUpdate(PRODUCER))).toBe(app.messages.non_text_replies.file);
  });
});
