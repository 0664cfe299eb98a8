/**
 * A bot process for the channel benchmark: `ours` (the whole app: Telegram webhook → inbox with Redis →
 * engine → replies through grammY) or `bare` (a grammY bot on the same HTTP framework that only echoes).
 * `ours-nocache` is ours with the answer cache off. Prints "READY <port>".
 * Usage: node bin/run-ts.mjs bench/channel-bot.ts ours|ours-nocache|bare <apiRoot> <redisPrefix>.
 */
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer } from '../src/server/http-server.js';

export const BENCH_TOKEN = '123456:bench-token';
export const BENCH_SECRET = 'bench-secret';

async function main(): Promise<void> {
  const [kind, apiRoot, prefix] = process.argv.slice(2);
  if (!apiRoot || !prefix || !['ours', 'ours-nocache', 'bare'].includes(kind ?? '')) {
    throw new Error('usage: channel-bot.ts ours|ours-nocache|bare <apiRoot> <prefix>');
  }
  let url: string;
  if (kind !== 'bare') {
    const app = createApp(
      parseConfig({
        LOG_LEVEL: 'silent',
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: BENCH_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        // Only registers the webhook route: the benchmark posts updates itself, so setWebhook is never called.
        TELEGRAM_WEBHOOK_URL: 'https://bench.invalid/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
        // The load is many messages per user in a few seconds; the flood limit would answer most of them.
        FLOOD_MAX_MESSAGES: '1000000',
        // All of it comes from 127.0.0.1, as if from one platform server far busier than the default allows.
        WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000',
        ANSWER_CACHE_SIZE: kind === 'ours' ? '1000' : '0',
      }),
      silentLogger,
    );
    url = await createHttpServer(app, silentLogger).listen({ host: '127.0.0.1', port: 0 });
  } else {
    const bot = new Bot(BENCH_TOKEN, { client: { apiRoot } });
    bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
    const server = Fastify({ logger: false });
    server.post('/telegram/webhook', webhookCallback(bot, 'fastify', { secretToken: BENCH_SECRET }));
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  }
  // A normal exit on SIGTERM, so a CPU profile (BENCH_CPU_PROF) gets written.
  process.once('SIGTERM', () => process.exit(0));
  console.log(`READY ${new URL(url).port}`);
}

// Runs only as the child process, not when the driver imports the constants above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
