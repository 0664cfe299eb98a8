/**
 * The body parser of the platforms' webhook routes. Fastify's own JSON parser refuses invalid JSON, an empty
 * body or a `__proto__` key with a 400, which a platform redelivers for ever; here such a body becomes
 * `undefined`, so the route's parse() sees a malformed update and acknowledges it. `__proto__` keys are dropped.
 */
import type { FastifyInstance } from 'fastify';

const PROTO_KEY =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

export function parseWebhookJson(raw: string): unknown {
  try {
    // The reviver is slow (a call per key): only a body that names the key, even in escapes, needs it (the test
    // secure-json-parse, Fastify's own parser, makes).
    if (!PROTO_KEY.test(raw)) return JSON.parse(raw);
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
