/**
 * Officer endpoints for announcements, mounted inside the authenticated /api/admin scope:
 * preview (recipients and text), create, list, report and cancel campaigns, and resend to a campaign's in-doubt
 * recipients. A commune officer announces only to audiences inside their communes (403 otherwise) and sees only
 * those campaigns; every campaign names the officer who created it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Broadcaster } from '../core/broadcast/broadcaster.js';
import { BROADCAST_CHANNELS, type Segment } from '../core/broadcast/types.js';
import type { Logger } from '../core/logger.js';
import type { Officer } from '../core/officer/accounts.js';
import { SUBMISSION_STATUSES } from '../core/registration/types.js';
import { actingOfficer } from './officer-accounts-api.js';

/** Whether an audience lies inside the officer's area: anything for the province, some of their communes else. */
export function segmentInScope(officer: Officer, segment: Segment | undefined): boolean {
  if (officer.role === 'province') return true;
  const communes = segment?.communes ?? [];
  return communes.length > 0 && communes.every((c) => officer.communes.includes(c));
}

function refuseOutOfScope(req: FastifyRequest, reply: FastifyReply, segment: Segment | undefined): boolean {
  if (segmentInScope(actingOfficer(req), segment)) return false;
  void reply.code(403).send({ error: 'outside_your_communes' });
  return true;
}

const segmentSchema = z
  .object({
    channels: z.array(z.enum(BROADCAST_CHANNELS)).max(2).optional(),
    communes: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
    groups: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[IVX]+(\.\w+)*$/, 'a classification code or prefix, e.g. I.2'),
      )
      .max(50)
      .optional(),
    submissionStatuses: z.array(z.enum(SUBMISSION_STATUSES)).max(5).optional(),
  })
  .strict();

const contentSchema = {
  text: z.string().trim().min(1).max(4000),
  link: z
    .url({ protocol: /^https?$/ })
    .max(1000)
    .optional(),
  imageUrl: z
    .url({ protocol: /^https?$/ })
    .max(1000)
    .optional(),
  segment: segmentSchema.optional(),
};

const createSchema = z
  .object({
    ...contentSchema,
    urgent: z.boolean().optional(),
    /** ISO date-time or milliseconds since the epoch. */
    sendAt: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]).optional(),
  })
  .strict();

const previewSchema = z.object(contentSchema).strict();

/** How often the campaign stream looks for changes, and how often it says it is alive when nothing changed. */
export const EVENTS_CHECK_MS = 1000;
export const EVENTS_HEARTBEAT_MS = 15_000;

export function registerBroadcastApi(
  api: FastifyInstance,
  deps: { broadcaster?: Broadcaster; logger: Logger; eventsCheckMs?: number },
): void {
  const log = deps.logger.child({ component: 'broadcast-api' });
  const invalid = (issues: z.core.$ZodIssue[]) => ({
    error: 'invalid_body',
    fields: [...new Set(issues.map((i) => i.path.join('.')))],
  });

  api.addHook('preHandler', async (req, reply) => {
    if (req.url.includes('/broadcasts') && !deps.broadcaster) {
      return reply.code(503).send({ error: 'broadcasts_need_redis' });
    }
  });
  const broadcaster = () => deps.broadcaster!;

  api.post('/broadcasts/preview', async (req, reply) => {
    const parsed = previewSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error.issues));
    const { segment, ...content } = parsed.data;
    if (refuseOutOfScope(req, reply, segment)) return reply;
    return broadcaster().preview(content, segment);
  });

  api.post('/broadcasts', async (req, reply) => {
    const parsed = createSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error.issues));
    const { segment, urgent, sendAt, ...content } = parsed.data;
    if (refuseOutOfScope(req, reply, segment)) return reply;
    const at = typeof sendAt === 'string' ? Date.parse(sendAt) : sendAt;
    const officer = actingOfficer(req);
    const report = await broadcaster().create({ content, segment, urgent, sendAt: at, createdBy: officer.name });
    log.info({ campaign: report.id, total: report.total, by: officer.id }, 'campaign created by an officer');
    return reply.code(201).send(report);
  });

  /** The campaigns this officer may see: all for the province, those inside their communes else. */
  const visibleList = async (req: FastifyRequest) =>
    (await broadcaster().list()).filter((r) => segmentInScope(actingOfficer(req), r.segment));

  api.get('/broadcasts', async (req) => ({ items: await visibleList(req) }));

  /** Another area's campaign is not found, as if it did not exist. */
  const visible = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const report = await broadcaster().report(req.params.id);
    return report && segmentInScope(actingOfficer(req), report.segment) ? report : undefined;
  };

  // Live progress for the console: one server-sent-events stream of the campaign list. The server checks the
  // list once a second and sends it only when it changed ("campaigns" events, the same JSON as GET /broadcasts),
  // with a comment line every 15 s so proxies keep the connection; the page no longer polls every second.
  const streams = new Set<() => void>();
  api.addHook('onClose', async () => {
    for (const end of [...streams]) end();
  });
  api.get('/broadcasts/events', (req, reply) => {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    out.write('retry: 5000\n\n');
    let last = '';
    let quietSince = Date.now();
    let busy = false;
    const check = async () => {
      if (busy) return;
      busy = true;
      try {
        const json = JSON.stringify({ items: await visibleList(req) });
        if (json !== last) {
          last = json;
          quietSince = Date.now();
          out.write(`event: campaigns\ndata: ${json}\n\n`);
        } else if (Date.now() - quietSince >= EVENTS_HEARTBEAT_MS) {
          quietSince = Date.now();
          out.write(': alive\n\n');
        }
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'campaign stream: list failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void check(), deps.eventsCheckMs ?? EVENTS_CHECK_MS);
    const end = () => {
      clearInterval(timer);
      streams.delete(end);
      if (!out.writableEnded) out.end();
    };
    streams.add(end);
    req.raw.on('close', end);
    void check();
  });

  api.get<{ Params: { id: string } }>('/broadcasts/:id', async (req, reply) => {
    const report = await visible(req);
    return report ?? reply.code(404).send({ error: 'not_found' });
  });

  api.post<{ Params: { id: string } }>('/broadcasts/:id/cancel', async (req, reply) => {
    if (!(await visible(req))) return reply.code(404).send({ error: 'not_found' });
    const report = await broadcaster().cancel(req.params.id);
    return report ?? reply.code(404).send({ error: 'not_found' });
  });

  // Deliberate: the officer saw who is in doubt and chose to send again. Each of them once, however many presses.
  api.post<{ Params: { id: string } }>('/broadcasts/:id/resend-in-doubt', async (req, reply) => {
    if (!(await visible(req))) return reply.code(404).send({ error: 'not_found' });
    const result = await broadcaster().resendInDoubt(req.params.id);
    if (!result) return reply.code(404).send({ error: 'not_found' });
    if ('error' in result) return reply.code(409).send({ error: 'campaign_cancelled' });
    log.info({ campaign: req.params.id, resent: result.resent }, 'resend to in-doubt recipients by an officer');
    return result;
  });
}
