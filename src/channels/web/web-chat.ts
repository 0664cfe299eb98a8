/**
 * The web chat channel: a single page (with its script and style as files of their own, so its CSP admits
 * nothing inline) and a JSON endpoint, both on the app's HTTP server.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Reply } from '../../core/conversation.js';
import { escapeHtml, pageCsp } from '../html.js';
import type { Inbox } from '../inbox.js';
import { format, type Messages } from '../../core/messages.js';

/** A typed message (`text`), or a pressed button (`button`: the ref the reply gave it). */
const chatRequestSchema = z.union([
  z.object({ userId: z.string().trim().min(1).max(128), text: z.string().max(20000) }),
  z.object({ userId: z.string().trim().min(1).max(128), button: z.string().regex(/^\d{1,9}\.\d{1,3}$/) }),
]);

const PAGE_TEXTS = [
  'web_title',
  'web_subtitle',
  'web_placeholder',
  'web_send',
  'web_sources',
  'web_error',
  'source_label',
] as const;

/**
 * The page's Content-Security-Policy: its own script and style files, calls to this server, nothing inline,
 * never framed. Its texts travel in a JSON data block, which a browser never runs.
 */
export const CHAT_PAGE_CSP = pageCsp({ scripts: ["'self'"], styles: ["'self'"] });

/** The reply to a message over the per-address limit, in the endpoint's own shape, so the page shows it. */
export function rateLimitedReply(messages: Messages, retryAfterSeconds: number) {
  return { replies: [{ text: format(messages.web_rate_limited, { seconds: retryAfterSeconds }), buttons: [] }] };
}

const readAsset = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** The page with its Vietnamese texts filled in from prompts/messages.yaml. */
export function renderChatPage(messages: Messages): string {
  const template = readAsset('page.html');
  const texts = Object.fromEntries(PAGE_TEXTS.map((k) => [k, messages[k]]));
  return (
    template
      // In a JSON data block, so "<" is escaped: no text can close the block.
      .replace('{{texts_json}}', () => JSON.stringify(texts).replace(/</g, '\\u003c'))
      .replace(/\{\{(\w+)\}\}/g, (m, key: string) => (key in texts ? escapeHtml(texts[key as keyof typeof texts]!) : m))
  );
}

export function registerWebChat(app: FastifyInstance, inbox: Inbox, messages: Messages): void {
  const page = renderChatPage(messages);
  app.get('/', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CHAT_PAGE_CSP)
      .send(page),
  );
  for (const [path, name, type] of [
    ['/web/chat.js', 'chat.js', 'text/javascript; charset=utf-8'],
    ['/web/chat.css', 'chat.css', 'text/css; charset=utf-8'],
  ] as const) {
    const body = readAsset(name);
    app.get(path, async (_req, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }
  app.post('/api/chat', async (req, reply) => {
    const parsed = chatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send({ error: 'invalid_request', fields: parsed.error.issues.map((i) => i.path.join('.')) });
    }
    const replies: Reply[] = [];
    const data = parsed.data;
    const message =
      'button' in data
        ? { channel: 'web' as const, userId: data.userId, buttonRef: data.button }
        : { channel: 'web' as const, userId: data.userId, text: data.text, kind: 'text' as const };
    // The page never resends a message, so web updates need no deduplication; the flood limit still applies.
    await inbox.receive({ message }, async (r) => {
      replies.push(...r);
    });
    return {
      replies: replies.map((r) => ({
        text: r.text,
        // A button is pressed by sending its ref back as `button`.
        buttons: (r.buttons ?? []).map((b) => ({ label: b.label, ref: b.ref })),
        ...(r.sources ? { sources: r.sources } : {}),
      })),
    };
  });
}
