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
import type { Logger } from '../../core/logger.js';
import type { ReplyClaim, WebReplyMemo } from './reply-memo.js';

/** The page's id for one message, the same on each retry of it (so a retry is answered once). */
const messageId = z
  .string()
  .regex(/^[\w-]{8,64}$/)
  .optional();

/** A typed message (`text`), or a pressed button (`button`: the ref the reply gave it). */
const chatRequestSchema = z.union([
  z.object({ userId: z.string().trim().min(1).max(128), text: z.string().max(20000), messageId }),
  z.object({ userId: z.string().trim().min(1).max(128), button: z.string().regex(/^\d{1,9}\.\d{1,3}$/), messageId }),
]);

const PAGE_TEXTS = [
  'web_title',
  'web_subtitle',
  'web_placeholder',
  'web_send',
  'web_sources',
  'web_error',
  'web_typing',
  'web_retry',
  'web_too_long',
  'source_label',
] as const;

/** What the widget script (/widget.js) shows on the portal's page. */
const WIDGET_TEXTS = ['web_title', 'web_widget_open', 'web_widget_close'] as const;

export interface WebChatOptions {
  inbox: Inbox;
  messages: Messages;
  /** The longest message the engine reads (MAX_MESSAGE_LENGTH): the page refuses longer ones before sending. */
  maxMessageLength: number;
  /** Origins allowed to frame the page (WIDGET_ALLOWED_ORIGINS); with none, /widget.js is not served. */
  widgetOrigins: readonly string[];
  /** Answers by message id, so a retry of an answered message gets the same answer. */
  replies: WebReplyMemo;
  logger: Logger;
}

/**
 * The page's Content-Security-Policy: its own script and style files, calls to this server, nothing inline,
 * framed only by the widget's sites. Its texts travel in a JSON data block, which a browser never runs.
 */
export function chatPageCsp(widgetOrigins: readonly string[] = []): string {
  return pageCsp({ scripts: ["'self'"], styles: ["'self'"], frameAncestors: widgetOrigins });
}

/** The reply to a message over the per-address limit, in the endpoint's own shape, so the page shows it. */
export function rateLimitedReply(messages: Messages, retryAfterSeconds: number) {
  return { replies: [{ text: format(messages.web_rate_limited, { seconds: retryAfterSeconds }), buttons: [] }] };
}

const readAsset = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** JSON that can sit in an HTML data block or a script: "<" is escaped, so no text can close the block. */
const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The page with its Vietnamese texts filled in from prompts/messages.yaml, and the server's limits. */
export function renderChatPage(messages: Messages, maxMessageLength: number): string {
  const template = readAsset('page.html');
  const texts = Object.fromEntries(PAGE_TEXTS.map((k) => [k, messages[k]]));
  return template
    .replace('{{texts_json}}', () => safeJson(texts))
    .replace('{{settings_json}}', () => safeJson({ maxMessageLength }))
    .replace(/\{\{(\w+)\}\}/g, (m, key: string) => (key in texts ? escapeHtml(texts[key as keyof typeof texts]!) : m));
}

/** The widget script with its texts: one script tag on a portal's page adds a chat button opening the page. */
export function renderWidget(messages: Messages): string {
  const texts = Object.fromEntries(WIDGET_TEXTS.map((k) => [k, messages[k]]));
  return readAsset('widget.js').replace('/* widget texts */ {}', () => safeJson(texts));
}

export function registerWebChat(app: FastifyInstance, options: WebChatOptions): void {
  const { inbox, messages, maxMessageLength, widgetOrigins, replies: memo, logger } = options;
  // The record of answers only spares a retry a second run: when its store fails, the message is answered anyway.
  const claim = async (userId: string, id: string): Promise<ReplyClaim | undefined> => {
    try {
      return await memo.claim(userId, id);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'web reply record unavailable, message answered without it');
      return undefined;
    }
  };
  const settle = async (userId: string, id: string, body: unknown) => {
    try {
      await (body === undefined ? memo.release(userId, id) : memo.save(userId, id, body));
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'web reply not recorded');
    }
  };
  const page = renderChatPage(messages, maxMessageLength);
  const csp = chatPageCsp(widgetOrigins);
  app.get('/', async (_req, reply) => {
    // X-Frame-Options cannot name several sites: where the widget may frame the page, the CSP alone says who.
    if (widgetOrigins.length) reply.removeHeader('x-frame-options');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', csp)
      .send(page);
  });
  const widget = renderWidget(messages);
  app.get('/widget.js', async (_req, reply) => {
    if (!widgetOrigins.length) return reply.code(404).send({ error: 'widget_disabled' });
    return (
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        // Loaded by the portal's page, from another site.
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(widget)
    );
  });
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
    // A retry of a message already answered gets that answer again; one still being answered is refused (409).
    const claimed = data.messageId ? await claim(data.userId, data.messageId) : undefined;
    if (claimed?.state === 'done') return claimed.body;
    if (claimed?.state === 'pending') return reply.code(409).send({ error: 'in_progress' });
    // Only a message this request claimed is recorded (none when the record's store failed).
    const id = claimed ? data.messageId : undefined;
    let outcome: Awaited<ReturnType<Inbox['receive']>>;
    try {
      outcome = await inbox.receive({ message }, async (r) => {
        replies.push(...r);
      });
    } catch (err) {
      if (id) await settle(data.userId, id, undefined);
      throw err;
    }
    const body = {
      replies: replies.map((r) => ({
        text: r.text,
        // A button is pressed by sending its ref back as `button`.
        buttons: (r.buttons ?? []).map((b) => ({ label: b.label, ref: b.ref })),
        ...(r.sources ? { sources: r.sources } : {}),
      })),
    };
    // Only an answered message is kept: one refused by the flood limit or not answered may be run by its retry.
    if (id) await settle(data.userId, id, outcome === 'handled' ? body : undefined);
    return body;
  });
}
