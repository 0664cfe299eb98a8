/** Builds the real assistant from the repository's knowledge/ and prompts/, as the entry points do. */
import { parseConfig, type Config } from '../../src/config.js';
import { createApp, createAssistant, type App, type Assistant } from '../../src/app.js';
import { testLogger } from './log-capture.js';

/**
 * Tests drive /api/chat and the webhooks far faster than any person from one address (127.0.0.1): the
 * per-address limits are off unless a test sets them (test/server/access-control.int.test.ts does).
 */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return parseConfig({
    LOG_LEVEL: 'silent',
    // In-process tests keep everything in memory: nothing is written into the repository's ./data.
    DATA_DIR: ':memory:',
    CHAT_RATE_LIMIT_PER_MINUTE: '100000',
    WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000',
    ...env,
  });
}

let shared: Assistant | undefined;

/** One assistant per test file (building the index takes ~100 ms). */
export function assistant(): Assistant {
  shared ??= createAssistant(testConfig(), testLogger());
  return shared;
}

const CONTENT_SETTINGS = [
  'KNOWLEDGE_DIR',
  'PROMPTS_DIR',
  'RETRIEVAL_MIN_CONFIDENCE',
  'ANSWER_CACHE_SIZE',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
];

/**
 * The whole app with memory state unless REDIS_URL is given; shares the test assistant when the content settings
 * are the defaults. It logs to testLogger(): in integration tests, a debug log checked for personal data.
 */
export function app(env: Record<string, string | undefined> = {}): App {
  const sharesContent = !CONTENT_SETTINGS.some((k) => env[k] !== undefined);
  return createApp(testConfig(env), testLogger(), sharesContent ? assistant() : undefined);
}

/** A unique Redis prefix per test, so parallel tests never share keys. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A TCP port that was free a moment ago (for servers whose URL must be known before they start). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Deletes every Redis key under a test prefix. */
/** The Redis the tests use (scripts/test-services.sh makes sure one answers there). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function dropPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
