/**
 * The HTTP host: web chat, health check, and one error boundary that maps failures to JSON responses. Every
 * response carries security headers (helmet); the client address is resolved as TRUST_PROXY says; the public
 * write endpoints are rate-limited per address (rate-limits.ts).
 */
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { App } from '../app.js';
import type { TrustProxy } from '../config.js';
import type { Logger } from '../core/logger.js';
import type { WindowCounter } from '../core/window-counter.js';
import { MemoryWindowCounter } from '../adapters/memory/memory-window-counter.js';
import { createKeys } from '../adapters/redis/keys.js';
import { RedisWindowCounter } from '../adapters/redis/redis-window-counter.js';
import { MemoryWebReplyMemo } from '../adapters/memory/memory-web-reply-memo.js';
import { RedisWebReplyMemo } from '../adapters/redis/redis-web-reply-memo.js';
import { rateLimitedReply, registerWebChat } from '../channels/web/web-chat.js';
import { registerAdminApi } from './admin-api.js';
import { registerAdminConsole } from './admin-console.js';
import { registerBroadcastApi } from './broadcast-api.js';
import { registerMetaApi } from './meta-api.js';
import { registerInsightsApi } from './insights-api.js';
import { registerRateLimits } from './rate-limits.js';

/**
 * TRUST_PROXY as fastify takes it. A hop count becomes "trust that many hops in front of the server" (Express's
 * meaning): fastify itself now trusts no hop for a bare number, since a client that reaches the server directly
 * could forge the header; so a hop count is only for a server nothing reaches except through those proxies.
 */
export function trustProxyOption(value: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (typeof value === 'number') return (_address: string, hop: number) => hop < value;
  return value;
}

/** Headers for every response (API, console, web chat); the two pages set their own, stricter, CSP. */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  // TLS ends at the reverse proxy, which knows the site's domains: HSTS without includeSubDomains.
  strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
};

export function createHttpServer(app: App, logger: Logger): FastifyInstance {
  const server = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    trustProxy: trustProxyOption(app.config.TRUST_PROXY),
  });
  server.register(helmet, SECURITY_HEADERS);
  // Redis when configured, so every process counts together; else this process's memory.
  const keys = createKeys(app.config.REDIS_PREFIX);
  const counter = (keyOf: (id: string) => string): WindowCounter =>
    app.redis ? new RedisWindowCounter(app.redis, keyOf) : new MemoryWindowCounter();
  registerRateLimits(server, {
    counter: counter(keys.rateLimit),
    chatPerMinute: app.config.CHAT_RATE_LIMIT_PER_MINUTE,
    webhookPerMinute: app.config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    chatRefusal: (seconds) => rateLimitedReply(app.messages, seconds),
    logger,
  });
  server.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    // The path only: a query string can carry a token or a phone number.
    const path = req.url.split('?')[0];
    if (status >= 500) logger.error({ err: err.message, path }, 'request failed');
    else logger.info({ status, code: err.code, path }, 'request refused');
    void reply.code(status).send({ error: status >= 500 ? 'internal_error' : (err.code ?? 'bad_request') });
  });
  server.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ error: 'not_found' });
  });
  // Answers within HEALTH_PING_TIMEOUT_MS whatever Redis does (down, or accepting and never answering): a load
  // balancer must see a 503, not a timeout. One ping at a time is in flight, however often /health is asked.
  const HEALTH_PING_TIMEOUT_MS = 500;
  let ping: Promise<'ok' | 'down'> | undefined;
  server.get('/health', async (_req, reply) => {
    let redis: 'ok' | 'down' | 'timeout' | 'not_configured' = 'not_configured';
    if (app.redis) {
      const client = app.redis;
      ping ??= client.ping().then(
        () => 'ok' as const,
        () => 'down' as const,
      );
      const current = ping;
      void current.finally(() => {
        if (ping === current) ping = undefined;
      });
      let timer: NodeJS.Timeout | undefined;
      redis = await Promise.race([
        current,
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), HEALTH_PING_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    const channels = {
      web: { state: 'running' },
      ...(app.telegram ? { telegram: app.telegram.status() } : {}),
      ...(app.zalo ? { zalo: app.zalo.status() } : {}),
    };
    // A polling channel that gave up (its token was refused) receives nothing any more: not healthy.
    const stopped = Object.entries(channels)
      .filter(([, c]) => 'mode' in c && c.mode === 'polling' && c.state === 'stopped')
      .map(([name]) => name);
    const healthy = (redis === 'ok' || redis === 'not_configured') && stopped.length === 0;
    const body = {
      status: healthy ? 'ok' : 'degraded',
      store: app.storage.kind,
      redis,
      passages: app.kb.passages.length,
      channels,
      ...(stopped.length ? { stopped } : {}),
    };
    return reply.code(healthy ? 200 : 503).send(body);
  });
  registerWebChat(server, {
    inbox: app.inbox,
    messages: app.messages,
    maxMessageLength: app.config.MAX_MESSAGE_LENGTH,
    widgetOrigins: app.config.WIDGET_ALLOWED_ORIGINS,
    replies: app.redis ? new RedisWebReplyMemo(app.redis, keys.webReply) : new MemoryWebReplyMemo(),
    logger,
  });
  app.telegram?.registerRoutes(server);
  app.zalo?.registerRoutes(server);
  registerAdminApi(server, {
    store: app.submissions,
    blobs: app.blobs,
    adminToken: app.config.ADMIN_TOKEN,
    authFailures: {
      max: app.config.ADMIN_MAX_FAILED_SIGNINS,
      windowMs: app.config.ADMIN_FAILED_SIGNIN_WINDOW_SECONDS * 1000,
      counter: counter(keys.signInFailures),
    },
    accounts: {
      store: app.accounts,
      sessions: app.sessions,
      communes: app.directory.listAll(),
      sessionTtlMs: app.config.ADMIN_SESSION_TTL_SECONDS * 1000,
    },
    messages: app.messages,
    logger,
    onStatusChanged: (submission, change) => app.notifyStatusChange(submission, change),
    extensions: [
      (api) => registerBroadcastApi(api, { broadcaster: app.broadcaster, logger }),
      (api) =>
        registerMetaApi(api, { directory: app.directory, classifier: app.answerer.classifier, messages: app.messages }),
      (api) =>
        registerInsightsApi(api, {
          questions: app.questions,
          subscribers: app.subscribers,
          submissions: app.submissions,
          parkedUpdates: (limit) => app.inbox.parked(limit),
          deliver: (channel, userId, text) => app.push(channel, userId, [{ text }]),
          answerTemplate: app.messages.officer_answer,
          review: app.questionReview,
        }),
    ],
  });
  registerAdminConsole(server, { promptsDir: app.config.PROMPTS_DIR });
  return server;
}
