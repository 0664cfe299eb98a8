/**
 * The app served over HTTP with Telegram and Zalo in webhook mode against the local Bot API servers, as an
 * end-to-end test starts it: resolves once both webhooks are set at the platforms.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { createHttpServer } from '../../src/server/http-server.js';
import type { FakeTelegramServer } from '../fakes/fake-telegram-server.js';
import type { FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { app as makeApp, freePort } from './app.js';
import { testLogger } from './log-capture.js';

export interface Serving {
  app: App;
  server: FastifyInstance;
  url: string;
}

export async function serveWithChannels(
  platforms: { telegram: FakeTelegramServer; telegramToken: string; zalo: FakeZaloServer; zaloToken: string },
  env: Record<string, string>,
): Promise<Serving> {
  const port = await freePort();
  const app = makeApp({
    TELEGRAM_BOT_TOKEN: platforms.telegramToken,
    TELEGRAM_API_ROOT: platforms.telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
    TELEGRAM_WEBHOOK_SECRET: 'e2e-telegram-secret',
    ZALO_BOT_TOKEN: platforms.zaloToken,
    ZALO_API_ROOT: platforms.zalo.apiRoot,
    ZALO_WEBHOOK_URL: `http://127.0.0.1:${port}/zalo/webhook`,
    ZALO_WEBHOOK_SECRET: 'e2e-zalo-secret',
    ...env,
  });
  const server = createHttpServer(app, testLogger());
  const url = await server.listen({ host: '127.0.0.1', port });
  await app.startChannels();
  await expect.poll(() => platforms.telegram.webhook?.url).toBe(`${url}/telegram/webhook`);
  await expect.poll(() => platforms.zalo.webhook?.url).toBe(`${url}/zalo/webhook`);
  return { app, server, url };
}

/** Servings started by a test file, stopped together (after each test, or to restart on the same Redis). */
export class Servings {
  private readonly running: Serving[] = [];

  add(serving: Serving): Serving {
    this.running.push(serving);
    return serving;
  }

  /** The first one still running. */
  first(): Serving {
    return this.running[0]!;
  }

  async stopAll(): Promise<void> {
    for (const r of this.running.splice(0)) {
      await r.server.close();
      await r.app.close();
    }
  }
}
