/**
 * Per-address request limits on the public write endpoints: the web chat (`POST /api/chat`) and the platforms'
 * webhooks. @fastify/rate-limit does the bookkeeping (keys, IPv6 /64 grouping, windows) over our own store, the
 * WindowCounter (Redis when configured, so every process counts together; run through `runScript`, not ioredis's
 * defineCommand that the plugin's own Redis store uses). The client address is `req.ip` as TRUST_PROXY resolves it.
 */
import rateLimit, { normalizeIP, type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';
import type { WindowCounter } from '../core/window-counter.js';
import { TELEGRAM_WEBHOOK_PATH } from '../channels/telegram/telegram-channel.js';
import { ZALO_WEBHOOK_PATH } from '../channels/zalo/zalo-channel.js';

const WINDOW_MS = 60_000;

export interface RateLimitDeps {
  counter: WindowCounter;
  /** Requests per client address per minute on POST /api/chat. */
  chatPerMinute: number;
  /** Requests per client address per minute on each platform's webhook. */
  webhookPerMinute: number;
  /** The answer to a web chat request over the limit (the page shows it as a reply). */
  chatRefusal: (retryAfterSeconds: number) => unknown;
  logger: Logger;
}

/** How long a request waits for its rate-limit count before it is let through uncounted. */
const STORE_PATIENCE_MS = 500;

/** The plugin's store interface over a WindowCounter: one counter per key, the window the plugin asks for. */
function storeOver(counter: WindowCounter) {
  return class WindowCounterStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      // A slow or unreachable store lets the request through soon (skipOnError), rather than after the command timeout.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('rate limit store too slow')), STORE_PATIENCE_MS);
      });
      Promise.race([counter.hit([key], timeWindow), late])
        .finally(() => clearTimeout(timer))
        .then(
          ({ counts, ttlMs }) => callback(null, { current: counts[0] ?? 0, ttl: ttlMs }),
          (err: Error) => callback(err),
        );
    }

    child(): FastifyRateLimitStore {
      // Each limit's keys carry its own name (see keyGenerator), so one store serves them all.
      return this;
    }
  };
}

interface Limit {
  name: string;
  max: number;
  refuse(reply: FastifyReply, retryAfterSeconds: number): FastifyReply;
}

export function registerRateLimits(server: FastifyInstance, deps: RateLimitDeps): void {
  const logger = deps.logger.child({ component: 'rate-limit' });
  // A store failure (Redis down) lets the request through: the limit never turns an outage into refusals.
  server.register(rateLimit, { global: false, store: storeOver(deps.counter), skipOnError: true });

  const limits = new Map<string, Limit>();
  const chat: Limit = {
    name: 'chat',
    max: deps.chatPerMinute,
    refuse: (reply, seconds) => reply.code(429).send(deps.chatRefusal(seconds)),
  };
  const webhook = (name: string): Limit => ({
    name,
    max: deps.webhookPerMinute,
    refuse: (reply) => reply.code(429).send({ error: 'too_many_requests' }),
  });
  limits.set('/api/chat', chat);
  limits.set(TELEGRAM_WEBHOOK_PATH, webhook('telegram'));
  limits.set(ZALO_WEBHOOK_PATH, webhook('zalo'));

  // Once the plugins registered before this point (helmet, the rate limiter) have loaded: the limiter's
  // decorator exists then, and a refusal still carries helmet's headers.
  server.after(() => {
    const checks = new Map(
      [...limits].map(([path, limit]) => [
        path,
        server.createRateLimit({
          max: limit.max,
          timeWindow: WINDOW_MS,
          keyGenerator: (req) => `${limit.name}:${normalizeIP(req.ip)}`,
        }),
      ]),
    );
    server.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.method === 'POST' ? (req.routeOptions.url ?? '') : '';
      const limit = limits.get(path);
      const check = checks.get(path);
      if (!limit || !check) return;
      const result = await check(req);
      if (result.isAllowed || !result.isExceeded) return;
      const seconds = Math.max(1, result.ttlInSeconds);
      // At debug level: a script over the limit would otherwise write a line per request.
      logger.debug({ limit: limit.name, ip: req.ip }, 'request over the rate limit');
      return limit.refuse(reply.header('retry-after', String(seconds)), seconds);
    });
  });
}
