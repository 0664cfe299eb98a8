/** The HTTP host: web chat, health check, and one error boundary that maps failures to JSON responses. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { Logger } from '../core/logger.js';
import { registerWebChat } from '../channels/web/web-chat.js';
import { registerAdminApi } from './admin-api.js';
import { registerAdminConsole } from './admin-console.js';
import { registerBroadcastApi } from './broadcast-api.js';
import { registerMetaApi } from './meta-api.js';
import { registerInsightsApi } from './insights-api.js';

export function createHttpServer(app: App, logger: Logger): FastifyInstance {
  const server = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: true });
  server.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) logger.error({ err: err.message, url: req.url }, 'request failed');
    else logger.info({ status, code: err.code, url: req.url }, 'request refused');
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
      store: app.redis ? 'redis' : 'memory',
      redis,
      passages: app.kb.passages.length,
      channels,
      ...(stopped.length ? { stopped } : {}),
    };
    return reply.code(healthy ? 200 : 503).send(body);
  });
  registerWebChat(server, app.inbox, app.messages);
  app.telegram?.registerRoutes(server);
  app.zalo?.registerRoutes(server);
  registerAdminApi(server, {
    store: app.submissions,
    adminToken: app.config.ADMIN_TOKEN,
    authFailures: { max: app.config.ADMIN_MAX_FAILED_SIGNINS, windowMs: 10 * 60_000 },
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
        }),
    ],
  });
  registerAdminConsole(server, { promptsDir: app.config.PROMPTS_DIR });
  return server;
}
