/**
 * Real server processes (`ocop-bot serve`) sharing a real Redis, Telegram in webhook mode against a local
 * Bot API server: a process killed without warning (SIGKILL) and started again continues every
 * conversation, and an update it had already answered is not answered again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeTelegramServer,
  type FakeTelegramServer,
  type RecordedMessage,
} from '../fakes/fake-telegram-server.js';
import { dropPrefix, freePort, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { OCOP_BOT_BIN, killLeftovers } from '../support/processes.js';
import { tempDataDir } from '../support/sqlite.js';

const SECRET = 'restart-secret';

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const press = (m: RecordedMessage, label: string) =>
  (m.replyMarkup as Keyboard).inline_keyboard.flat().find((b) => b.text === label)!.callback_data;

describe('a killed and restarted server process', () => {
  let fake: FakeTelegramServer;
  const prefix = uniquePrefix('restart');
  let port: number;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeTelegramServer();
    port = await freePort();
  });
  // A failed test leaves no process holding the port for the next one.
  afterEach(async () => {
    await killLeftovers(children.splice(0));
  });
  afterAll(async () => {
    await fake.close();
    await dropPrefix(prefix);
  });

  async function serve(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [OCOP_BOT_BIN, 'serve'], {
      env: {
        ...process.env,
        DATA_DIR: tempDataDir('restart'),
        PORT: String(port),
        LOG_LEVEL: 'info',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: '424242:restart-test',
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await expect.poll(() => log, { timeout: 90_000 }).toContain('telegram webhook set');
    return child;
  }

  async function exchange(
    update: ReturnType<FakeTelegramServer['textUpdate']>,
    count: number,
  ): Promise<RecordedMessage[]> {
    const before = fake.messagesTo(77).length;
    expect((await fake.deliver(update)).status).toBe(200);
    return (await fake.waitForMessages(77, before + count)).slice(before);
  }

  /** Types a message in one chat; resolves with the bot's replies to it, joined. */
  const sayTo = (chat: number) => async (text: string) => {
    const before = fake.messagesTo(chat).length;
    expect((await fake.deliver(fake.textUpdate(chat, text))).status).toBe(200);
    return fake
      .messagesTo(chat)
      .slice(before)
      .map((m) => m.text)
      .join('\n');
  };

  it('continues the conversation and does not answer an old update twice', async () => {
    const first = await serve();
    const start = fake.textUpdate(77, '/start');
    const [, menu] = await exchange(start, 2);
    const [topics] = await exchange(fake.callbackUpdate(77, press(menu!, 'Hỏi về OCOP')), 1);
    first.kill('SIGKILL');
    await once(first, 'exit');

    const second = await serve();
    try {
      // Telegram redelivers an update whose answer it never saw acknowledged: it was answered, so it is skipped.
      const sent = fake.messagesTo(77).length;
      expect((await fake.deliver(start)).status).toBe(200);
      // A button from the keyboard the killed process sent still works: the state was in Redis.
      const [answer] = await exchange(fake.callbackUpdate(77, press(topics!, 'Hồ sơ và nơi nộp')), 1);
      expect(answer!.text).toContain('Nguồn:');
      expect(fake.messagesTo(77)).toHaveLength(sent + 1);
    } finally {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
  });

  it('continues a registration draft after the process is killed mid-form', async () => {
    const say = sayTo(78);
    const first = await serve();
    await say('/dangky');
    await say('Hộ kinh doanh Nông Thị Hoa');
    await say('hộ kinh doanh');
    const beforeKill = await say('có');
    expect(beforeKill).toContain('Bước 4/15');
    first.kill('SIGKILL');
    await once(first, 'exit');

    const second = await serve();
    try {
      // The draft was in Redis: the next answer is read as step 4's, without starting over.
      expect(await say('Nông Thị Hoa')).toContain('Bước 5/15');
      expect(await say('0987 654 321')).toContain('Bước 6/15');
    } finally {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
  });

  it('continues a self-score after the process is killed, and an eligibility check after it is stopped', async () => {
    const say = sayTo(79);
    const first = await serve();
    expect(await say('tự chấm điểm cho mật ong')).toContain('Bộ 4');
    expect(await say('đúng')).toMatch(/Câu 1\/\d+/);
    expect(await say('3')).toMatch(/Câu 2\/\d+/);
    first.kill('SIGKILL');
    await once(first, 'exit');

    const second = await serve();
    try {
      // The session was in Redis: the next number answers question 2.
      expect(await say('2')).toMatch(/Câu 3\/\d+/);
      expect(await say('quay lại')).toMatch(/Câu 2\/\d+/);
      // An eligibility check started here (for the product just scored) survives a graceful stop too.
      const check = await say('/dieukien');
      expect(check).toContain('«mật ong»');
      expect(check).toContain('Câu 1/8');
      expect(await say('htx')).toContain('Câu 2/8');
    } finally {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
    const third = await serve();
    try {
      expect(await say('trong tỉnh cao bằng')).toContain('Câu 3/8');
    } finally {
      third.kill('SIGTERM');
      await once(third, 'exit');
    }
  });
});
