/**
 * "Kiểm tra điều kiện tham gia OCOP" and "Tự chấm điểm sơ bộ" end to end with a real Redis, as people answer: on
 * the web chat (buttons pressed by their refs), on Telegram (local Bot API server, inline buttons pressed) and on
 * Zalo (local Zalo Bot API server, numbers typed) — typed option words without diacritics, "quay lại", "bỏ qua",
 * a pause, the process closed and started again, the verdict with its steps, the form carrying the check's answers,
 * and a self-score sent to the officer with the submission.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Submission } from '../../src/core/registration/types.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { serveWithChannels, Servings } from '../support/serving.js';

const ADMIN_TOKEN = 'officer-token-checks-0123456789';

const SAMPLE_FORM = {
  ownerName: 'HTX Miến dong Phia Đén',
  ownerType: 'cooperative' as const,
  hasBusinessRegistration: true,
  contactName: 'Nông Văn Minh',
  phone: '0912345678',
  commune: 'Xã Thành Công',
  productName: 'Miến dong',
  productGroup: {
    code: 'I.3.c',
    sector: 'Thực phẩm',
    group: 'Thực phẩm chế biến',
    subgroup: 'Chế biến từ rau, củ, quả, hạt',
  },
  description: 'Miến dong làm từ củ dong riềng trồng tại xã.',
  packaging: 'túi 500 g',
  rawMaterialSource: 'local' as const,
  targetMarket: 'chợ trong tỉnh',
  expectedOutput: '5 tấn/năm',
};

/**
 * How a channel is driven: `send` types text, `choose` picks a choice by the label it has on a channel with
 * buttons (`label`) or by its number (`n`) where choices are numbered lines. Both return the bot's text.
 */
interface Driver {
  send(text: string): Promise<string>;
  choose(label: string, n: number): Promise<string>;
}

describe('the eligibility check and the self-score end to end', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  const running = new Servings();
  const prefixes: string[] = [];

  beforeAll(async () => {
    telegram = await startFakeTelegramServer();
    zalo = await startFakeZaloServer({ token: '6666:zalo-checks' });
  });
  afterEach(() => running.stopAll());
  afterAll(async () => {
    await telegram.close();
    await zalo.close();
    for (const p of prefixes) await dropPrefix(p);
  });

  async function start(prefix: string) {
    if (!prefixes.includes(prefix)) prefixes.push(prefix);
    const serving = await serveWithChannels(
      { telegram, telegramToken: '888888:checks-e2e', zalo, zaloToken: '6666:zalo-checks' },
      { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, ADMIN_TOKEN, FLOOD_MAX_MESSAGES: '500' },
    );
    return running.add(serving);
  }

  function webDriver(url: () => string, userId: string): Driver {
    let last: { label: string; ref: string }[] = [];
    const post = async (body: object) => {
      const res = await fetch(`${url()}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, ...body }),
      });
      expect(res.status).toBe(200);
      const data = (await res.json()) as { replies: { text: string; buttons: { label: string; ref: string }[] }[] };
      // Buttons of earlier replies stay pressable (the page keeps them): the newest with a label wins.
      last = [...data.replies.flatMap((r) => r.buttons), ...last];
      return data.replies.map((r) => r.text).join('\n');
    };
    return {
      send: (text) => post({ text }),
      choose: (label) => {
        const b = last.find((x) => x.label === label);
        expect(b, `button "${label}" among ${last.map((x) => x.label).join(', ')}`).toBeDefined();
        return post({ button: b!.ref });
      },
    };
  }

  function telegramDriver(chatId: number): Driver {
    type Kb = { inline_keyboard?: { text: string; callback_data: string }[][] };
    const collect = async (update: ReturnType<FakeTelegramServer['textUpdate']>, before: number) => {
      expect((await telegram.deliver(update)).status).toBe(200);
      return telegram
        .messagesTo(chatId)
        .slice(before)
        .map((m) => m.text)
        .join('\n');
    };
    return {
      send: (text) => collect(telegram.textUpdate(chatId, text), telegram.messagesTo(chatId).length),
      choose: (label) => {
        const before = telegram.messagesTo(chatId).length;
        // The newest message with that button (an older keyboard stays pressable).
        const buttonsOf = (m: { replyMarkup?: unknown }) =>
          ((m.replyMarkup as Kb | undefined)?.inline_keyboard ?? []).flat();
        const last = telegram.messagesTo(chatId).findLast((m) => buttonsOf(m).some((x) => x.text === label))!;
        expect(last, `button "${label}"`).toBeDefined();
        const b = buttonsOf(last).find((x) => x.text === label);
        return collect(telegram.callbackUpdate(chatId, b!.callback_data, last.messageId), before);
      },
    };
  }

  function zaloDriver(chatId: string): Driver {
    const send = async (text: string) => {
      const before = zalo.sentTo(chatId).length;
      expect((await zalo.pushWebhook(zalo.makeUpdate({ chatId, text }))).status).toBe(200);
      return zalo
        .sentTo(chatId)
        .slice(before)
        .map((m) => m.text)
        .join('\n');
    };
    return { send, choose: (_label, n) => send(String(n)) };
  }

  /** The eligibility check of a household without a business registration, answered as people do. */
  async function eligibility(d: Driver) {
    const seen: Record<string, string> = {};
    seen.start = await d.send('kiem tra dieu kien');
    seen.product = await d.send('mien dong');
    seen.owner = await d.choose('Hộ gia đình, cá nhân chưa có đăng ký kinh doanh', 5);
    // Typed words of an option, without diacritics.
    seen.origin = await d.send('trong tinh cao bang');
    seen.back = await d.send('quay lại');
    await d.choose('Trồng, nuôi, khai thác ngay trong tỉnh Cao Bằng', 1);
    await d.send('chua co hoac da het han');
    await d.choose('Đã công bố, có phiếu kiểm nghiệm', 1);
    await d.choose('Có kiểm soát chất lượng nhưng chưa có truy xuất nguồn gốc', 2);
    seen.skipped = await d.send('bỏ qua');
    await d.choose('Đã có, in trên nhãn, tờ rơi hoặc đăng trên mạng', 1);
    seen.verdict = await d.choose('Chưa đăng ký', 3);
    return seen;
  }

  function expectEligibility(seen: Record<string, string>, a: App) {
    expect(seen.start).toContain('Sản phẩm bạn muốn tham gia OCOP là gì');
    expect(seen.product).toContain('miến dong');
    expect(seen.product).toContain('Chế biến từ rau, củ, quả, hạt');
    expect(seen.owner).toContain('Nguyên liệu chính');
    expect(seen.origin).toContain('an toàn thực phẩm');
    expect(seen.back).toContain('Nguyên liệu chính');
    expect(seen.skipped).toContain('câu chuyện riêng');
    // Ready after the steps: the business registration, the food-safety certificate, internal control.
    expect(seen.verdict).toContain('có thể tham gia OCOP sau 3 bước');
    expect(seen.verdict).toContain('Đăng ký hộ kinh doanh');
    expect(seen.verdict).toContain('an toàn thực phẩm');
    expect(seen.verdict).toContain('Bộ phận một cửa của UBND xã, phường');
    expect(seen.verdict).toContain('Bạn đã bỏ qua 1 câu');
    expect(seen.verdict).toContain('muốn 4 sao trở lên thì cần đăng ký nhãn hiệu');
    expect(seen.verdict).toContain('QĐ 148');
    expect(seen.verdict).not.toContain(a.messages.error);
  }

  /** The registration form after the check: the owner type and the registration are not asked again. */
  async function formAfterCheck(d: Driver) {
    const intro = await d.choose('Điền phiếu đăng ký ngay', 1);
    expect(intro).toContain('điền sẵn 3 mục');
    const next = await d.send('Hộ Nông Thị Hoa');
    // Owner type and business registration came from the check: the contact name is next.
    expect(next).toContain('Bước 4/');
    await d.send('hủy');
    await d.send('có');
  }

  it('on the web chat, with the check carried into the registration form', async () => {
    const prefix = uniquePrefix('chk-web');
    let { url } = await start(prefix);
    const { app } = running.first();
    const d = webDriver(() => url, 'web-chk-1');
    expectEligibility(await eligibility(d), app);
    await formAfterCheck(d);
    // Restarting the process keeps nothing in memory: the form's draft and the check are in Redis.
    await running.stopAll();
    ({ url } = await start(prefix));
    expect(await d.send('kiem tra dieu kien')).toContain('Sản phẩm bạn muốn tham gia OCOP là gì');
  });

  it('on Telegram, buttons pressed', async () => {
    const { app } = await start(uniquePrefix('chk-tg'));
    const d = telegramDriver(515151);
    expectEligibility(await eligibility(d), app);
  });

  it('on Zalo, numbers typed', async () => {
    const { app } = await start(uniquePrefix('chk-zalo'));
    const d = zaloDriver('zalo-chk-1');
    expectEligibility(await eligibility(d), app);
  });

  /**
   * A self-score on Bộ 7 (miến dong): the first answers, a pause, the process restarted, the rest; the result; sent
   * to the officer with a submission. Every criterion is answered with its first option, except those named.
   */
  async function selfScore(d: Driver, restart: () => Promise<void>) {
    const seen: Record<string, string> = {};
    seen.start = await d.send('cho em tự chấm điểm sản phẩm miến dong');
    seen.intro = await d.choose('Đúng, bắt đầu chấm', 1);
    expect(seen.intro).toMatch(/Câu 1\/\d+ · Phần A/);
    const total = Number(/Câu 1\/(\d+)/.exec(seen.intro)![1]);
    await d.choose('3', 3); // 1a: 75–100% in-province raw material, 5 points
    await d.send('che bien sau tu vung nguyen lieu dia phuong'); // 1b: 3 points, typed without diacritics
    seen.back = await d.send('quay lai');
    expect(seen.back).toContain('Câu 2/');
    await d.choose('3', 3);
    seen.paused = await d.send('menu');
    await restart();
    seen.resume = await d.send('tự chấm điểm');
    expect(seen.resume).toContain(`(2/${total} câu)`);
    await d.choose('Làm tiếp', 1);
    for (let n = 3; n <= total; n++) {
      const reply = n === 4 ? await d.send('bỏ qua') : await d.choose('1', 1);
      if (n < total) expect(reply).toContain(`Câu ${n + 1}/${total}`);
      else seen.result = reply;
    }
    return seen;
  }

  it.each([
    ['the web chat', 'web', 'web-score-1', true],
    ['Telegram', 'telegram', '525252', true],
    ['Zalo', 'zalo', 'zalo-score-1', false],
  ] as const)(
    'the self-score on %s, paused and resumed after a restart, then sent with a submission',
    async (_name, channel, userId, sendsFirst) => {
      const prefix = uniquePrefix(`chk-score-${channel}`);
      let { url } = await start(prefix);
      const d =
        channel === 'web'
          ? webDriver(() => url, userId)
          : channel === 'telegram'
            ? telegramDriver(Number(userId))
            : zaloDriver(userId);
      const seen = await selfScore(d, async () => {
        await running.stopAll();
        ({ url } = await start(prefix));
      });
      expect(seen.paused).toContain('Đã tạm dừng');
      expect(seen.result).toContain('Kết quả tự chấm sơ bộ: Bộ 7');
      expect(seen.result).toMatch(/Phần A: \d+\/40 · Phần B: \d+\/25 · Phần C: \d+\/35/);
      expect(seen.result).toContain('Chưa tính 16 điểm');
      expect(seen.result).toMatch(/(Bạn|Em) đã bỏ qua 1 câu/);
      expect(seen.result).toContain('ước tính sơ bộ');
      expect(seen.result).toMatch(/Để lên \d sao:/);
      const admin = (path: string) =>
        fetch(`${url}/api/admin${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(
          (r) => r.json() as Promise<{ items: Submission[] } & Submission>,
        );
      if (sendsFirst) {
        // Sent before any submission: kept for the next one.
        expect(await d.choose('Gửi kết quả cho cán bộ', 1)).toContain('sẽ được kèm theo phiếu');
        expect((await admin('/submissions')).items).toHaveLength(0);
      }
      // With a submission of theirs, the result goes with it, and the officer API shows it.
      const { app } = running.first();
      const { submission } = await app.submissions.create({
        channel,
        userId,
        form: SAMPLE_FORM,
        idempotencyKey: `chk-score-form-${channel}`,
        at: Date.now(),
      });
      expect(await d.choose('Gửi kết quả cho cán bộ', 1)).toContain(`kèm hồ sơ ${submission.id}`);
      const shown = await admin(`/submissions/${submission.id}`);
      expect(shown.selfAssessment).toMatchObject({ set: 7, product: 'miến dong', skipped: 1, open: 16 });
      expect(shown.selfAssessment!.total).toBe(
        shown.selfAssessment!.parts.A + shown.selfAssessment!.parts.B + shown.selfAssessment!.parts.C,
      );
    },
  );
});
