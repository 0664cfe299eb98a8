/** Constant-time comparison of a webhook secret header with the configured secret. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function secretMatches(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  // Hashing first gives equal lengths, so the comparison time does not reveal the secret's length.
  return timingSafeEqual(digest(received), digest(expected));
}

/** A route hook (onRequest: before the body is read) that refuses (401) a webhook call without the platform's secret header. */
export function requireSecretHeader(header: string, secret: string, log: Logger) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (secretMatches(req.headers[header], secret)) return;
    log.warn({ event: 'webhook_refused', ip: req.ip }, 'wrong webhook secret');
    return reply.code(401).send({ error: 'unauthorized' });
  };
}
