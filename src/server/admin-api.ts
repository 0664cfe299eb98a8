/**
 * The officers' API over registrations: list (JSON or a CSV for Excel), detail, and status changes.
 * Every route needs `Authorization: Bearer <ADMIN_TOKEN>` (automation, the first sign-in), or a named officer's
 * session cookie with, on state-changing requests, its CSRF token (officer-accounts-api.ts). A commune officer
 * sees and changes only their communes' submissions.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import { normalizeIP } from '@fastify/rate-limit';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { secretMatches } from '../channels/secret.js';
import type { Logger } from '../core/logger.js';
import { inScope, TOKEN_OFFICER } from '../core/officer/accounts.js';
import { FORM_FIELD_IDS, type Messages } from '../core/messages.js';
import {
  SUBMISSION_STATUSES,
  VIETNAM_UTC_OFFSET_MS,
  InvalidTransitionError,
  type StatusChange,
  type Submission,
  type SubmissionFilter,
  type SubmissionStatus,
  type SubmissionStore,
  matchesFilter,
  ERASED_VALUE,
} from '../core/registration/types.js';
import { fold } from '../core/text/vietnamese.js';
import type { WindowCounter } from '../core/window-counter.js';
import { MemoryWindowCounter } from '../adapters/memory/memory-window-counter.js';
import {
  actingOfficer,
  isSignInRequest,
  officerFromSession,
  type OfficerAccountsDeps,
  registerOfficerAccountsApi,
  sessionCookieOf,
} from './officer-accounts-api.js';
import { attachmentBlobKey, sniffImage, type BlobStore } from '../core/registration/attachments.js';

export interface AdminApiDeps {
  store: SubmissionStore;
  /** The bytes of the photos producers sent (GET /submissions/:id/attachments/:attachmentId). */
  blobs?: BlobStore;
  adminToken?: string;
  messages: Messages;
  logger: Logger;
  /**
   * Called after a successful status change (e.g. to notify the producer); resolves to whether the producer was
   * told, which the response reports as `notified`. Its failures are only logged (and count as not told).
   */
  onStatusChanged?: (submission: Submission, change: StatusChange) => Promise<boolean | undefined>;
  /** More routes mounted inside the same authenticated /api/admin scope (announcements, insights, meta). */
  extensions?: ((api: FastifyInstance) => void)[];
  /**
   * Wrong tokens allowed per client address, and per token prefix, within `windowMs`; more get 429. Counted in
   * `counter` (Redis: across processes; default: this process). The right token is never refused.
   */
  authFailures?: { max: number; windowMs: number; counter?: WindowCounter };
  /** Named officers (sessions, roles, communes); without it only the token signs in. */
  accounts?: OfficerAccountsDeps;
}

/** How many leading characters of a presented token name its prefix counter (hashed: no token text is stored). */
const TOKEN_PREFIX_LENGTH = 4;

/** The counters a wrong token is charged to: its client address (an IPv6 /64 as one), and its prefix. */
function failureIds(ip: string, presented: string | undefined): string[] {
  const ids = [`addr:${normalizeIP(ip)}`];
  if (presented) {
    const prefix = createHash('sha256').update(presented.slice(0, TOKEN_PREFIX_LENGTH)).digest('hex').slice(0, 16);
    ids.push(`prefix:${prefix}`);
  }
  return ids;
}

const DAY_MS = 24 * 3600 * 1000;

/** "2026-03-05" → 00:00 of that day in Vietnam (ms), or undefined for anything that is not a real date. */
function vietnamDayStart(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return utc - VIETNAM_UTC_OFFSET_MS;
}

/** An instant as Vietnam wall-clock time: "2026-03-05 14:07" (or the date only). */
function vietnamTime(at: number, dateOnly = false): string {
  const iso = new Date(at + VIETNAM_UTC_OFFSET_MS).toISOString();
  return dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** A query parameter given once (a string) or repeated (an array): always a list, at most 100 values. */
const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z.union([item.transform((v) => [v]), z.array(item).min(1).max(100)]);

/** A status code ("needs_info") or its Vietnamese label, with or without diacritics ("can bo sung"). */
export function parseStatus(input: string, messages: Messages): SubmissionStatus | undefined {
  const typed = fold(input).trim().replace(/\s+/g, ' ');
  return SUBMISSION_STATUSES.find(
    (code) =>
      typed === code ||
      typed.replace(/[ -]/g, '_') === code ||
      typed === fold(messages.status_labels[code]).trim().replace(/\s+/g, ' '),
  );
}

/**
 * Cells Excel would turn into numbers and so spoil: digits with a leading zero (phone numbers, codes) lose the
 * zero, and twelve or more digits show in scientific notation (past fifteen they lose digits too).
 */
const SPOILED_AS_NUMBER = /^(0\d+|\d{12,})$/;

/**
 * How a value is written for Excel. Numbers Excel would spoil become ="0978123456": opened by a double click,
 * Excel evaluates the formula to the text, leading zero kept, with nothing extra shown in the cell (a leading
 * apostrophe or tab is shown or kept as a character when a CSV is opened). Text from producers that Excel would
 * run as a formula (= + - @) gets a leading apostrophe: it is then never run.
 */
export function csvSafe(value: string): string {
  if (SPOILED_AS_NUMBER.test(value)) return `="${value}"`;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function registerAdminApi(server: FastifyInstance, deps: AdminApiDeps): void {
  const { store, adminToken, messages } = deps;
  const logger = deps.logger.child({ component: 'admin-api' });

  const statusField = z
    .string()
    .trim()
    .min(1)
    .max(100)
    .transform((v, ctx) => {
      const status = parseStatus(v, messages);
      if (!status) ctx.addIssue({ code: 'custom', message: `one of ${SUBMISSION_STATUSES.join(', ')}` });
      return status ?? z.NEVER;
    });
  const day = z
    .string()
    .trim()
    .transform((v, ctx) => {
      const at = vietnamDayStart(v);
      if (at === undefined) ctx.addIssue({ code: 'custom', message: 'a date YYYY-MM-DD' });
      return at ?? z.NEVER;
    });
  const listQuery = z.object({
    status: statusField.optional(),
    // One value, or several (?commune=A&commune=B: any of them).
    commune: oneOrMany(z.string().trim().min(1).max(200)).optional(),
    group: oneOrMany(
      z
        .string()
        .trim()
        .regex(/^[\w.]{1,50}$/, 'a classification code or its prefix, e.g. I.2'),
    ).optional(),
    from: day.optional(),
    to: day.optional(),
    assessment: z.enum(['with', 'without']).optional(),
    format: z.enum(['json', 'csv']).optional(),
  });
  const patchBody = z.object({
    status: statusField,
    note: z.string().trim().max(1000).optional(),
  });

  const withLabel = (s: Submission) => ({ ...s, statusLabel: messages.status_labels[s.status] });
  const invalid = (reply: FastifyReply, error: string, issues: z.core.$ZodIssue[]) =>
    reply.code(400).send({ error, fields: [...new Set(issues.map((i) => String(i.path[0] ?? '')).filter(Boolean))] });

  const maxFailures = deps.authFailures?.max ?? 10;
  const failureWindowMs = deps.authFailures?.windowMs ?? 10 * 60_000;
  const failures = deps.authFailures?.counter ?? new MemoryWindowCounter();
  server.register(
    async (api) => {
      await api.register(cookie);
      api.decorateRequest('officer', undefined);
      api.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const match = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        const presented = match?.[1];
        // The token is compared first (in constant time): the right token is never counted, never refused, whatever
        // others did from the same address. Only wrong tokens are counted, and only they get 429.
        if (adminToken && presented && secretMatches(presented, adminToken)) {
          req.officer = TOKEN_OFFICER;
          return;
        }
        // A named officer: signing in (counted by its own route), or a session cookie without a bearer token.
        if (deps.accounts && !req.headers.authorization) {
          if (isSignInRequest(req)) return;
          if (sessionCookieOf(req)) {
            const result = await officerFromSession(req, deps.accounts);
            if ('officer' in result) {
              req.officer = result.officer;
              return;
            }
            logger.warn({ ip: req.ip, path: req.url.split('?')[0], status: result.status }, 'officer session refused');
            return reply.code(result.status).send({ error: result.error });
          }
        }
        const path = req.url.split('?')[0];
        let counts: number[] = [];
        try {
          ({ counts } = await failures.hit(failureIds(req.ip, presented), failureWindowMs));
        } catch (err) {
          // Without the counter the wrong token is still refused, only not counted.
          logger.error({ err: (err as Error).message }, 'failed sign-in not counted');
        }
        // The presented token is never logged, only who tried and where.
        if (counts.some((c) => c > maxFailures)) {
          logger.warn({ ip: req.ip, path }, 'admin request refused: too many failed attempts');
          return reply.code(429).send({ error: 'too_many_attempts' });
        }
        logger.warn({ ip: req.ip, path, configured: Boolean(adminToken) }, 'admin request refused');
        return reply.code(401).send({ error: 'unauthorized' });
      });
      if (deps.accounts) {
        registerOfficerAccountsApi(api, {
          ...deps.accounts,
          logger,
          failures,
          maxFailures,
          failureWindowMs,
        });
      }
      for (const extend of deps.extensions ?? []) extend(api);

      api.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
        const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
        if (status >= 500) logger.error({ err: err.message, path: req.url.split('?')[0] }, 'admin request failed');
        return reply.code(status).send({
          error: status >= 500 ? 'internal_error' : status === 400 ? 'invalid_body' : (err.code ?? 'bad_request'),
        });
      });

      api.get('/submissions', async (req, reply) => {
        const parsed = listQuery.safeParse(req.query ?? {});
        if (!parsed.success) return invalid(reply, 'invalid_query', parsed.error.issues);
        const q = parsed.data;
        if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
          return reply.code(400).send({ error: 'invalid_query', fields: ['from', 'to'] });
        }
        const filter: SubmissionFilter = {};
        if (q.status) filter.status = q.status;
        const communes = q.commune ?? [];
        const groups = q.group ?? [];
        if (communes.length === 1) filter.commune = communes[0];
        if (groups.length === 1) filter.group = groups[0];
        if (q.assessment) filter.assessment = q.assessment;
        if (q.from !== undefined) filter.from = q.from;
        // `to` names a day and includes it: everything before the next day's midnight.
        if (q.to !== undefined) filter.to = q.to + DAY_MS;
        const officer = actingOfficer(req);
        const items = (await store.list(filter)).filter(
          (s) =>
            inScope(officer, s.form.commune) &&
            (communes.length < 2 || communes.includes(s.form.commune)) &&
            (groups.length < 2 || groups.some((group) => matchesFilter(s, { group }))),
        );
        if (q.format !== 'csv') return reply.send({ items: items.map(withLabel) });
        const today = vietnamTime(Date.now(), true);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="ocop-dang-ky-${today}.csv"`)
          .send(toCsv(items, messages));
      });

      api.get<{ Params: { id: string } }>('/submissions/:id', async (req, reply) => {
        const s = await store.get(req.params.id);
        // Another commune's submission is not found, as if it did not exist.
        if (!s || !inScope(actingOfficer(req), s.form.commune)) return reply.code(404).send({ error: 'not_found' });
        return reply.send(withLabel(s));
      });

      // A photo's bytes, with the type its own bytes show; never sniffed as anything else, never cached elsewhere.
      api.get<{ Params: { id: string; attachmentId: string } }>(
        '/submissions/:id/attachments/:attachmentId',
        async (req, reply) => {
          const { id, attachmentId } = req.params;
          const s = await store.get(id);
          if (!s || !inScope(actingOfficer(req), s.form.commune)) return reply.code(404).send({ error: 'not_found' });
          const attachment = s.attachments?.find((a) => a.id === attachmentId);
          const bytes = attachment && (await deps.blobs?.get(attachmentBlobKey(id, attachmentId)));
          const mime = bytes && sniffImage(bytes);
          if (!bytes || !mime) return reply.code(404).send({ error: 'not_found' });
          return reply
            .type(mime)
            .header('cache-control', 'private, no-store')
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', "default-src 'none'; sandbox")
            .header(
              'content-disposition',
              `inline; filename="${id}-${attachmentId}.${mime === 'image/png' ? 'png' : 'jpg'}"`,
            )
            .send(bytes);
        },
      );

      api.patch<{ Params: { id: string } }>('/submissions/:id', async (req, reply) => {
        const parsed = patchBody.safeParse(req.body);
        if (!parsed.success) return invalid(reply, 'invalid_body', parsed.error.issues);
        const { status, note } = parsed.data;
        const officer = actingOfficer(req);
        const known = await store.get(req.params.id);
        if (!known || !inScope(officer, known.form.commune)) return reply.code(404).send({ error: 'not_found' });
        let updated: Submission | undefined;
        try {
          updated = await store.changeStatus(req.params.id, {
            status,
            by: officer.name,
            at: Date.now(),
            ...(note ? { note } : {}),
          });
        } catch (err) {
          if (err instanceof InvalidTransitionError)
            return reply.code(409).send({ error: 'invalid_transition', from: err.from, to: err.to });
          throw err;
        }
        if (!updated) return reply.code(404).send({ error: 'not_found' });
        logger.info({ id: updated.id, status, by: officer.id }, 'submission status changed');
        const change = updated.history.at(-1);
        let notified = false;
        if (deps.onStatusChanged && change) {
          try {
            notified = (await deps.onStatusChanged(updated, change)) === true;
          } catch (err) {
            logger.error({ id: updated.id, err: (err as Error).message }, 'status change follow-up failed');
          }
        }
        // Whether the producer was told, so the console says what really happened on their channel.
        return reply.send({ ...withLabel(updated), notified });
      });
    },
    { prefix: '/api/admin' },
  );
}

/** One row per submission, every form field, Vietnamese headers and values; BOM and CRLF for Excel. */
export function toCsv(items: Submission[], messages: Messages): string {
  const h = messages.admin_csv_headers;
  const columns: { header: string; value: (s: Submission) => string }[] = [
    { header: h.id, value: (s) => s.id },
    { header: h.created_at, value: (s) => vietnamTime(s.createdAt) },
    { header: h.status, value: (s) => messages.status_labels[s.status] },
    { header: h.updated_at, value: (s) => vietnamTime(s.updatedAt) },
    { header: h.channel, value: (s) => s.channel },
  ];
  for (const field of FORM_FIELD_IDS) {
    const header = messages.form_fields[field].label;
    if (field === 'productGroup') {
      columns.push({ header: h.product_group_code, value: (s) => s.form.productGroup.code });
      columns.push({
        header,
        value: (s) =>
          [s.form.productGroup.sector, s.form.productGroup.group, s.form.productGroup.subgroup]
            .filter(Boolean)
            .join(' › '),
      });
    } else if (field === 'ownerType') {
      columns.push({ header, value: (s) => messages.owner_type_labels[s.form.ownerType] ?? s.form.ownerType });
    } else if (field === 'rawMaterialSource') {
      columns.push({
        header,
        value: (s) => messages.raw_material_labels[s.form.rawMaterialSource] ?? s.form.rawMaterialSource,
      });
    } else if (field === 'hasBusinessRegistration') {
      columns.push({ header, value: (s) => (s.form.hasBusinessRegistration ? messages.yes_label : messages.no_label) });
    } else {
      // An erased personal field shows the words for it, never the marker.
      columns.push({
        header,
        value: (s) => (s.form[field] === ERASED_VALUE ? messages.admin_erased_value : String(s.form[field] ?? '')),
      });
    }
  }
  columns.push({ header: h.last_note, value: (s) => [...s.history].reverse().find((c) => c.note)?.note ?? '' });
  // The producer's self-score, when sent: empty cells otherwise.
  const a = (s: Submission) => s.selfAssessment;
  columns.push(
    { header: h.assessment_sheet, value: (s) => (a(s) ? `Bộ ${a(s)!.set}. ${a(s)!.setName}` : '') },
    { header: h.assessment_a, value: (s) => (a(s) ? String(a(s)!.parts.A) : '') },
    { header: h.assessment_b, value: (s) => (a(s) ? String(a(s)!.parts.B) : '') },
    { header: h.assessment_c, value: (s) => (a(s) ? String(a(s)!.parts.C) : '') },
    { header: h.assessment_total, value: (s) => (a(s) ? String(a(s)!.total) : '') },
    { header: h.assessment_stars, value: (s) => (a(s) ? String(a(s)!.stars) : '') },
    {
      header: h.assessment_missing,
      value: (s) => (a(s)?.missing ?? []).map((m) => `${m.title}: ${m.needs}`).join('; '),
    },
  );
  return stringify([columns.map((c) => c.header), ...items.map((s) => columns.map((c) => csvSafe(c.value(s))))], {
    bom: true,
    record_delimiter: 'windows',
  });
}
