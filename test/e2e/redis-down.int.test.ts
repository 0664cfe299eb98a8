/**
 * Redis out of reach: a web chat message gets the polite "try again shortly" (not a 500, not a hang), and a
 * platform update is refused with 503 so that the platform delivers it again later. Two ways Redis fails: a port
 * where nothing listens, and a server that accepts connections and never answers (a hung Redis).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import { app as makeApp, freePort } from '../support/app.js';

const sockets: Socket[] = [];
const servers: Server[] = [];

async function hungRedis(): Promise<number> {
  const server = createServer((socket) => sockets.push(socket)); // reads everything, answers nothing
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

let fake: FakeTelegramServer | undefined;

afterAll(async () => {
  await fake?.close();
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((r) => s.close(r));
});

describe.each([
  ['nothing listens', async () => freePort()],
  ['Redis hangs', hungRedis],
])('with Redis out of reach (%s)', (_name, port) => {
  it('the web chat answers "try again shortly", and the Telegram webhook answers 503', async () => {
    const redisPort = await port();
    fake ??= await startFakeTelegramServer();
    const app = makeApp({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      TELEGRAM_BOT_TOKEN: '616161:redis-down',
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'http://127.0.0.1:9/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'down-secret',
    });
    const server = createHttpServer(app, silentLogger);
    try {
      const chat = await server.inject({
        method: 'POST',
        url: '/api/chat',
        payload: { userId: 'visitor', text: 'OCOP là gì?' },
      });
      expect(chat.statusCode).toBe(200);
      expect(chat.json().replies.map((r: { text: string }) => r.text)).toEqual([app.messages.unavailable]);
      // The page's message id is recorded in Redis too: out of reach, the message is answered without the record.
      const retried = await server.inject({
        method: 'POST',
        url: '/api/chat',
        payload: { userId: 'visitor', text: 'OCOP là gì?', messageId: 'm-redis-down-1' },
      });
      expect(retried.statusCode).toBe(200);
      expect(retried.json().replies.map((r: { text: string }) => r.text)).toEqual([app.messages.unavailable]);
      const update = await server.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers: { 'x-telegram-bot-api-secret-token': 'down-secret' },
        payload: {
          update_id: 1,
          message: {
            message_id: 1,
            date: 1,
            chat: { id: 5, type: 'private' },
            from: { id: 5, is_bot: false, first_name: 'A' },
            text: 'xin chào',
          },
        },
      });
      expect(update.statusCode).toBe(503);
    } finally {
      await server.close();
      await app.close();
    }
  });
});
