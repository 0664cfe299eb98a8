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
    // The path only: a query string can carry a token or a phone number.
    const path = req.url.split('?')[0];
    if (status >= 500) logger.error({ err: err.message, path }, 'request failed');
    else logger.info({ status, code: err.code, path }, 'request refused');
    void reply.code(status).send({ error: status >= 500 ? 'internal_error' : (err.code ?? 'bad_request') });
  });
  server.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ error: 'not_found' });
  });
  server.get('/health', async (_req, reply) => {
    const redis = app.redis
      ? await app.redis.ping().then(
          () => 'ok',
          () => 'down',
        )
      : 'not_configured';
    const body = {
      status: redis === 'down' ? 'degraded' : 'ok',
      store: app.redis ? 'redis' : 'memory',
      redis,
      passages: app.kb.passages.length,
    };
    return reply.code(redis === 'down' ? 503 : 200).send(body);
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
