/** pino, with phone numbers and secrets masked in every log line. */
import { pino } from 'pino';
import type { Logger } from './core/logger.js';
import { PHONE_PATTERN as PHONE } from './core/text/mask.js';

const BOT_TOKEN = /\b\d{6,}:[\w-]{20,}\b/g;
const SECRET_KEYS = /token|secret|password|apikey|api_key|authorization/i;

/** Masks phone numbers and token-like strings anywhere in a value. */
export function maskSensitive(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return value.replace(BOT_TOKEN, '[token]').replace(PHONE, (m) => `${m.slice(0, 3)}***${m.slice(-2)}`);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSensitive(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: maskSensitive(value.message, depth + 1) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : maskSensitive(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'ocop-bot' },
    formatters: { log: (obj) => maskSensitive(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskSensitive(a) : a)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
  return (destination ? pino(options, destination) : pino(options, pino.destination(2))) as unknown as Logger;
}
