/**
 * The form under faults, with a real Redis and a local Bot API server. Every step of a registration is typed
 * once cleanly (the reference) and once under a fault:
 *
 * - in-process: the step's replies fail (more failures than the request's own retries) and Telegram delivers
 *   the update again; the inbox's retry sends the recorded answer;
 * - real processes: the process is killed (SIGKILL) while the step's reply is in flight, Telegram delivers the
 *   update again to the other process, and the killed one is started again for the next step.
 *
 * Each time the user sees exactly the clean conversation, step by step, and the submission is equal field by
 * field to the clean one: no step is skipped, none is taken twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import type { RegistrationForm } from '../../src/core/registration/types.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { app as makeApp, dropPrefix, freePort, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';
import { OCOP_BOT_BIN, killLeftovers } from '../support/processes.js';
import { tempDataDir } from '../support/sqlite.js';

const TOKEN = '515151:update-faults';
const SECRET = 'faults-secret';
const ADMIN = 'faults-admin-token-0123456789';

/** A registration as typed, every choice typed as its label. */
const STEPS = [
  '/dangky',
  'Hợp tác xã Nông sản Quảng Lâm',
  'Hợp tác xã',
  'Nông Văn Minh',
  '0912.345.678',
  'lienhe@htxquanglam.vn',
  'xa quang lam',
  'Mật ong bạc hà',
  'Đúng',
  'Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát.',
  'chai thủy tinh 500 ml',
  'Tại địa phương',
  'khách du lịch và siêu thị ở Hà Nội',
  '2 tấn/năm',
  'thiết kế bao bì và mã vạch',
  'Gửi đăng ký',
];

const CODE = /OCOP-CB-\d{4}-\d{6}/g;
const texts = (fake: FakeTelegramServer, chat: number, from: number) =>
  fake
    .messagesTo(chat)
    .slice(from)
    .map((m) => m.text.replace(CODE, '<code>'));

describe('a registration under send failures and kills', () => {
  let fake: FakeTelegramServer;
  const prefix = uniquePrefix('faults');
  const children: ChildProcess[] = [];
  let inProcess: { app: App; server: FastifyInstance; close(): Promise<void> } | undefined;
  /** The clean conversation: what each step shows the user. */
  const reference: string[][] = [];
  let referenceForm: RegistrationForm;

  beforeAll(async () => {
    fake = await startFakeTelegramServer();
    const port = await freePort();
    const app = makeApp({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      UPDATE_RETRY_BASE_MS: '20',
      FLOOD_MAX_MESSAGES: '1000',
      ADMIN_TOKEN: ADMIN,
    });
    const server = createHttpServer(app, silentLogger);
    await server.listen({ host: '127.0.0.1', port });
    await app.startChannels();
    for (let i = 0; i < 500 && fake.webhook?.url !== `http://127.0.0.1:${port}/telegram/webhook`; i++)
      await new Promise((r) => setTimeout(r, 20));
    inProcess = {
      app,
      server,
      close: async () => {
        await server.close();
        await app.close();
      },
    };
    // The reference: the same steps with nothing failing. The webhook answers once the replies were sent.
    const chat = 9100;
    for (const text of STEPS) {
      const before = fake.messagesTo(chat).length;
      expect((await fake.deliver(fake.textUpdate(chat, text))).status).toBe(200);
      reference.push(texts(fake, chat, before));
    }
    const [submission] = await app.submissions.listByUser('telegram', String(chat));
    if (!submission)
      throw new Error(`no submission; the conversation was:\n${reference.map((r) => r.join(' | ')).join('\n')}`);
    referenceForm = submission.form;
  });

  afterEach(async () => {
    await killLeftovers(children.splice(0));
  });

  afterAll(async () => {
    await inProcess?.close();
    await fake.close();
    await dropPrefix(prefix);
  });

  it('the clean conversation is the whole form: 15 questions, a summary and a reference code', () => {
    expect(reference.flat().join('\n')).toContain('Bước 15/15');
    expect(reference.at(-1)!.join('\n')).toContain('<code>');
    expect(referenceForm).toMatchObject({ ownerName: 'Hợp tác xã Nông sản Quảng Lâm', phone: '0912345678' });
  });

  it('every step: its replies fail and the update is delivered again; the user sees the clean conversation', async () => {
    const chat = 9200;
    for (const [i, text] of STEPS.entries()) {
      const before = fake.messagesTo(chat).length;
      const update = fake.textUpdate(chat, text);
      // Three 500s use up the request's own retries; the fourth makes the inbox's first retry fail too.
      fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 4);
      expect((await fake.deliver(update)).status).toBe(200);
      expect((await fake.deliver(update)).status).toBe(200);
      await expect
        .poll(() => fake.messagesTo(chat).length, { timeout: 30_000 })
        .toBeGreaterThanOrEqual(before + reference[i]!.length);
      expect(texts(fake, chat, before), `step ${i + 1}: ${text}`).toEqual(reference[i]);
    }
    const [submission] = await inProcess!.app.submissions.listByUser('telegram', String(chat));
    expect(submission!.form).toEqual(referenceForm);
  });

  it('an update whose replies never go through is parked, counted in /stats, and the next message is answered', async () => {
    const chat = 9400;
    const parkedBefore = (await inProcess!.app.inbox.parked(1)).total;
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 1000);
    expect((await fake.deliver(fake.textUpdate(chat, 'OCOP là gì?'))).status).toBe(200);
    await expect
      .poll(async () => (await inProcess!.app.inbox.parked(1)).total, { timeout: 60_000 })
      .toBe(parkedBefore + 1);
    fake.clearFailures();
    const stats = await inProcess!.server.inject({
      method: 'GET',
      url: '/api/admin/stats',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(stats.json().parkedUpdates.total).toBe(parkedBefore + 1);
    expect(stats.json().parkedUpdates.recent[0]).toMatchObject({ channel: 'telegram', attempts: 5 });
    expect(JSON.stringify(stats.json().parkedUpdates)).not.toContain('OCOP là gì');
    const before = fake.messagesTo(chat).length;
    expect((await fake.deliver(fake.textUpdate(chat, 'cảm ơn'))).status).toBe(200);
    expect(fake.messagesTo(chat).length).toBeGreaterThan(before);
  });

  it('every step: the process is killed with the reply in flight; the other process answers the redelivery', async () => {
    const ports = [await freePort(), await freePort()];
    const serve = async (port: number): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [OCOP_BOT_BIN, 'serve'], {
        env: {
          ...process.env,
          DATA_DIR: tempDataDir('faults'),
          PORT: String(port),
          LOG_LEVEL: 'warn',
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: prefix,
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_API_ROOT: fake.apiRoot,
          TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          USER_LOCK_TTL_SECONDS: '1',
          UPDATE_RETRY_BASE_MS: '50',
          FLOOD_MAX_MESSAGES: '1000',
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      children.push(child);
      await expect
        .poll(
          () =>
            fetch(`http://127.0.0.1:${port}/health`).then(
              (r) => r.status,
              () => 0,
            ),
          { timeout: 90_000 },
        )
        .toBe(200);
      return child;
    };
    const post = (port: number, update: unknown) =>
      fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
    // Each step kills one process and starts it again in the background, while the next step uses the other.
    const starting: Promise<ChildProcess>[] = [serve(ports[0]!), serve(ports[1]!)];
    const running: ChildProcess[] = [];
    const chat = 9300;
    for (const [i, text] of STEPS.entries()) {
      const victim = i % 2;
      const other = 1 - victim;
      running[victim] = await starting[victim]!;
      running[other] = await starting[other]!;
      const before = fake.messagesTo(chat).length;
      const update = fake.textUpdate(chat, text);
      const hold = fake.holdNext('sendMessage');
      const cut = post(ports[victim]!, update).then(
        () => 'answered',
        () => 'cut',
      );
      await hold.arrived;
      running[victim]!.kill('SIGKILL');
      await once(running[victim]!, 'exit');
      expect(await cut).toBe('cut');
      // Released once this side has seen its client go (the kill closes the socket): the held send never happened.
      await hold.dropped;
      hold.release();
      // Telegram saw no answer, so it delivers the update again, here to the other process.
      expect((await post(ports[other]!, update)).status).toBe(200);
      await expect
        .poll(() => fake.messagesTo(chat).length, { timeout: 30_000 })
        .toBeGreaterThanOrEqual(before + reference[i]!.length);
      expect(texts(fake, chat, before), `step ${i + 1}: ${text}`).toEqual(reference[i]);
      starting[victim] = serve(ports[victim]!);
    }
    await Promise.all(starting);
    const [submission] = await inProcess!.app.submissions.listByUser('telegram', String(chat));
    expect(submission!.form).toEqual(referenceForm);
  }, 600_000);
});
