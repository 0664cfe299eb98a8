/**
 * Settings, read from the environment (and a .env file when present) and validated once at start-up.
 * `parseConfig` is pure; only the entry points call `loadConfig`. Every setting is listed in .env.example.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseQuietHours } from './core/broadcast/quiet-hours.js';

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalUrl = optionalString.pipe(z.url().optional());

/** proxy-addr's names for address ranges, accepted in a TRUST_PROXY list. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address (`10.0.0.1`, `::1`), a CIDR (`10.0.0.0/8`, `fd00::/8`) or a named range. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies may set X-Forwarded-For: `false` (none: the client is the TCP peer), `true` (any: only when
 * nothing can reach the server except through the proxy), a hop count, or the proxies' addresses and CIDRs.
 */
export type TrustProxy = boolean | number | string[];

const trustProxy = z
  .string()
  .trim()
  .default('false')
  .transform((v, ctx): TrustProxy => {
    const value = v.toLowerCase();
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 20) return hops;
      ctx.addIssue({ code: 'custom', message: 'a hop count is 1–20' });
      return z.NEVER;
    }
    const list = value
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (list.length && list.every(isProxyAddress)) return list;
    ctx.addIssue({
      code: 'custom',
      message: 'true, false, a hop count, or proxy addresses/CIDRs separated by commas (10.0.0.1,192.168.0.0/16)',
    });
    return z.NEVER;
  });

const secret = (pattern: RegExp, rule: string) => optionalString.pipe(z.string().regex(pattern, rule).optional());

export const configSchema = z
  .object({
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    TRUST_PROXY: trustProxy,
    CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    KNOWLEDGE_DIR: z.string().trim().min(1).default('knowledge'),
    PROMPTS_DIR: z.string().trim().min(1).default('prompts'),
    REDIS_URL: optionalString.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
        .optional(),
    ),
    REDIS_PREFIX: z
      .string()
      .trim()
      .regex(/^[\w.-]+$/, 'letters, digits, _ . - only')
      .default('ocop'),
    /** Without REDIS_URL: the folder of the embedded database (DATA_DIR/ocop.db); ':memory:' keeps it all in memory. */
    DATA_DIR: z.string().trim().min(1).default('data'),
    STATE_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(7 * 24 * 3600),
    MAX_MESSAGE_LENGTH: z.coerce.number().int().min(50).max(10000).default(1000),
    /** Sites allowed to frame the web chat (the /widget.js button), as origins separated by commas; none by default. */
    WIDGET_ALLOWED_ORIGINS: optionalString.transform((value, ctx) => {
      const list = (value ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      for (const origin of list) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
          ctx.addIssue({ code: 'custom', message: `not an origin (https://host[:port], no path): ${origin}` });
          return z.NEVER;
        }
      }
      return list.map((o) => new URL(o).origin);
    }),
    RETRIEVAL_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.53),
    ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).default(1000),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(8000),
    FLOOD_MAX_MESSAGES: z.coerce.number().int().min(1).default(10),
    FLOOD_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
    USER_LOCK_TTL_SECONDS: z.coerce.number().min(0.2).max(120).default(10),
    UPDATE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    UPDATE_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
    TELEGRAM_BOT_TOKEN: secret(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def (from @BotFather)'),
    TELEGRAM_API_ROOT: optionalUrl,
    TELEGRAM_WEBHOOK_URL: optionalUrl,
    TELEGRAM_WEBHOOK_SECRET: secret(/^[\w-]{1,256}$/, '1–256 characters from A-Z a-z 0-9 _ -'),
    ZALO_BOT_TOKEN: secret(/^\d+:[\w-]+$/, 'must look like 12345689:abc-xyz (from Zalo Bot Creator)'),
    ZALO_API_ROOT: z.string().trim().pipe(z.url()).default('https://bot-api.zaloplatforms.com'),
    ZALO_WEBHOOK_URL: optionalUrl,
    ZALO_WEBHOOK_SECRET: secret(/^[\w-]{8,256}$/, '8–256 characters from A-Z a-z 0-9 _ -'),
    DRAFT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(30 * 24 * 3600),
    REVIEW_WORKING_DAYS: z.coerce.number().int().min(1).max(90).default(10),
    /** Largest photo a producer may send for a submission (bytes; Telegram's bots may fetch up to 20 MB). */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(10 * 1024)
      .max(20 * 1024 * 1024)
      .default(5 * 1024 * 1024),
    /** A folder for the photos' bytes (relative to the working directory); unset: in Redis, or in memory. */
    ATTACHMENT_DIR: optionalString,
    /** Photos kept per submission; more are refused politely. */
    ATTACHMENT_MAX_PER_SUBMISSION: z.coerce.number().int().min(1).max(50).default(10),
    ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
    ADMIN_MAX_FAILED_SIGNINS: z.coerce.number().int().min(1).default(10),
    ADMIN_FAILED_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    ADMIN_SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .default(8 * 3600),
    BACKEND_WEBHOOK_URL: optionalUrl,
    BACKEND_WEBHOOK_TOKEN: optionalString,
    OFFICER_IDS: z
      .string()
      .trim()
      .default('')
      .transform((v, ctx) => {
        const ids = v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        for (const id of ids) {
          if (!/^(telegram|zalo|web|cli):[\w.-]{1,128}$/.test(id))
            ctx.addIssue({ code: 'custom', message: 'channel:id pairs, e.g. telegram:123456,zalo:abc' });
        }
        return ids;
      }),
    TELEGRAM_BROADCAST_PER_SECOND: z.coerce.number().positive().max(1000).default(25),
    ZALO_BROADCAST_PER_SECOND: z.coerce.number().positive().max(1000).default(5),
    BROADCAST_PER_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
    BROADCAST_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    BROADCAST_QUIET_HOURS: z
      .string()
      .trim()
      .default('22-6')
      .refine((v) => {
        try {
          parseQuietHours(v);
          return true;
        } catch {
          return false;
        }
      }, 'two hours 0–23 like 22-6 (Vietnam time), or off'),
    BROADCAST_STALL_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    /** The first line of every announcement: who sends it. */
    ANNOUNCEMENT_SENDER: z.string().trim().max(200).default('Văn phòng Điều phối NTM tỉnh Cao Bằng'),
    BROADCAST_WORKERS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
  })
  .superRefine((c, ctx) => {
    // A webhook without its secret would accept updates from anyone who finds the URL.
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required when TELEGRAM_WEBHOOK_URL is set',
      });
    }
    if (c.ZALO_WEBHOOK_URL && !c.ZALO_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['ZALO_WEBHOOK_SECRET'], message: 'required when ZALO_WEBHOOK_URL is set' });
    }
  });
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly settings: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Validates settings; the error names each bad setting and never echoes its value (it may be a secret). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const settings = [...new Set(result.error.issues.map((i) => String(i.path[0])))];
  const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
  throw new ConfigError(settings, `Invalid configuration:\n${lines.join('\n')}`);
}

export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}

export function llmEnabled(config: Config): boolean {
  return Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}
