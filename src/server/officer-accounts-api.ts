/**
 * Named officers in the officer API: console sessions (sign in with a username and password, an HttpOnly
 * cookie, a CSRF token for every state-changing request), who is acting on a request, and the provincial
 * officers' account management. Mounted inside the /api/admin scope by admin-api.ts.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import { z } from 'zod';
import { secretMatches } from '../channels/secret.js';
import type { Logger } from '../core/logger.js';
import {
  type AccountStore,
  decoyHash,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  newAccountId,
  newSecret,
  OFFICER_ROLES,
  type Officer,
  type OfficerAccount,
  officerOf,
  publicAccount,
  RESERVED_NAMES,
  type SessionStore,
  USERNAME_PATTERN,
  verifyPassword,
} from '../core/officer/accounts.js';
import type { WindowCounter } from '../core/window-counter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, set by the admin scope's authentication hook. */
    officer?: Officer;
  }
}

export interface OfficerAccountsDeps {
  store: AccountStore;
  sessions: SessionStore;
  /** Current commune names a commune officer may be given. */
  communes: readonly string[];
  sessionTtlMs: number;
  now?: () => number;
}

export const SESSION_COOKIE = 'ocop_officer_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Where the cookie is sent: the officer API only. */
const COOKIE_PATH = '/api/admin';
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session store's key: a hash of the cookie's id, so a copy of the store opens no session. */
const sessionKey = (id: string) => createHash('sha256').update(id).digest('hex');
const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The officer acting on a request inside the admin scope (the hook has set it before any handler runs). */
export function actingOfficer(req: FastifyRequest): Officer {
  if (!req.officer) throw new Error('officer request without an authenticated officer');
  return req.officer;
}

export const isSignInRequest = (req: FastifyRequest) =>
  req.method === 'POST' && req.routeOptions.url === `${COOKIE_PATH}/session`;

export const sessionCookieOf = (req: FastifyRequest): string | undefined => req.cookies?.[SESSION_COOKIE] || undefined;

/**
 * The officer a session cookie stands for, or a refusal: 401 for an unknown, expired or outdated session or a
 * disabled account; 403 for a state-changing request without the session's CSRF token.
 */
export async function officerFromSession(
  req: FastifyRequest,
  deps: OfficerAccountsDeps,
): Promise<{ officer: Officer } | { status: 401 | 403; error: string }> {
  const id = sessionCookieOf(req);
  const session = id ? await deps.sessions.get(sessionKey(id)) : undefined;
  const account = session ? await deps.store.get(session.accountId) : undefined;
  if (!session || !account || account.disabled || account.credentialVersion !== session.credentialVersion) {
    return { status: 401, error: 'unauthorized' };
  }
  if (!SAFE_METHODS.has(req.method)) {
    const presented = req.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !secretMatches(presented, session.csrfToken)) {
      return { status: 403, error: 'csrf_token_missing' };
    }
  }
  return { officer: officerOf(account) };
}

const signInBody = z.object({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const password = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH);
const displayName = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .refine((v) => !RESERVED_NAMES.has(v.toLowerCase()), 'a reserved name');

export function registerOfficerAccountsApi(
  api: FastifyInstance,
  deps: OfficerAccountsDeps & {
    logger: Logger;
    failures: WindowCounter;
    maxFailures: number;
    failureWindowMs: number;
  },
): void {
  const { store, sessions, logger } = deps;
  const now = deps.now ?? Date.now;
  const communes = new Set(deps.communes);
  const communeList = z
    .array(z.string().trim().min(1).max(100))
    .max(100)
    .refine((list) => list.every((c) => communes.has(c)), 'current commune names');
  const createBody = z
    .object({
      username: z.string().trim().toLowerCase().regex(USERNAME_PATTERN),
      displayName,
      password,
      role: z.enum(OFFICER_ROLES),
      communes: communeList.optional(),
    })
    .strict()
    .refine((b) => b.role === 'province' || (b.communes?.length ?? 0) > 0, {
      path: ['communes'],
      message: 'a commune officer needs at least one commune',
    });
  const patchBody = z
    .object({ displayName: displayName.optional(), password: password.optional(), disabled: z.boolean().optional() })
    .strict();
  const invalid = (reply: FastifyReply, issues: z.core.$ZodIssue[]) =>
    reply.code(400).send({
      error: 'invalid_body',
      fields: [...new Set(issues.map((i) => String(i.path[0] ?? '')).filter(Boolean))],
    });
  const provincial = (req: FastifyRequest, reply: FastifyReply) => {
    if (actingOfficer(req).role === 'province') return true;
    void reply.code(403).send({ error: 'province_only' });
    return false;
  };
  const cookieOptions = (req: FastifyRequest) => ({
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict' as const,
    // req.protocol follows X-Forwarded-Proto from a trusted proxy (TRUST_PROXY): Secure behind TLS.
    secure: req.protocol === 'https',
  });

  api.post('/session', async (req, reply) => {
    const parsed = signInBody.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const { username, password: presented } = parsed.data;
    // Every attempt on a username counts, right or wrong, before the password is looked at: past the limit even
    // the right password is refused, so a guesser never learns which guess was right. Wrong ones also count
    // against the client address.
    const userId = `user:${short(username)}`;
    const over = (counts: number[]) => counts.some((c) => c > deps.maxFailures);
    let counts: number[] = [];
    try {
      ({ counts } = await deps.failures.hit([userId], deps.failureWindowMs));
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'sign-in attempt not counted');
    }
    if (over(counts)) {
      logger.warn({ ip: req.ip }, 'officer sign-in refused: too many attempts');
      return reply.code(429).send({ error: 'too_many_attempts' });
    }
    const account = await store.findByUsername(username);
    const matches = await verifyPassword(presented, account?.passwordHash ?? (await decoyHash()));
    if (!account || !matches || account.disabled) {
      try {
        ({ counts } = await deps.failures.hit([`addr:${normalizeIP(req.ip)}`], deps.failureWindowMs));
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'failed sign-in not counted');
      }
      // Neither the username nor the password is logged.
      logger.warn({ ip: req.ip }, 'officer sign-in refused');
      return over(counts)
        ? reply.code(429).send({ error: 'too_many_attempts' })
        : reply.code(401).send({ error: 'unauthorized' });
    }
    const id = newSecret();
    const csrfToken = newSecret();
    await sessions.put(sessionKey(id), {
      accountId: account.id,
      credentialVersion: account.credentialVersion,
      csrfToken,
      expiresAt: now() + deps.sessionTtlMs,
    });
    logger.info({ officer: account.id }, 'officer signed in');
    return reply
      .setCookie(SESSION_COOKIE, id, { ...cookieOptions(req), maxAge: Math.floor(deps.sessionTtlMs / 1000) })
      .send({ officer: officerOf(account), csrfToken });
  });

  // Who is signed in: the console asks on load (a reload keeps the session) and learns the CSRF token again.
  api.get('/session', async (req) => {
    const officer = actingOfficer(req);
    const id = sessionCookieOf(req);
    const session = id && !req.headers.authorization ? await sessions.get(sessionKey(id)) : undefined;
    return { officer, ...(session ? { csrfToken: session.csrfToken } : {}) };
  });

  api.delete('/session', async (req, reply) => {
    const id = sessionCookieOf(req);
    if (id) await sessions.delete(sessionKey(id));
    return reply.clearCookie(SESSION_COOKIE, cookieOptions(req)).code(204).send();
  });

  api.get('/accounts', async (req, reply) => {
    if (!provincial(req, reply)) return reply;
    return { items: (await store.list()).map(publicAccount) };
  });

  api.post('/accounts', async (req, reply) => {
    if (!provincial(req, reply)) return reply;
    const parsed = createBody.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const b = parsed.data;
    const by = actingOfficer(req).name;
    const at = now();
    const account: OfficerAccount = {
      id: newAccountId(),
      displayName: b.displayName,
      username: b.username,
      role: b.role,
      communes: b.role === 'commune' ? [...new Set(b.communes)] : [],
      disabled: false,
      passwordHash: await hashPassword(b.password),
      credentialVersion: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: by,
      updatedBy: by,
    };
    if (!(await store.create(account))) return reply.code(409).send({ error: 'username_taken' });
    logger.info({ officer: account.id, role: account.role, by: actingOfficer(req).id }, 'officer account created');
    return reply.code(201).send(publicAccount(account));
  });

  api.patch<{ Params: { id: string } }>('/accounts/:id', async (req, reply) => {
    if (!provincial(req, reply)) return reply;
    const parsed = patchBody.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const known = await store.get(req.params.id);
    if (!known) return reply.code(404).send({ error: 'not_found' });
    const b = parsed.data;
    // An officer cannot lock themselves out (another provincial officer, or the token, can).
    if (b.disabled && known.id === actingOfficer(req).id) return reply.code(409).send({ error: 'cannot_disable_self' });
    const updated: OfficerAccount = {
      ...known,
      ...(b.displayName ? { displayName: b.displayName } : {}),
      ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
      // A new password ends every session opened with the old one.
      ...(b.password
        ? { passwordHash: await hashPassword(b.password), credentialVersion: known.credentialVersion + 1 }
        : {}),
      updatedAt: now(),
      updatedBy: actingOfficer(req).name,
    };
    await store.save(updated);
    logger.info(
      { officer: known.id, by: actingOfficer(req).id, disabled: updated.disabled, passwordReset: Boolean(b.password) },
      'officer account changed',
    );
    return publicAccount(updated);
  });
}

/** The shared token, compared in constant time. */
export const tokenMatches = (presented: string | undefined, adminToken: string | undefined) =>
  Boolean(adminToken && presented && secretMatches(presented, adminToken));
