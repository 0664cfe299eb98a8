/**
 * A local HTTP server that speaks the Zalo Bot API (POST /bot<token>/<method>), for driving our Zalo client,
 * poller and webhook without a network. Tests queue inbound updates, push webhooks, inject failures and read
 * what the bot sent.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZaloUpdate } from '../../src/channels/zalo/zalo-types.js';

export interface SentZaloMessage {
  chatId: string;
  text: string;
  at: number;
}
export interface ZaloCall {
  method: string;
  body: Record<string, unknown>;
}
export interface ZaloFailure {
  status: number;
  errorCode?: number;
  description?: string;
  retryAfter?: number;
}
export interface ZaloWebhook {
  url: string;
  secretToken: string;
  updatedAt: number;
}

export interface MakeUpdateOptions {
  chatId: string;
  /** The text of a text message, the caption of an image (none unless given). */
  text?: string;
  kind?: 'text' | 'image' | 'sticker' | 'unsupported';
  displayName?: string;
  messageId?: string;
  /** The image's URL (an image: a made-up CDN address unless given, e.g. one from `hostImage`). */
  photoUrl?: string;
}

export interface FakeZaloServer {
  apiRoot: string;
  token: string;
  sent: SentZaloMessage[];
  calls: ZaloCall[];
  webhook: ZaloWebhook | undefined;
  makeUpdate(options: MakeUpdateOptions): ZaloUpdate;
  /** Serves `bytes` at a URL of this server (standing for Zalo's photo CDN) and gives that URL. */
  hostImage(bytes: Buffer): string;
  /** Paths of the hosted images downloaded, in order. */
  imageDownloads: string[];
  queueUpdate(update: ZaloUpdate): void;
  pushWebhook(
    update: ZaloUpdate,
    options?: { shape?: 'wrapped' | 'top-level'; secret?: string },
  ): Promise<{ status: number; body: unknown }>;
  failNext(method: string, failure: ZaloFailure, times?: number): void;
  waitForSent(count: number, timeoutMs?: number): Promise<void>;
  sentTo(chatId: string): SentZaloMessage[];
  reset(): void;
  close(): Promise<void>;
}

const MAX_TEXT = 2000;
const KNOWN_METHODS = new Set([
  'getMe',
  'getUpdates',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'sendMessage',
  'sendPhoto',
  'sendSticker',
  'sendChatAction',
]);

const hexId = () => randomBytes(16).toString('hex');

/** A realistic inbound update, as Zalo delivers it (message_id hex string, date in ms). */
export function makeUpdate({
  chatId,
  text,
  kind = 'text',
  displayName = 'Nông Văn Dân',
  messageId = hexId(),
  photoUrl,
}: MakeUpdateOptions): ZaloUpdate {
  const base = {
    message_id: messageId,
    date: Date.now(),
    from: { id: chatId, display_name: displayName, is_bot: false },
    chat: { id: chatId, chat_type: 'PRIVATE' },
  };
  switch (kind) {
    case 'text':
      return { event_name: 'message.text.received', message: { ...base, text: text ?? 'Xin chào' } };
    case 'image':
      // The docs name the image field `photo`; OpenClaw's client types it `photo_url`. A caption only when given.
      return {
        event_name: 'message.image.received',
        message: {
          ...base,
          photo: photoUrl ?? `https://photo-stal.zadn.vn/${hexId()}.jpg`,
          ...(text !== undefined ? { caption: text } : {}),
        },
      };
    case 'sticker':
      return {
        event_name: 'message.sticker.received',
        message: {
          ...base,
          sticker: hexId().slice(0, 8),
          url: `https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=${hexId().slice(0, 6)}`,
        },
      };
    case 'unsupported':
      return { event_name: 'message.unsupported.received', message: base };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
}

function fail(res: ServerResponse, status: number, description: string, errorCode = status): void {
  send(res, status, { ok: false, error_code: errorCode, description });
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export async function startFakeZaloServer({
  token,
  pollWaitMs = 200,
}: {
  token: string;
  pollWaitMs?: number;
}): Promise<FakeZaloServer> {
  let queue: ZaloUpdate[] = [];
  const pollWaiters: (() => void)[] = [];
  let sentWaiters: (() => void)[] = [];
  let failures = new Map<string, { failure: ZaloFailure; remaining: number }>();

  const wake = (waiters: (() => void)[]) => {
    for (const w of waiters.splice(0)) w();
  };

  /** The first queued update, waiting up to waitMs for one to be queued. */
  async function nextUpdate(waitMs: number): Promise<ZaloUpdate | undefined> {
    const deadline = Date.now() + waitMs;
    while (queue.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        pollWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return queue.shift();
  }

  function sentMessage(res: ServerResponse): void {
    send(res, 200, { ok: true, result: { message_id: hexId(), date: Date.now() } });
  }

  async function handle(method: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const injected = failures.get(method);
    if (injected && injected.remaining > 0) {
      if (--injected.remaining === 0) failures.delete(method);
      const {
        status,
        errorCode = status,
        description = `Injected failure ${errorCode}`,
        retryAfter,
      } = injected.failure;
      send(res, status, {
        ok: false,
        error_code: errorCode,
        description,
        ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
      });
      return;
    }
    switch (method) {
      case 'getMe':
        return send(res, 200, {
          ok: true,
          result: { id: 'bot-1', account_name: 'bot.ocop', account_type: 'BASIC', can_join_groups: false },
        });
      case 'getUpdates': {
        if (state.webhook) return fail(res, 409, 'Conflict: getUpdates is not available while a webhook is set');
        const seconds = Number(body.timeout ?? 30);
        const update = await nextUpdate(Math.min((Number.isFinite(seconds) ? seconds : 30) * 1000, pollWaitMs));
        // The poller went away while it waited (a stopped channel): the update was never handed to anyone.
        if (update && (res.destroyed || res.socket?.destroyed)) {
          queue.unshift(update);
          return;
        }
        return update ? send(res, 200, { ok: true, result: update }) : fail(res, 408, 'Request timeout');
      }
      case 'setWebhook': {
        const { url, secret_token: secret } = body;
        if (!nonEmptyString(url)) return fail(res, 400, 'Bad Request: url is required');
        if (typeof secret !== 'string' || secret.length < 8 || secret.length > 256)
          return fail(res, 400, 'Bad Request: secret_token must be 8-256 characters');
        state.webhook = { url, secretToken: secret, updatedAt: Date.now() };
        return send(res, 200, { ok: true, result: { url, updated_at: state.webhook.updatedAt } });
      }
      case 'deleteWebhook':
        state.webhook = undefined;
        return send(res, 200, { ok: true, result: { url: '', updated_at: Date.now() } });
      case 'getWebhookInfo':
        return send(res, 200, {
          ok: true,
          result: { url: state.webhook?.url ?? '', updated_at: state.webhook?.updatedAt ?? 0 },
        });
      case 'sendMessage': {
        const { chat_id: chatId, text } = body;
        if (!nonEmptyString(chatId)) return fail(res, 400, 'Bad Request: chat_id is required');
        if (typeof text !== 'string') return fail(res, 400, 'Bad Request: text is required');
        const length = text.normalize('NFC').length;
        if (length < 1 || length > MAX_TEXT)
          return fail(res, 400, `Bad Request: text must be 1-${MAX_TEXT} characters, got ${length}`);
        state.sent.push({ chatId, text, at: Date.now() });
        wake(sentWaiters);
        return sentMessage(res);
      }
      case 'sendPhoto': {
        const { chat_id: chatId, photo, caption } = body;
        if (!nonEmptyString(chatId) || !nonEmptyString(photo))
          return fail(res, 400, 'Bad Request: chat_id and photo are required');
        if (caption !== undefined && (typeof caption !== 'string' || caption.length < 1 || caption.length > MAX_TEXT))
          return fail(res, 400, 'Bad Request: caption must be 1-2000 characters');
        return sentMessage(res);
      }
      case 'sendSticker':
        if (!nonEmptyString(body.chat_id) || !nonEmptyString(body.sticker))
          return fail(res, 400, 'Bad Request: chat_id and sticker are required');
        return sentMessage(res);
      case 'sendChatAction':
        if (!nonEmptyString(body.chat_id) || body.action !== 'typing')
          return fail(res, 400, 'Bad Request: chat_id and action=typing are required');
        return send(res, 200, { ok: true });
    }
  }

  const images = new Map<string, Buffer>();
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      const image = req.method === 'GET' ? images.get(url.pathname) : undefined;
      if (image) {
        state.imageDownloads.push(url.pathname);
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': image.length });
        res.end(image);
        return;
      }
      const match = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
      if (!match || (req.method !== 'POST' && req.method !== 'GET')) return fail(res, 404, 'Not Found');
      const raw = await readBody(req);
      let body: Record<string, unknown> = Object.fromEntries(url.searchParams);
      if (raw.trim()) {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return fail(res, 400, 'Bad Request: body must be a JSON object');
        body = { ...body, ...(parsed as Record<string, unknown>) };
      }
      const method = decodeURIComponent(match[2]!);
      state.calls.push({ method, body });
      if (decodeURIComponent(match[1]!) !== token) return fail(res, 401, 'Unauthorized');
      if (!KNOWN_METHODS.has(method)) return fail(res, 404, 'Not Found');
      await handle(method, body, res);
    } catch {
      if (!res.headersSent) fail(res, 400, 'Bad Request: invalid JSON');
    }
  });

  const state: FakeZaloServer = {
    apiRoot: '',
    token,
    sent: [],
    calls: [],
    webhook: undefined,
    makeUpdate,
    hostImage(bytes) {
      const path = `/photos/${hexId()}.jpg`;
      images.set(path, bytes);
      return `${state.apiRoot}${path}`;
    },
    imageDownloads: [],
    queueUpdate(update) {
      queue.push(update);
      wake(pollWaiters);
    },
    async pushWebhook(update, { shape = 'top-level', secret } = {}) {
      if (!state.webhook) throw new Error('pushWebhook: no webhook is set (call setWebhook first)');
      const response = await fetch(state.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Bot-Api-Secret-Token': secret ?? state.webhook.secretToken },
        body: JSON.stringify(shape === 'wrapped' ? { ok: true, result: update } : update),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    failNext(method, failure, times = 1) {
      failures.set(method, { failure, remaining: times });
    },
    waitForSent(count, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (state.sent.length >= count) {
            clearTimeout(timer);
            resolve();
          } else sentWaiters.push(check);
        };
        const timer = setTimeout(() => {
          sentWaiters = sentWaiters.filter((w) => w !== check);
          const texts = state.sent.map((s) => `${s.chatId}: ${s.text.slice(0, 60)}`);
          reject(
            new Error(
              `waitForSent(${count}): only ${state.sent.length} message(s) sent after ${timeoutMs} ms ${JSON.stringify(texts)}`,
            ),
          );
        }, timeoutMs);
        check();
      });
    },
    sentTo(chatId) {
      return state.sent.filter((s) => s.chatId === chatId);
    },
    reset() {
      state.sent = [];
      state.calls = [];
      state.webhook = undefined;
      queue = [];
      failures = new Map();
      wake(pollWaiters);
    },
    close: async () => {},
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.apiRoot = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      wake(pollWaiters);
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
