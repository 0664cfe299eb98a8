/** pino, with personal data and secrets masked in every log line (src/core/text/mask.ts). */
import { pino } from 'pino';
import type { Logger } from './core/logger.js';
import { maskPersonalData, withoutQueryStrings } from './core/text/mask.js';

/** Fields whose whole value is a secret. */
const SECRET_KEYS = /token|secret|password|apikey|api_key|authorization|cookie/i;
/** Fields that hold a URL or a path: logged without the query string. */
const URL_KEYS = /^(?:url|uri|href|path|target|location|referr?er)$|Url$/i;
/** Deeper than this, a value is not logged (and cannot leak). */
const MAX_DEPTH = 8;

/** A string as logged: no query strings, nothing the masker masks. */
const logText = (text: string) => maskPersonalData(withoutQueryStrings(text));

/** Masks personal data and secrets anywhere in a value: every string, nested objects, arrays, errors. */
export function maskSensitive(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return logText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => maskSensitive(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: logText(value.message), ...(typeof code === 'string' ? { code } : {}) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(k)) out[k] = '[redacted]';
    else if (URL_KEYS.test(k) && typeof v === 'string') out[k] = logText(v.replace(/[?#].*$/s, ''));
    else out[k] = maskSensitive(v, depth + 1);
  }
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'ocop-bot' },
    formatters: {
      log: (obj) => maskSensitive(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        // The message and its interpolation arguments; an Error given alone would log its message unmasked.
        const masked = args.map((a) =>
          typeof a === 'string' || a instanceof Error ? maskSensitive(a) : a,
        ) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options, pino.destination(2));
  // pino's bindings formatter applies to the root only: children (which inherit this) mask their bindings here.
  const child = logger.child;
  logger.child = function (this: typeof logger, bindings, childOptions) {
    return child.call(this, maskSensitive(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger as unknown as Logger;
}
