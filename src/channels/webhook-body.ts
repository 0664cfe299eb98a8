/**
 * The body parser of the platforms' webhook routes. Fastify's own JSON parser refuses invalid JSON, an empty
 * body or a `__proto__` key with a 400, which a platform redelivers for ever; here such a body becomes
 * `undefined`, so the route's parse() sees a malformed update and acknowledges it. `__proto__` keys are dropped.
 */
import type { FastifyInstance } from 'fastify';

export function parseWebhookJson(raw: string): unknown {
  try {
    return JSON.parse(raw, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    return undefined;
  }
}

/** Registers routes in their own scope, where every request body is read by parseWebhookJson. */
export function inWebhookScope(server: FastifyInstance, register: (scope: FastifyInstance) => void): void {
  void server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
      done(null, parseWebhookJson(typeof body === 'string' ? body : body.toString('utf8')));
    });
    register(scope);
  });
}
