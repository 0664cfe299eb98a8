/**
 * Proves the fake Telegram server speaks the Bot API to grammY's REAL HTTP client (no transformers that
 * short-circuit calls): init/sendMessage/validation, long polling, webhooks, auto-retry, blocked users,
 * rate limits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { Bot, GrammyError, webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import { boundedRetry } from '../../src/channels/telegram/bounded-retry.js';
import { startFakeTelegramServer, type FakeTelegramServer } from './fake-telegram-server.js';

const TOKEN = '123456789:AAFake-token_for_tests';
const SECRET = 'ocop_secret-123';

let tg: FakeTelegramServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  tg = await startFakeTelegramServer({ pollWaitMs: 200 });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await tg.close();
});

function newBot(apiRoot = tg.apiRoot, token = TOKEN): Bot {
  return new Bot(token, { client: { apiRoot } });
}

async function rejection(p: Promise<unknown>): Promise<GrammyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}

function echoBot(): { bot: Bot; seen: number[] } {
  const bot = newBot();
  const seen: number[] = [];
  bot.on('message:text', async (ctx) => {
    seen.push(ctx.update.update_id);
    await ctx.reply(`echo: ${ctx.message.text}`);
  });
  return { bot, seen };
}

describe('fake Telegram server with grammY real client', () => {
  it('init, sendMessage with Vietnamese text, text length and callback_data byte limits', async () => {
    const bot = newBot();
    await bot.init();
    expect(bot.botInfo).toMatchObject({
      id: 123456789,
      is_bot: true,
      username: 'ocop_test_bot',
      supports_inline_queries: false,
    });

    const text = 'Xin chào bà con Cao Bằng! Sản phẩm OCOP 4 sao: miến dong, hồng không hạt 🌿';
    const msg = await bot.api.sendMessage(42, text);
    expect(msg).toMatchObject({
      message_id: 1,
      text,
      chat: { id: 42, type: 'private' },
      from: { id: 123456789, is_bot: true },
    });
    expect(tg.messagesTo(42).map((m) => m.text)).toEqual([text]);
    expect(tg.callsOf('getMe')).toHaveLength(1);
    expect(tg.callsOf('sendMessage')[0]?.payload).toMatchObject({ chat_id: 42, text });

    const tooLong = await rejection(bot.api.sendMessage(42, 'a'.repeat(4097)));
    expect(tooLong.error_code).toBe(400);
    expect(tooLong.description).toBe('Bad Request: message is too long');
    const empty = await rejection(bot.api.sendMessage(42, '   '));
    expect(empty.description).toBe('Bad Request: message text is empty');
    await bot.api.sendMessage(42, 'a'.repeat(4096)); // the limit itself is fine

    // 22 × 'ệ' = 22 characters but 66 UTF-8 bytes: refused; 21 × 'ệ' = 63 bytes: accepted.
    const keyboard = (data: string) => ({
      reply_markup: { inline_keyboard: [[{ text: 'Chọn', callback_data: data }]] },
    });
    const tooBig = await rejection(bot.api.sendMessage(42, 'Chọn sản phẩm', keyboard('ệ'.repeat(22))));
    expect(tooBig.error_code).toBe(400);
    expect(tooBig.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const ok = await bot.api.sendMessage(42, 'Chọn sản phẩm', keyboard('ệ'.repeat(21)));
    expect(ok.message_id).toBe(3);
    expect(ok.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ callback_data: 'ệ'.repeat(21) });
    expect(tg.messagesTo(42)).toHaveLength(3);
  });

  it('speaks raw HTTP: urlencoded, query string, empty body, 401, 404', async () => {
    const form = await fetch(`${tg.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: '5',
        text: 'chào',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }),
      }),
    });
    expect(form.status).toBe(200);
    expect(await form.json()).toMatchObject({
      ok: true,
      result: { chat: { id: 5 }, text: 'chào', reply_markup: { inline_keyboard: [[{ callback_data: 'a' }]] } },
    });
    const query = await fetch(`${tg.apiRoot}/bot${TOKEN}/sendMessage?chat_id=5&text=${encodeURIComponent('từ query')}`);
    expect(((await query.json()) as { result: { message_id: number } }).result.message_id).toBe(2);
    expect(tg.messagesTo('5').map((m) => m.text)).toEqual(['chào', 'từ query']);

    const me = await fetch(`${tg.apiRoot}/bot${TOKEN}/getMe`, { method: 'POST' });
    expect(await me.json()).toMatchObject({ ok: true, result: { id: 123456789, username: 'ocop_test_bot' } });
    const unauthorized = await fetch(`${tg.apiRoot}/bot123:invalid-token/getMe`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const unknown = await fetch(`${tg.apiRoot}/bot${TOKEN}/sendTelepathy`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });

    const badBot = newBot(tg.apiRoot, '123:invalid');
    const err = await rejection(badBot.init());
    expect(err.error_code).toBe(401);
  });

  it('polling: bot.start() gets queued updates in order, replies, and confirms offsets', async () => {
    const { bot, seen } = echoBot();
    const u1 = tg.textUpdate(7, 'một', { firstName: 'Lan' });
    const u2 = tg.textUpdate(7, 'hai');
    expect(await tg.deliver(u1)).toEqual({ status: 0, body: '' });
    tg.queue(u2);
    expect(tg.pendingUpdates).toBe(2);

    let pollingError: unknown;
    const running = bot.start().catch((e: unknown) => {
      pollingError = e;
    });
    cleanups.push(async () => {
      if (bot.isRunning()) await bot.stop();
      await running;
    });

    const replies = await tg.waitForMessages(7, 2);
    expect(replies.map((m) => m.text)).toEqual(['echo: một', 'echo: hai']);
    expect(replies[0]?.messageId).toBe(u2.message!.message_id + 1); // one message_id sequence per private chat

    // A live long poll wakes up for a new update.
    const u3 = tg.textUpdate(7, 'ba');
    await tg.deliver(u3);
    await tg.waitForMessages(7, 3);

    // Let a few more long polls (200 ms each) run: nothing may come back twice.
    await new Promise((r) => setTimeout(r, 700));
    expect(seen).toEqual([u1.update_id, u2.update_id, u3.update_id]);
    const returned = tg
      .callsOf('getUpdates')
      .flatMap((c) => ((c.result as Update[] | undefined) ?? []).map((u) => u.update_id));
    expect(returned).toEqual([u1.update_id, u2.update_id, u3.update_id]);
    expect(tg.pendingUpdates).toBe(0);
    expect(tg.messagesTo(7)).toHaveLength(3);

    await bot.stop();
    await running;
    expect(pollingError).toBeUndefined();
    expect(tg.callsOf('deleteWebhook')).toHaveLength(1);
  });

  it('webhook: fastify + webhookCallback receives updates with the secret, refuses a wrong one', async () => {
    const { bot } = echoBot();
    const app = Fastify();
    app.post('/tg', webhookCallback(bot, 'fastify', { secretToken: SECRET }));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());

    await rejection(bot.api.setWebhook(`${address}/tg`, { secret_token: 'có dấu' })).then((e) =>
      expect(e.error_code).toBe(400),
    );
    await bot.api.setWebhook(`${address}/tg`, { secret_token: SECRET });
    expect(await bot.api.getWebhookInfo()).toMatchObject({ url: `${address}/tg`, pending_update_count: 0 });
    const conflict = await rejection(bot.api.getUpdates());
    expect(conflict.error_code).toBe(409);

    const delivered = await tg.deliver(tg.textUpdate(9, 'Chào bot'));
    expect(delivered.status).toBe(200);
    expect(tg.messagesTo(9).map((m) => m.text)).toEqual(['echo: Chào bot']);

    const wrong = await tg.deliverWithSecret(tg.textUpdate(9, 'kẻ giả mạo'), 'wrong-secret');
    expect(wrong.status).toBe(401);
    const missing = await tg.deliverWithSecret(tg.textUpdate(9, 'không có header'), undefined);
    expect(missing.status).toBe(401);
    expect(tg.messagesTo(9)).toHaveLength(1);
    expect((await bot.api.getWebhookInfo()).last_error_message).toMatch(/401/);

    await bot.api.deleteWebhook();
    expect((await tg.deliver(tg.textUpdate(9, 'về hàng đợi'))).status).toBe(0);
  });

  it('429 with retry_after: our bounded retry waits and the second attempt succeeds', async () => {
    const bot = newBot();
    const delays: number[] = [];
    bot.api.config.use(
      boundedRetry({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 }, async (ms) => delays.push(ms)),
    );
    tg.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });

    const msg = await bot.api.sendMessage(5, 'Thông báo giá mới');

    expect(msg.text).toBe('Thông báo giá mới');
    expect(delays).toEqual([1000]);
    expect(tg.callsOf('sendMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(tg.callsOf('sendMessage')[0]?.description).toBe('Too Many Requests: retry after 1');
    expect(tg.messagesTo(5)).toHaveLength(1);
  });

  it('blocked and deactivated users get 403 with the exact description', async () => {
    const bot = newBot();
    tg.blockChat(77);
    tg.deactivateChat(78);
    const blocked = await rejection(bot.api.sendMessage(77, 'Bản tin OCOP'));
    expect(blocked.error_code).toBe(403);
    expect(blocked.description).toBe('Forbidden: bot was blocked by the user');
    const gone = await rejection(bot.api.sendMessage(78, 'Bản tin OCOP'));
    expect(gone.error_code).toBe(403);
    expect(gone.description).toBe('Forbidden: user is deactivated');
    await bot.api.sendMessage(79, 'Bản tin OCOP');
    expect(tg.messages.map((m) => m.chatId)).toEqual([79]);

    // A delivered my_chat_member 'kicked' update blocks the chat too; 'member' unblocks it.
    await tg.deliver(tg.myChatMemberUpdate(80, 'kicked'));
    expect((await rejection(bot.api.sendMessage(80, 'x'))).error_code).toBe(403);
    await tg.deliver(tg.myChatMemberUpdate(80, 'member'));
    await bot.api.sendMessage(80, 'x');
  });

  it('rate limit: 10 parallel sends with perSecond 5 produce 429s with retry_after >= 1', async () => {
    const limited = await startFakeTelegramServer({ rateLimit: { perSecond: 5 } });
    cleanups.push(() => limited.close());
    const bot = newBot(limited.apiRoot);

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => bot.api.sendMessage(1000 + i, `Tin ${i}`)),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const e of refused) {
      expect(e).toBeInstanceOf(GrammyError);
      const err = e as GrammyError;
      expect(err.error_code).toBe(429);
      expect(Number.isInteger(err.parameters.retry_after)).toBe(true);
      expect(err.parameters.retry_after).toBeGreaterThanOrEqual(1);
      expect(err.description).toBe(`Too Many Requests: retry after ${err.parameters.retry_after}`);
    }
    expect(limited.rateLimited).toBe(refused.length);
    expect(limited.acceptedSends).toBe(5);
  });

  it('rate limit per chat', async () => {
    const limited = await startFakeTelegramServer({ rateLimit: { perChatPerSecond: 1 } });
    cleanups.push(() => limited.close());
    const bot = newBot(limited.apiRoot);
    await bot.api.sendMessage(1, 'a');
    const err = await rejection(bot.api.sendMessage(1, 'b'));
    expect(err.error_code).toBe(429);
    await bot.api.sendMessage(2, 'c');
    expect(limited.rateLimited).toBe(1);
  });

  it('getFile describes a photo the user sent, and the file root serves its bytes to that token only', async () => {
    const bot = newBot();
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 0, 255]);
    const update = tg.photoUpdate(21, { image, caption: 'Nhãn mác' });
    expect(update.message?.caption).toBe('Nhãn mác');
    const largest = update.message!.photo!.at(-1)!;
    expect(largest.file_size).toBe(image.length);
    const file = await bot.api.getFile(largest.file_id);
    expect(file).toMatchObject({ file_id: largest.file_id, file_unique_id: largest.file_unique_id, file_size: 9 });
    expect(file.file_path).toMatch(/^photos\/file_\d+\.jpg$/);
    const res = await fetch(`${tg.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), image)).toBe(0);
    expect(tg.fileDownloads).toEqual([file.file_path]);
    expect((await fetch(`${tg.apiRoot}/file/bot${TOKEN}/photos/none.jpg`)).status).toBe(404);
    expect((await fetch(`${tg.apiRoot}/file/bot1:invalid/${file.file_path}`)).status).toBe(404);
    const err = await rejection(bot.api.getFile('no-such-file'));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe('Bad Request: invalid file_id');
    // Without an image, a photo update is only a description: no file behind it.
    const bare = tg.photoUpdate(21).message!.photo!.at(-1)!;
    expect((await rejection(bot.api.getFile(bare.file_id))).error_code).toBe(400);
  });

  it('update builders look like real Telegram updates; edits and callbacks line up with sent messages', async () => {
    const bot = newBot();
    const cmd = tg.textUpdate(11, '/start@ocop_test_bot ref', { firstName: 'Mai' });
    expect(cmd.message).toMatchObject({
      from: { id: 11, is_bot: false, first_name: 'Mai', language_code: 'vi' },
      chat: { id: 11, type: 'private', first_name: 'Mai' },
      entities: [{ type: 'bot_command', offset: 0, length: '/start@ocop_test_bot'.length }],
    });
    expect(Number.isInteger(cmd.message?.date)).toBe(true);
    expect(tg.textUpdate(11, 'x').update_id).toBe(cmd.update_id + 1);
    expect(tg.contactUpdate(11, '+84912345678').message?.contact).toEqual({
      phone_number: '+84912345678',
      first_name: 'Mai',
      user_id: 11,
    });
    expect(tg.photoUpdate(11).message?.photo).toHaveLength(3);
    expect(tg.stickerUpdate(11).message?.sticker?.emoji).toBe('👍');
    expect(tg.voiceUpdate(11).message?.voice?.duration).toBe(3);
    expect(tg.locationUpdate(11).message?.location?.latitude).toBeCloseTo(22.67, 1);
    expect(tg.documentUpdate(11).message?.document?.mime_type).toBe('application/pdf');
    expect(tg.myChatMemberUpdate(11, 'kicked').my_chat_member?.new_chat_member.status).toBe('kicked');

    const sent = await bot.api.sendMessage(11, 'Chọn', {
      reply_markup: { inline_keyboard: [[{ text: 'Có', callback_data: 'yes' }]] },
    });
    const cb = tg.callbackUpdate(11, 'yes');
    expect(cb.callback_query).toMatchObject({
      data: 'yes',
      from: { id: 11 },
      message: { message_id: sent.message_id, text: 'Chọn' },
    });
    expect(typeof cb.callback_query?.id).toBe('string');
    await bot.api.answerCallbackQuery(cb.callback_query!.id);
    const edited = await bot.api.editMessageText(11, sent.message_id, 'Đã chọn: Có');
    expect(edited).toMatchObject({ text: 'Đã chọn: Có' });
    expect((await rejection(bot.api.editMessageText(11, sent.message_id, 'Đã chọn: Có'))).description).toMatch(
      /message is not modified/,
    );
    expect((await rejection(bot.api.editMessageReplyMarkup(11, 999))).description).toBe(
      'Bad Request: message to edit not found',
    );
    await tg.waitForCalls('answerCallbackQuery', 1);
    await expect(tg.waitForMessages(11, 5, 50)).rejects.toThrow(
      /expected 5 message\(s\) to chat 11 within 50 ms, got 1/,
    );
  });
});
