/**
 * The webhook route both platforms use: the secret header checked in constant time (401), the body parsed into
 * an update (400 when it is none), and 200 once the inbox has recorded the update: from then on its retries are
 * ours (channels/inbox.ts). 503 only when it could not be recorded (Redis out of reach), so the platform
 * delivers it again later.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.js';
import { requireSecretHeader } from './secret.js';

export interface WebhookRoute<U> {
  path: string;
  /** The platform's secret header, lower case. */
  secretHeader: string;
  secret: string;
  /** The update in the body, or undefined for a malformed one. */
  parse(body: unknown): U | undefined;
  /** Hands the update to the inbox; throws only when it could not be recorded. */
  handle(update: U): Promise<void>;
  /** What identifies the update in a log line (never its text). */
  describe?(update: U): Record<string, unknown>;
  log: Logger;
}

export function registerWebhookRoute<U>(server: FastifyInstance, route: WebhookRoute<U>): void {
  const onRequest = requireSecretHeader(route.secretHeader, route.secret, route.log);
  server.post(route.path, { onRequest }, async (req, reply) => {
    const update = route.parse(req.body);
    if (update === undefined) {
      // Acknowledged, not refused: a platform redelivers what it gets a non-2xx for, and a malformed update
      // never becomes valid, so refusing it would only block that chat's next updates (parse() logged why).
      route.log.warn({ event: 'malformed_update', path: route.path }, 'malformed update acknowledged and ignored');
      return reply.code(200).send({ ok: true, ignored: 'malformed_update' });
    }
    try {
      await route.handle(update);
    } catch (err) {
      route.log.error(
        { err: err instanceof Error ? err.message : String(err), ...route.describe?.(update) },
        'update not recorded',
      );
      return reply.code(503).send({ error: 'unavailable' });
    }
    return reply.code(200).send({ ok: true });
  });
}
