/**
 * The officer console (GET /admin) in a real headless Chromium on a phone-sized screen, against the real app
 * with Redis and Telegram in polling mode (local Bot API server). Data is seeded through the real paths:
 * producers write to the bot ("nhận thông báo", questions it cannot answer) and submissions are stored by the
 * submission store. The officer then signs in (a wrong token first), filters and searches submissions, changes
 * one's status (the producer's chat receives the notice), is refused an impossible change, downloads the CSV,
 * sends an announcement to everyone opted in and watches it finish, schedules and cancels another, reads the
 * unanswered questions and the figures, and signs out.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phonePage } from '../support/browser.js';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { loadConsoleTexts } from '../../src/adapters/files/load-files.js';
import { silentLogger } from '../../src/core/logger.js';
import { parseConfig } from '../../src/config.js';
import { framed, renderAnnouncement } from '../../src/core/broadcast/types.js';
import type { Submission } from '../../src/core/registration/types.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { sampleForm } from '../support/submissions.js';

const ADMIN_TOKEN = 'console-officer-token-2026';
const REDIS_URL = TEST_REDIS_URL;
const TEXTS = loadConsoleTexts(new URL('../../prompts', import.meta.url).pathname);
/** A console text from prompts/console.yaml ("bc_status_labels.done"). */
function T(key: string): string {
  const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], TEXTS);
  if (typeof value !== 'string') throw new Error(`prompts/console.yaml has no text ${key}`);
  return value;
}

/** Telegram producers: three opted in to announcements, one who only asks questions. */
const HOA = 710001;
const MINH = 710002;
const LAN = 710003;
const TUAN = 710004;
const OPTED_IN = [HOA, MINH, LAN];
const UNANSWERABLE = 'Con trâu nhà tôi bị ốm thì chữa thế nào?';

/** A text with its {placeholders} filled, as the page does. */
const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

describe('officer console in headless Chromium (phone screen)', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let app: App;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  const prefix = uniquePrefix('console');
  const pageErrors: string[] = [];
  const subs: Record<'honey' | 'noodles' | 'chestnut', Submission> = {} as never;

  /** One message from a producer; resolves once the bot's answer contains `expected` (used before the tests: no expect.poll). */
  async function say(chatId: number, text: string, expected: string): Promise<void> {
    const before = telegram.messagesTo(chatId).length;
    telegram.queue(telegram.textUpdate(chatId, text, { firstName: 'Nông dân' }));
    const deadline = Date.now() + 10_000;
    while (
      !telegram
        .messagesTo(chatId)
        .slice(before)
        .some((m) => m.text.includes(expected))
    ) {
      if (Date.now() > deadline)
        throw new Error(
          `chat ${chatId}: no answer containing "${expected}" to "${text}": ${JSON.stringify(telegram.messagesTo(chatId).map((m) => m.text))}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const text = (testid: string) => page.getByTestId(testid).innerText();
  const rows = () => page.getByTestId('sub-row');
  const rowIds = () => rows().evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));

  beforeAll(async () => {
    telegram = await startFakeTelegramServer();
    zalo = await startFakeZaloServer({ token: '5557:console-e2e', pollWaitMs: 100 });
    app = makeApp({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: '888888:console-e2e',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ZALO_BOT_TOKEN: '5557:console-e2e',
      ZALO_API_ROOT: zalo.apiRoot,
      FLOOD_MAX_MESSAGES: '1000',
      // The announcement must go out whatever the hour the test runs at.
      BROADCAST_QUIET_HOURS: 'off',
    });
    server = createHttpServer(app, silentLogger);
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    await app.startChannels();

    // Producers talk to the bot: three ask for announcements, two ask what it cannot answer.
    for (const chat of OPTED_IN) await say(chat, 'nhận thông báo', app.messages.subscribed.slice(0, 30));
    await say(TUAN, UNANSWERABLE, app.messages.abstain.slice(0, 30));
    await say(MINH, UNANSWERABLE, app.messages.abstain.slice(0, 30));
    for (const chat of OPTED_IN) expect((await app.subscribers.get('telegram', String(chat)))?.optedIn).toBe(true);

    // Their submissions, stored as the chat's confirmation stores them.
    const at = Date.now();
    const create = async (chat: number, key: string, form: Parameters<typeof sampleForm>[0], offset: number) =>
      (
        await app.submissions.create({
          channel: 'telegram',
          userId: String(chat),
          form: sampleForm(form),
          idempotencyKey: `${prefix}-${key}`,
          at: at - offset,
        })
      ).submission;
    subs.honey = await create(HOA, 'honey', {}, 3 * 60_000);
    subs.noodles = await create(
      MINH,
      'noodles',
      {
        ownerName: 'Hộ kinh doanh Lương Thị Hoa',
        ownerType: 'household',
        contactName: 'Lương Thị Hoa',
        phone: '0987654321',
        commune: 'Xã Nguyên Bình',
        productName: 'Miến dong Nguyên Bình',
        productGroup: {
          code: 'I.2.a',
          sector: 'Thực phẩm',
          group: 'Thực phẩm thô, sơ chế',
          subgroup: 'Gạo, ngũ cốc, hạt sơ chế khác',
        },
      },
      2 * 60_000,
    );
    subs.chestnut = await create(
      LAN,
      'chestnut',
      {
        ownerName: 'Hợp tác xã Hạt dẻ Khâm Thành',
        phone: '0978111222',
        commune: 'Xã Trùng Khánh',
        productName: 'Hạt dẻ Trùng Khánh',
        productGroup: {
          code: 'I.1.a',
          sector: 'Thực phẩm',
          group: 'Thực phẩm tươi sống',
          subgroup: 'Rau, củ, quả, hạt tươi',
        },
      },
      60_000,
    );
    // The noodle maker sent a self-score with the submission (as "Gửi kết quả cho cán bộ" attaches it).
    await app.submissions.attachAssessment(subs.noodles.id, {
      set: 7,
      setName: 'Chế biến từ rau, củ, quả, hạt',
      product: 'Miến dong Nguyên Bình',
      parts: { A: 24, B: 11, C: 9 },
      total: 44,
      open: 16,
      stars: 2,
      starsAtCeiling: 3,
      nextStars: 3,
      missing: [
        { id: 'B.5.b', title: 'Trí tuệ/bản sắc địa phương', needs: 'Có câu chuyện riêng, gắn với nguồn gốc xuất xứ' },
      ],
      answered: 26,
      skipped: 1,
      at,
    });
    await app.submissions.changeStatus(subs.chestnut.id, {
      status: 'accepted',
      by: 'admin',
      at: Date.now(),
      note: 'Đủ điều kiện',
    });

    browser = await launchChromium();
    page = await phonePage(browser, pageErrors, { acceptDownloads: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await telegram?.close();
    await zalo?.close();
    await dropPrefix(prefix);
  });

  it('serves the page without data, with strict headers and no external assets', async () => {
    const res = await fetch(`${url}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);
    // The page's own CSP (its inline blocks by hash), not the API's default-src-only one from helmet.
    expect(csp).toMatch(/script-src 'sha256-/);
    const html = await res.text();
    expect(html).toContain(T('title'));
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain(subs.honey.id);
    expect((await fetch(`${url}/admin/`)).status).toBe(200);
  });

  it('refuses a wrong token, then signs in with the right one', async () => {
    const res = await page.goto(`${url}/admin`);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
    await page.fill('#token', 'not-the-right-token-123');
    await page.click('#login-button');
    await expect.poll(() => text('login-error')).toBe(T('login_wrong'));
    expect(await page.locator('#app').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('ocop-admin-token'))).toBeNull();

    await page.fill('#token', ADMIN_TOKEN);
    await page.press('#token', 'Enter');
    await expect.poll(() => page.locator('#app').isVisible()).toBe(true);
    await expect.poll(() => rows().count()).toBe(3);
    expect(await rowIds()).toEqual([subs.chestnut.id, subs.noodles.id, subs.honey.id]); // newest first
    expect(await page.evaluate(() => sessionStorage.getItem('ocop-admin-token'))).toBe(ADMIN_TOKEN);

    // A reload keeps the session (sessionStorage), and the page fits a phone's width.
    await page.reload();
    await expect.poll(() => rows().count()).toBe(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('folds the filters on a phone, with a summary; communes and groups are ticked from a list searched without diacritics', async () => {
    // Folded: the list starts on the first screen, the summary says nothing is filtered.
    expect(await page.locator('#sub-filter-panel').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.locator('#f-status').isVisible()).toBe(false);
    expect(await text('sub-filter-summary')).toBe(T('filter_summary_none'));
    const firstRow = await rows().first().boundingBox();
    expect(firstRow!.y + firstRow!.height).toBeLessThanOrEqual(844);
    expect(await page.locator('select[multiple]').count()).toBe(0);

    await page.getByTestId('sub-filter-toggle').click();
    await expect.poll(() => page.locator('#f-status').isVisible()).toBe(true);
    const communeItems = page.getByTestId('f-commune-item');
    await expect.poll(() => communeItems.count()).toBeGreaterThan(10);
    await page.getByTestId('f-commune-search').fill('nguyen binh');
    await expect.poll(() => communeItems.filter({ visible: true }).allInnerTexts()).toEqual(['Xã Nguyên Bình']);
    await communeItems.filter({ hasText: 'Xã Nguyên Bình' }).click();
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id]);
    // A second commune: submissions from either.
    await page.getByTestId('f-commune-search').fill('TRUNG KHANH');
    await communeItems.filter({ hasText: 'Xã Trùng Khánh' }).click();
    await expect.poll(() => rowIds()).toEqual([subs.chestnut.id, subs.noodles.id]);
    // Listed in the directory's order, whatever order they were ticked in.
    expect(await text('sub-filter-summary')).toMatch(
      new RegExp(
        `^${fill(T('filter_summary_communes'), { value: '(Xã Nguyên Bình, Xã Trùng Khánh|Xã Trùng Khánh, Xã Nguyên Bình)' })}$`,
      ),
    );
    // A product group found by its name without diacritics: with the two communes, the noodles only.
    await page.getByTestId('f-group-search').fill('ngu coc');
    await page.locator('[data-testid="f-group-item"][data-value="I.2.a"]').click();
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id]);
    expect(await text('sub-filter-summary')).toContain(fill(T('filter_summary_groups'), { value: 'I.2.a' }));
    await page.click('#sub-reset');
    await expect.poll(() => rows().count()).toBe(3);
    expect(await text('sub-filter-summary')).toBe(T('filter_summary_none'));
    expect(await page.locator('#f-commune input:checked').count()).toBe(0);
  });

  it('shows and takes dates as dd/mm/yyyy: the list, the detail and the date filters', async () => {
    const vn = (at: number) => new Date(at + 7 * 3600_000).toISOString();
    const day = (at: number) => `${vn(at).slice(8, 10)}/${vn(at).slice(5, 7)}/${vn(at).slice(0, 4)}`;
    const honeyRow = page.locator(`[data-testid="sub-row"][data-id="${subs.honey.id}"]`);
    expect(await honeyRow.getByTestId('sub-date').innerText()).toBe(day(subs.honey.createdAt));
    await honeyRow.click();
    await expect
      .poll(() => text('detail-created'))
      .toBe(`${day(subs.honey.createdAt)} ${vn(subs.honey.createdAt).slice(11, 16)}`);
    await page.click('#detail-close');

    expect(await page.getByTestId('f-from').getAttribute('type')).toBe('text');
    await page.getByTestId('f-from').fill(day(subs.honey.createdAt));
    await page.getByTestId('f-from').press('Enter');
    await expect.poll(() => rows().count()).toBe(3);
    expect(await text('sub-filter-summary')).toBe(fill(T('filter_summary_from'), { value: day(subs.honey.createdAt) }));
    await page.getByTestId('f-to').fill(day(subs.honey.createdAt - 24 * 3600_000));
    await page.getByTestId('f-to').press('Enter');
    await expect.poll(() => page.locator('#sub-msg').innerText()).toBe(T('sub_dates_wrong'));
    await page.getByTestId('f-to').fill('31/02/2026');
    await page.getByTestId('f-to').press('Enter');
    await expect.poll(() => page.locator('#sub-msg').innerText()).toBe(T('sub_date_invalid'));
    // The day before: nothing yet sent.
    await page.getByTestId('f-from').fill('');
    await page.getByTestId('f-to').fill(day(subs.honey.createdAt - 24 * 3600_000));
    await page.getByTestId('f-to').press('Enter');
    await expect.poll(() => rows().count()).toBe(0);
    await page.click('#sub-reset');
    await expect.poll(() => rows().count()).toBe(3);
  });

  it('filters by status and searches by product without diacritics', async () => {
    await expect.poll(() => page.locator('#f-status option').count()).toBe(6); // "Tất cả" + 5 statuses from /meta
    await page.selectOption('#f-status', 'new');
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id, subs.honey.id]);
    await page.fill('#f-search', 'mien dong');
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id]);
    await page.fill('#f-search', '0912 345');
    await expect.poll(() => rowIds()).toEqual([subs.honey.id]);
    await page.fill('#f-search', '');
    await expect.poll(() => rows().count()).toBe(2);
    expect(await text('sub-count')).toBe(fill(T('sub_count'), { shown: 2, total: 2 }));
  });

  it('opens a submission, changes its status with a note, and the producer is told on Telegram', async () => {
    const before = telegram.messagesTo(HOA).length;
    await page.locator(`[data-testid="sub-row"][data-id="${subs.honey.id}"]`).click();
    await expect.poll(() => page.getByTestId('detail').isVisible()).toBe(true);
    await expect.poll(() => text('field-ownerName')).toBe('Hợp tác xã Nông sản Quảng Lâm');
    expect(await text('field-ownerType')).toBe(app.messages.owner_type_labels.cooperative);
    expect(await text('field-productGroup')).toContain('I.2.b');
    expect(await text('field-phone')).toBe('0912345678');
    expect(await text('detail-status')).toBe(app.messages.status_labels.new);
    expect(await page.getByTestId('history-item').count()).toBe(1);
    expect(await page.locator('#detail-fields dt').allInnerTexts()).toContain(
      app.messages.form_fields.targetMarket.label,
    );

    await page.selectOption('#status-select', 'needs_info');
    await page.fill('#status-note', 'Đề nghị bổ sung ảnh sản phẩm và nhãn mác.');
    await page.click('#status-submit');
    await expect
      .poll(() => text('status-msg'))
      .toBe(
        `${fill(T('detail_saved'), { status: app.messages.status_labels.needs_info })} ${fill(T('detail_notice_sent'), { channel: 'Telegram' })}`,
      );
    await expect.poll(() => page.getByTestId('history-item').count()).toBe(2);
    expect(await page.getByTestId('history-item').last().innerText()).toContain(
      'Đề nghị bổ sung ảnh sản phẩm và nhãn mác.',
    );

    const notices = await telegram.waitForMessages(HOA, before + 1);
    const notice = notices
      .slice(before)
      .map((m) => m.text)
      .join('\n');
    expect(notice).toContain(subs.honey.id);
    expect(notice).toContain(app.messages.status_labels.needs_info);
    expect(notice).toContain('Đề nghị bổ sung ảnh sản phẩm và nhãn mác.');

    await page.click('#detail-close');
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id]); // still filtered on "Mới"
    await page.selectOption('#f-status', '');
    await expect.poll(() => rows().count()).toBe(3);
    expect(
      await page.locator(`[data-testid="sub-row"][data-id="${subs.honey.id}"] [data-testid="sub-status"]`).innerText(),
    ).toBe(app.messages.status_labels.needs_info);
  });

  it('shows that a change is not allowed from the current status (409)', async () => {
    await page.locator(`[data-testid="sub-row"][data-id="${subs.chestnut.id}"]`).click();
    await expect.poll(() => text('detail-status')).toBe(app.messages.status_labels.accepted);
    await page.selectOption('#status-select', 'reviewing');
    await page.click('#status-submit');
    await expect
      .poll(() => text('status-msg'))
      .toBe(
        fill(T('detail_conflict'), {
          from: app.messages.status_labels.accepted,
          to: app.messages.status_labels.reviewing,
        }),
      );
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('detail').isVisible()).toBe(false);
  });

  it('filters the submissions with a self-score and shows it: points per part, stars, missing criteria', async () => {
    await page.selectOption('#f-assessment', 'with');
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id]);
    await page.selectOption('#f-assessment', 'without');
    await expect.poll(() => rowIds()).toEqual([subs.chestnut.id, subs.honey.id]);
    await page.selectOption('#f-assessment', 'with');
    await expect.poll(() => rowIds()).toEqual([subs.noodles.id]);
    await page.locator(`[data-testid="sub-row"][data-id="${subs.noodles.id}"]`).click();
    await expect.poll(() => page.getByTestId('detail-assessment').isVisible()).toBe(true);
    expect(await text('assessment-parts')).toBe(
      fill(T('assessment_parts'), { a: 24, b: 11, c: 9, total: 44, open: 16 }),
    );
    expect(await text('assessment-stars')).toBe(fill(T('assessment_stars'), { stars: 2, ceiling: 3, skipped: 1 }));
    expect(await text('assessment-missing')).toBe(
      fill(T('assessment_missing_item'), {
        title: 'Trí tuệ/bản sắc địa phương',
        needs: 'Có câu chuyện riêng, gắn với nguồn gốc xuất xứ',
      }),
    );
    await page.click('#detail-close');
    // A submission without one shows no such card.
    await page.selectOption('#f-assessment', '');
    await expect.poll(() => rows().count()).toBe(3);
    await page.locator(`[data-testid="sub-row"][data-id="${subs.honey.id}"]`).click();
    await expect.poll(() => text('field-ownerName')).toBe('Hợp tác xã Nông sản Quảng Lâm');
    expect(await page.getByTestId('detail-assessment').isVisible()).toBe(false);
    await page.click('#detail-close');
  });

  it('downloads the CSV with the bearer token', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-button')]);
    expect(download.suggestedFilename()).toMatch(/^ocop-dang-ky-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    for (const s of Object.values(subs)) expect(csv).toContain(s.id);
    expect(csv).toContain('Miến dong Nguyên Bình');
    // The self-score's columns: filled for the noodles, empty for the others.
    expect(csv).toContain(app.messages.admin_csv_headers.assessment_total);
    expect(csv).toContain('Bộ 7. Chế biến từ rau, củ, quả, hạt');
    expect(csv).toContain('Trí tuệ/bản sắc địa phương: Có câu chuyện riêng, gắn với nguồn gốc xuất xứ');
  });

  it('sends an announcement to everyone opted in: preview count, then live progress to "Hoàn thành"', async () => {
    // Progress comes by the event stream, not by asking for the list again and again.
    const asked: string[] = [];
    const onRequest = (req: { url(): string; method(): string }) => {
      const path = new URL(req.url()).pathname;
      if (req.method() === 'GET' && path.startsWith('/api/admin/broadcasts')) asked.push(path);
    };
    page.on('request', onRequest);
    await page.click('#tab-broadcasts');
    await expect.poll(() => page.getByTestId('bc-channel-telegram').count()).toBe(1);
    const announcement =
      'Hội chợ OCOP Cao Bằng 2026 diễn ra từ 10 đến 12/5 tại Quảng trường 3/10. Mời các chủ thể đăng ký gian hàng.';
    await page.fill('#bc-text', announcement);
    await page.fill('#bc-link', 'https://caobang.gov.vn/hoi-cho-ocop');
    expect(await page.locator('#bc-send-button').isDisabled()).toBe(true); // nothing previewed yet
    await page.click('#bc-preview-button');
    await expect.poll(() => page.getByTestId('bc-count').getAttribute('data-count')).toBe('3');
    expect(await text('bc-count')).toBe(fill(T('bc_recipients'), { count: 3 }));
    // What the farmers will read: the sender line, the text and link, and how to stop announcements.
    expect(await text('bc-preview-text')).toBe(
      renderAnnouncement(
        framed(
          { text: announcement, link: 'https://caobang.gov.vn/hoi-cho-ocop' },
          { sender: parseConfig({}).ANNOUNCEMENT_SENDER, footer: app.messages.announcement_footer },
        ),
      ),
    );
    await expect.poll(() => page.locator('#bc-send-button').isEnabled()).toBe(true);

    // Changing the audience after the preview asks for a new preview; restoring it allows sending again.
    await page.check('[data-testid="bc-channel-zalo"]');
    await expect.poll(() => page.locator('#bc-send-button').isDisabled()).toBe(true);
    expect(await text('bc-msg')).toBe(T('bc_preview_stale'));
    await page.uncheck('[data-testid="bc-channel-zalo"]');
    await expect.poll(() => page.locator('#bc-send-button').isEnabled()).toBe(true);

    await page.click('#bc-send-button');
    const campaign = page.getByTestId('campaign').first();
    await expect
      .poll(() => text('bc-msg'), { timeout: 60_000 })
      .toMatch(new RegExp(fill(T('bc_sent_ok'), { id: '.+' })));
    await expect
      .poll(() => campaign.getByTestId('c-status').innerText(), { timeout: 60_000 })
      .toBe(T('bc_status_labels.done'));
    expect(await campaign.getByTestId('c-total').innerText()).toBe('3');
    expect(await campaign.getByTestId('c-sent').innerText()).toBe('3');
    expect(await campaign.getByTestId('c-failed').innerText()).toBe('0');
    expect(await campaign.getByTestId('c-pending').innerText()).toBe('0');
    expect(await campaign.getByTestId('c-duration').innerText()).toMatch(/^Thời gian gửi: .*(giây|phút)/);
    expect(await campaign.getByTestId('c-cancel').isVisible()).toBe(false);
    expect(await campaign.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');

    for (const chat of OPTED_IN) {
      await expect
        .poll(() => telegram.messagesTo(chat).some((m) => m.text.includes(announcement)), { timeout: 60_000 })
        .toBe(true);
    }
    expect(telegram.messagesTo(TUAN).some((m) => m.text.includes(announcement))).toBe(false);
    page.off('request', onRequest);
    expect(asked.filter((p) => p === '/api/admin/broadcasts/events')).toHaveLength(1);
    // The list itself: on opening the tab and after sending, whatever the time the campaign took.
    expect(asked.filter((p) => p === '/api/admin/broadcasts').length).toBeLessThanOrEqual(2);
    await page.screenshot({ path: 'test/e2e/.last-admin-console.png', fullPage: true });
  });

  it('schedules an urgent announcement for later and cancels it', async () => {
    // Two hours from now, typed as Vietnam wall-clock time, dd/mm/yyyy hh:mm.
    const iso = new Date(Date.now() + 2 * 3600_000 + 7 * 3600_000).toISOString();
    const later = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
    await page.fill('#bc-text', 'Lịch tập huấn OCOP tháng 6.');
    await page.check('#bc-urgent');
    await page.fill('#bc-send-at', later);
    expect(await page.locator('#bc-send-button').innerText()).toBe(T('bc_schedule_button'));
    await page.click('#bc-preview-button');
    await expect.poll(() => page.getByTestId('bc-count').getAttribute('data-count')).toBe('3');
    await page.click('#bc-send-button');
    // This campaign's card: the one sent above is listed (and done) already.
    const campaign = page.getByTestId('campaign').filter({ hasText: 'Lịch tập huấn OCOP tháng 6.' });
    await expect
      .poll(() => campaign.getByTestId('c-status').innerText(), { timeout: 60_000 })
      .toBe(T('bc_status_labels.scheduled'));
    expect(await campaign.getByTestId('c-text').innerText()).toBe('Lịch tập huấn OCOP tháng 6.');
    expect(await campaign.getByTestId('c-times').innerText()).toContain(fill(T('bc_start_at'), { time: '' }));

    await campaign.getByTestId('c-cancel').click();
    await expect.poll(() => campaign.getByTestId('c-cancel').innerText()).toBe(T('bc_cancel_confirm'));
    await campaign.getByTestId('c-cancel').click();
    await expect
      .poll(() => campaign.getByTestId('c-status').innerText(), { timeout: 60_000 })
      .toBe(T('bc_status_labels.cancelled'));
    expect(await page.getByTestId('campaign').count()).toBe(2);
  });

  it('falls back to slow polling when the event stream cannot be opened', async () => {
    await page.route('**/api/admin/broadcasts/events', (route) => route.abort('failed'));
    await page.click('#tab-unanswered'); // leaving the tab ends the stream
    const report = await app.broadcaster!.create({
      content: { text: 'Họp trực tuyến OCOP.' },
      sendAt: Date.now() + 3 * 3600_000,
      createdBy: 'admin',
    });
    await page.click('#tab-broadcasts');
    const campaign = page.locator(`[data-testid="campaign"][data-id="${report.id}"]`);
    await expect.poll(() => campaign.getByTestId('c-status').innerText()).toBe(T('bc_status_labels.scheduled'));
    // Cancelled elsewhere: the page learns it from its next poll, without the stream.
    await app.broadcaster!.cancel(report.id);
    await expect
      .poll(() => campaign.getByTestId('c-status').innerText(), { timeout: 30_000 })
      .toBe(T('bc_status_labels.cancelled'));
    await page.unroute('**/api/admin/broadcasts/events');
  });

  it('lists the questions the assistant could not answer', async () => {
    await page.click('#tab-unanswered');
    const item = page.getByTestId('unanswered').filter({ hasText: 'bị ốm' }).first();
    await expect.poll(() => item.count(), { timeout: 60_000 }).toBe(1);
    expect(await item.getByTestId('un-count').innerText()).toBe(fill(T('un_count'), { count: 2 }));
    expect(await page.locator('#un-hint').innerText()).toContain('knowledge/');
  });

  it('marks a group of unanswered questions as handled: it leaves the open list for «Đã xử lý», and can be reopened', async () => {
    const open = page.getByTestId('un-list').getByTestId('unanswered').filter({ hasText: 'bị ốm' });
    await open.getByTestId('un-done').click();
    await expect.poll(() => open.count()).toBe(0);
    const handled = page.getByTestId('un-handled-item').filter({ hasText: 'bị ốm' });
    expect(await handled.count()).toBe(1);
    await page.getByTestId('un-handled-panel').locator('summary').click();
    expect(await handled.getByTestId('un-count').innerText()).toBe(fill(T('un_count'), { count: 2 }));
    // Kept by the server: a reload shows the same.
    await page.click('#un-refresh');
    await expect.poll(() => page.getByTestId('un-handled-item').filter({ hasText: 'bị ốm' }).count()).toBe(1);
    expect(await open.count()).toBe(0);
    await handled.getByTestId('un-reopen').click();
    await expect.poll(() => open.count()).toBe(1);
    expect(await page.getByTestId('un-handled-item').count()).toBe(0);
  });

  it('answers a group of unanswered questions: both Telegram askers get the answer, and it is handled', async () => {
    const open = page.getByTestId('un-list').getByTestId('unanswered').filter({ hasText: 'bị ốm' });
    const before = { tuan: telegram.messagesTo(TUAN).length, minh: telegram.messagesTo(MINH).length };
    await open.getByTestId('un-answer').locator('summary').click();
    const answer = 'Bà con liên hệ Trạm Thú y xã để được hướng dẫn chữa trâu ốm.';
    await open.getByTestId('un-answer-text').fill(answer);
    await open.getByTestId('un-answer-send').click();
    await expect.poll(() => page.getByTestId('un-msg').innerText()).toBe(fill(T('un_answer_ok'), { count: 2 }));
    for (const [chat, n] of [
      [TUAN, before.tuan],
      [MINH, before.minh],
    ] as const) {
      const got = await telegram.waitForMessages(chat, n + 1);
      expect(got.at(-1)!.text).toBe(
        app.messages.officer_answer.replace('{question}', UNANSWERABLE).replace('{answer}', answer),
      );
    }
    // The page shows the result first and then reloads the list, so the list is waited for.
    await expect.poll(() => open.count()).toBe(0);
    await expect.poll(() => page.getByTestId('un-handled-answer').count()).toBe(1);
    // Still unfolded from the test before.
    expect(await page.getByTestId('un-handled-panel').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.getByTestId('un-handled-answer').innerText()).toBe(fill(T('un_handled_answer'), { answer }));
  });

  it('shows a polite message for 429 and for a network failure', async () => {
    await page.route('**/api/admin/unanswered', (route) =>
      route.fulfill({ status: 429, contentType: 'application/json', body: '{"error":"too_many_attempts"}' }),
    );
    await page.click('#un-refresh');
    await expect.poll(() => text('notice')).toBe(T('error_rate_limited'));
    await page.unroute('**/api/admin/unanswered');
    await page.route('**/api/admin/unanswered', (route) => route.abort('failed'));
    await page.click('#un-refresh');
    await expect.poll(() => text('notice')).toBe(T('error_network'));
    await page.unroute('**/api/admin/unanswered');
  });

  it('shows the figures: users and opted-in users per channel', async () => {
    await page.click('#tab-stats');
    const telegramRow = page.locator('[data-testid="st-channel"][data-channel="telegram"]');
    await expect.poll(() => telegramRow.count(), { timeout: 60_000 }).toBe(1);
    expect(await telegramRow.getByTestId('st-users-count').innerText()).toBe('4');
    expect(await telegramRow.getByTestId('st-opted-count').innerText()).toBe('3');
    expect(await page.getByTestId('st-submissions').innerText()).toContain(app.messages.status_labels.needs_info);
  });

  it("draws the charts as SVG bars matching the seeded data, and exports each chart's figures as CSV", async () => {
    const bars = (chart: string, series?: string) =>
      page.locator(`[data-testid="${chart}"] [data-testid="chart-bar"]${series ? `[data-series="${series}"]` : ''}`);
    const values = async (chart: string, series: string): Promise<Record<string, number>> =>
      Object.fromEntries(
        await bars(chart, series).evaluateAll((rects) =>
          rects.map((r) => [String((r as SVGElement).dataset.key), Number((r as SVGElement).dataset.value)]),
        ),
      );
    // 14 days (the default), three series each.
    await expect.poll(() => bars('chart-day').count()).toBe(14 * 3);
    expect(await page.locator('[data-testid="chart-day"] svg').count()).toBe(1);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const byDay = await values('chart-day', 'submissions');
    expect(byDay[today]).toBe(3);
    expect(Object.values(byDay).reduce((a, b) => a + b, 0)).toBe(3);
    const [asked] = await app.questions.daily(1, Date.now());
    expect((await values('chart-day', 'questions'))[today]).toBe(asked!.total);
    expect((await values('chart-day', 'unanswered'))[today]).toBe(2); // Tuấn's and Minh's buffalo
    expect(await values('chart-commune', 'submissions')).toEqual({
      'Xã Quảng Lâm': 1,
      'Xã Nguyên Bình': 1,
      'Xã Trùng Khánh': 1,
    });
    expect(await values('chart-group', 'submissions')).toEqual({ 'I.2': 2, 'I.1': 1 });
    await page.getByTestId('chart-day').scrollIntoViewIfNeeded();
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/console.png' });

    // The exports: the same figures, for Excel.
    const download = async (testid: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      return { name: file.suggestedFilename(), csv: readFileSync((await file.path())!, 'utf8') };
    };
    const day = await download('chart-csv-day');
    expect(day.name).toMatch(/^ocop-so-lieu-theo-ngay-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(day.csv.charCodeAt(0)).toBe(0xfeff);
    const lines = day.csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe([T('ch_col_day'), T('ch_questions'), T('ch_unanswered'), T('ch_submissions')].join(','));
    expect(lines).toHaveLength(15);
    const ddmmyyyy = `${today.slice(8, 10)}/${today.slice(5, 7)}/${today.slice(0, 4)}`;
    expect(lines.at(-1)).toBe(`${ddmmyyyy},${asked!.total},2,3`);
    const communes = await download('chart-csv-commune');
    expect(communes.csv.slice(1).trimEnd().split('\r\n').slice(1).sort()).toEqual([
      'Xã Nguyên Bình,1',
      'Xã Quảng Lâm,1',
      'Xã Trùng Khánh,1',
    ]);
    const groups = await download('chart-csv-group');
    expect(groups.csv.slice(1).trimEnd().split('\r\n').slice(1)).toEqual([
      expect.stringMatching(/^"I\.2 — .+",2$/),
      'I.1 — Thực phẩm tươi sống,1',
    ]);
  });

  it('says how the producer was told, true to the channel they sent from: Zalo told, web not', async () => {
    const at = Date.now();
    const made = async (channel: 'zalo' | 'web', userId: string, productName: string) =>
      (
        await app.submissions.create({
          channel,
          userId,
          form: sampleForm({ productName }),
          idempotencyKey: `${prefix}-${channel}`,
          at,
        })
      ).submission;
    const fromZalo = await made('zalo', 'zalo-console-7', 'Mật ong Bảo Lạc');
    const fromWeb = await made('web', 'web-console-7', 'Trà Giảo cổ lam');
    await page.click('#tab-submissions');
    await page.click('#sub-refresh');
    const change = async (id: string, status: string) => {
      await page.locator(`[data-testid="sub-row"][data-id="${id}"]`).click();
      await expect.poll(() => text('detail-code')).toBe(id);
      await page.selectOption('#status-select', status);
      await page.click('#status-submit');
      const saved = fill(T('detail_saved'), { status: app.messages.status_labels[status as 'reviewing'] });
      await expect.poll(() => text('status-msg')).toContain(saved);
      const said = await text('status-msg');
      await page.click('#detail-close');
      return said.slice(saved.length + 1);
    };
    expect(await change(fromZalo.id, 'reviewing')).toBe(fill(T('detail_notice_sent'), { channel: 'Zalo' }));
    await expect.poll(() => zalo.sentTo('zalo-console-7').length).toBe(1);
    expect(zalo.sentTo('zalo-console-7')[0]!.text).toContain(fromZalo.id);
    const web = await change(fromWeb.id, 'reviewing');
    expect(web).toBe(T('detail_notice_web'));
    expect(web).not.toMatch(/Telegram|Zalo/);
  });

  it('shows a submission whose producer had their personal data erased: «đã xóa theo yêu cầu», the idea kept', async () => {
    const { submission } = await app.submissions.create({
      channel: 'web',
      userId: 'web-console-erased',
      form: sampleForm({ productName: 'Lạp sườn Hòa An', phone: '0977000111' }),
      idempotencyKey: `${prefix}-erased`,
      at: Date.now(),
    });
    await app.submissions.erasePersonalData(submission.id, Date.now());
    await page.click('#tab-submissions');
    await page.click('#sub-refresh');
    const row = page.locator(`[data-testid="sub-row"][data-id="${submission.id}"]`);
    await expect.poll(() => row.innerText()).toContain(app.messages.admin_erased_value);
    expect(await row.innerText()).not.toContain('0977000111');
    await row.click();
    await expect.poll(() => text('detail-code')).toBe(submission.id);
    expect(await text('field-phone')).toBe(app.messages.admin_erased_value);
    expect(await text('field-contactName')).toBe(app.messages.admin_erased_value);
    expect(await text('field-email')).toBe(app.messages.admin_erased_value);
    expect(await text('field-productName')).toBe('Lạp sườn Hòa An');
    expect(await page.getByTestId('history-item').last().innerText()).toContain(T('detail_history_erased'));
    expect(await page.getByTestId('detail-fields').innerText()).not.toContain('[erased]');
    await page.click('#detail-close');
  });

  it('signs out and forgets the token; the page raised no error and no CSP violation', async () => {
    await page.click('#sign-out');
    await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('ocop-admin-token'))).toBeNull();
    expect(await rows().count()).toBe(0);
    expect(pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
