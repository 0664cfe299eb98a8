/**
 * A local HTTP server that speaks enough of the Telegram Bot API for grammY's real HTTP client, for
 * integration tests (webhook and polling), the benchmark and the broadcast tests. It records every call,
 * simulates users (update builders + delivery by webhook or getUpdates), and injects failures
 * (one-shot errors, blocked/deactivated users, rate limits).
 *
 * Hot path rule: no logging and only O(1) bookkeeping per request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, Message, Update, User } from 'grammy/types';

export type ChatId = number | string;

export interface FakeTelegramOptions {
  /** Off unless given. Counts accepted sendMessage/sendPhoto calls in a rolling 1 s window. */
  rateLimit?: { perSecond?: number; perChatPerSecond?: number };
  /** Cap on the getUpdates long-poll wait, in ms (default 500). */
  pollWaitMs?: number;
  /** Time the server takes to answer a send (sendMessage/sendPhoto), like a real server far away. */
  sendLatencyMs?: number;
  /** First update_id handed out (default: random in [1e8, 9e8), so runs sharing a Redis dedup set don't collide). */
  firstUpdateId?: number;
}

export interface InjectedError {
  error_code: number;
  description: string;
  retry_after?: number;
}

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  /** Arrival time (ms since epoch). */
  at: number;
  /** HTTP status answered (200, 400, 429, ...). */
  status: number;
  /** `result` of a successful call (for getUpdates: the updates returned). */
  result?: unknown;
  /** `description` of a failed call. */
  description?: string;
}

export interface RecordedMessage {
  chatId: ChatId;
  /** The text as the user sees it (with parse_mode HTML: its markup read, as Telegram does). */
  text: string;
  /** With parse_mode HTML: the links in the text (what `<a href>` made of it). */
  links?: { text: string; url: string }[];
  replyMarkup?: unknown;
  messageId: number;
  at: number;
}

export interface DeliveryResult {
  /** HTTP status of the webhook response; 0 when queued for getUpdates; -1 when dropped by allowed_updates. */
  status: number;
  body: string;
}

export interface WebhookState {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections: number;
}

const DEFAULT_BOT_ID = 123456789;
const DEFAULT_FIRST_NAME = 'Hoa';
const SEND_METHODS = new Set(['sendMessage', 'sendPhoto']);
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);
/** Update types Telegram leaves out when allowed_updates is unset or empty. */
const NOT_DEFAULT_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message';

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

/** A held call whose client went away: it never reached the server, as far as anyone can tell. */
class DroppedCall extends Error {}

const bad = (description: string) => new ApiError(400, `Bad Request: ${description}`);

type Params = Record<string, unknown>;

// ---------- parameter coercion (query strings and urlencoded bodies carry strings) ----------

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** JSON-typed fields (reply_markup, allowed_updates, commands) arrive as strings outside JSON bodies. */
function jsonField(v: unknown, errorDescription: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw bad(errorDescription);
  }
}

function normalizeChatId(v: unknown): ChatId {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return v as ChatId;
}

function requireChatId(p: Params): ChatId {
  const v = p.chat_id;
  if (v === undefined || v === null || v === '') throw bad('chat_id is empty');
  const id = normalizeChatId(v);
  if (typeof id !== 'number') throw bad('chat not found');
  return id;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Validates an inline keyboard the way Telegram does for the cases our bot can hit. */
function validateReplyMarkup(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const markup = jsonField(raw, "can't parse reply keyboard markup JSON object");
  if (typeof markup !== 'object' || markup === null) throw bad("can't parse reply keyboard markup JSON object");
  const inline = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (inline === undefined) return markup;
  if (!Array.isArray(inline)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  for (const row of inline) {
    if (!Array.isArray(row))
      throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const button of row as unknown[]) {
      if (typeof button !== 'object' || button === null)
        throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      const b = button as Record<string, unknown>;
      if (typeof b.text !== 'string' || b.text === '')
        throw bad('can\'t parse inline keyboard button: Field "text" must be of type String');
      if ('callback_data' in b) {
        const data = str(b.callback_data) ?? '';
        const bytes = byteLength(data);
        if (bytes < 1 || bytes > 64) throw bad('BUTTON_DATA_INVALID');
      } else if (
        !('url' in b) &&
        !('web_app' in b) &&
        !('login_url' in b) &&
        !('switch_inline_query' in b) &&
        !('switch_inline_query_current_chat' in b) &&
        !('switch_inline_query_chosen_chat' in b) &&
        !('copy_text' in b) &&
        !('callback_game' in b) &&
        !('pay' in b)
      ) {
        throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
    }
  }
  return markup;
}

/** Telegram trims the text; the limit is enforced here in UTF-16 code units (stricter than code points). */
/** Telegram's HTML parse mode: the tags it knows, and the entities it reads. */
const HTML_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'blockquote',
]);
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Reads text in parse_mode HTML as Telegram does: unknown tags, unclosed tags, and a bare "<" or "&" are refused
 * ("can't parse entities"); the visible text and its links are returned.
 */
export function parseTelegramHtml(html: string): { text: string; links: { text: string; url: string }[] } {
  const decode = (s: string) =>
    s.replace(/&(#\d+|[a-z]+);/g, (m, e: string) =>
      e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (HTML_ENTITIES[e] ?? m),
    );
  const links: { text: string; url: string }[] = [];
  const open: { tag: string; start: number; url?: string }[] = [];
  let text = '';
  const token = /<(\/?)([a-z]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>|&(#\d+|lt|gt|amp|quot);|[<>&]|[^<>&]+/gy;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    const [whole, closing, tag, attrs] = m;
    if (tag !== undefined) {
      if (!HTML_TAGS.has(tag)) throw bad(`can't parse entities: unsupported start tag "${tag}"`);
      if (closing) {
        const top = open.pop();
        if (top?.tag !== tag) throw bad(`can't parse entities: unmatched end tag "${tag}"`);
        if (tag === 'a') links.push({ text: text.slice(top.start), url: top.url ?? '' });
      } else {
        const href = /\shref="([^"]*)"/.exec(attrs ?? '')?.[1];
        open.push({ tag, start: text.length, ...(href !== undefined ? { url: decode(href) } : {}) });
      }
    } else if (m[4] !== undefined) text += decode(whole);
    else if (/^[<>&]$/.test(whole)) throw bad(`can't parse entities: unexpected "${whole}"`);
    else text += whole;
  }
  if (open.length) throw bad(`can't parse entities: unclosed start tag "${open.at(-1)!.tag}"`);
  return { text, links };
}

function validateText(v: unknown): string {
  const text = str(v) ?? '';
  if (text.trim() === '') throw bad('message text is empty');
  if (text.length > 4096) throw bad('message is too long');
  return text;
}

/** Rolling 1 s window of accepted send timestamps; amortised O(1). */
class Window {
  private t: number[] = [];
  private h = 0;

  count(now: number): number {
    const t = this.t;
    while (this.h < t.length && (t[this.h] as number) <= now - 1000) this.h++;
    if (this.h > 1024 && this.h * 2 > t.length) {
      this.t = t.slice(this.h);
      this.h = 0;
    }
    return this.t.length - this.h;
  }

  /** Whole seconds until the oldest entry leaves the window (at least 1). */
  retryAfter(now: number): number {
    const oldest = this.t[this.h] ?? now;
    return Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
  }

  add(now: number): void {
    this.t.push(now);
  }
}

function updateType(update: Update): string {
  for (const key in update) if (key !== 'update_id') return key;
  return 'unknown';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length === 0
    ? ''
    : chunks.length === 1
      ? (chunks[0] as Buffer).toString('utf8')
      : Buffer.concat(chunks).toString('utf8');
}

function parseParams(req: IncomingMessage, raw: string, query: string | undefined): Params {
  let params: Params = {};
  if (raw !== '') {
    const ct = (req.headers['content-type'] ?? '').toLowerCase();
    if (ct.startsWith('multipart/')) throw bad('multipart/form-data is not supported by the fake Telegram server');
    if (ct.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw bad("can't parse JSON encoded request body");
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw bad('request body must be a JSON object');
      params = parsed as Params;
    }
  }
  if (query) {
    const merged: Params = {};
    for (const [k, v] of new URLSearchParams(query)) merged[k] = v;
    params = { ...merged, ...params };
  }
  return params;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

type Handler = (p: Params, res: ServerResponse) => unknown;

interface Poller {
  wake(reason: 'update' | 'superseded' | 'closed'): void;
}

export class FakeTelegramServer {
  apiRoot = '';
  /** Every call, in completion order. */
  readonly calls: RecordedCall[] = [];
  /** Every accepted sendMessage. */
  readonly messages: RecordedMessage[] = [];
  /** Sends refused by the configured rate limit. */
  rateLimited = 0;
  /** Sends (sendMessage, sendPhoto) that were accepted. */
  acceptedSends = 0;
  /** Commands stored by setMyCommands. */
  commands: unknown[] = [];

  private server!: Server;
  private readonly perSecond: number | undefined;
  private readonly perChatPerSecond: number | undefined;
  private readonly pollWaitMs: number;
  private readonly sendLatencyMs: number;
  private nextUpdateId: number;
  private botUser: User = FakeTelegramServer.makeBotUser(DEFAULT_BOT_ID);
  private lastToken = '';

  private webhookState: WebhookState | undefined;
  private allowedUpdates: string[] | undefined;
  private lastError: { date: number; message: string } | undefined;
  private pending: Update[] = [];
  private poller: Poller | undefined;

  private readonly callsByMethod = new Map<string, RecordedCall[]>();
  private readonly messagesByChat = new Map<ChatId, RecordedMessage[]>();
  private readonly callWaiters = new Map<string, Set<() => void>>();
  private readonly messageWaiters = new Map<ChatId, Set<() => void>>();
  private readonly failures = new Map<string, { error: InjectedError; left: number }[]>();
  private readonly holds = new Map<string, { arrive: () => void; released: Promise<void>; dropped: () => void }>();
  private readonly blocked = new Set<ChatId>();
  private readonly deactivated = new Set<ChatId>();
  private globalWindow = new Window();
  private chatWindows = new Map<ChatId, Window>();
  /** Per-chat message_id counter, shared by user and bot messages like in a real private chat. */
  private readonly messageIds = new Map<ChatId, number>();
  private readonly botMessages = new Map<ChatId, Map<number, Message>>();
  private readonly lastBotMessage = new Map<ChatId, number>();
  private readonly firstNames = new Map<number, string>();
  private callbackCounter = 0;
  /** Files users sent (photos), by file_id: what getFile describes and /file/bot<token>/<file_path> serves. */
  private readonly files = new Map<string, { uniqueId: string; path: string; bytes: Buffer }>();
  private readonly filesByPath = new Map<string, Buffer>();
  /** Downloads served from the file root, by file_path. */
  readonly fileDownloads: string[] = [];

  private readonly handlers: Record<string, Handler>;
  private readonly methodsByLowerName: Map<string, string>;

  constructor(options: FakeTelegramOptions = {}) {
    this.perSecond = options.rateLimit?.perSecond;
    this.perChatPerSecond = options.rateLimit?.perChatPerSecond;
    this.pollWaitMs = options.pollWaitMs ?? 500;
    this.sendLatencyMs = options.sendLatencyMs ?? 0;
    this.nextUpdateId = options.firstUpdateId ?? 100_000_000 + Math.floor(Math.random() * 800_000_000);
    this.handlers = {
      getMe: () => this.botUser,
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => this.deleteWebhook(p),
      getWebhookInfo: () => this.webhookInfo(),
      getUpdates: (p, res) => this.getUpdates(p, res),
      sendMessage: (p) => this.sendMessage(p),
      sendPhoto: (p) => this.sendPhoto(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: () => this.commands,
      deleteMyCommands: () => {
        this.commands = [];
        return true;
      },
      sendChatAction: (p) => this.sendChatAction(p),
      editMessageText: (p) => this.editMessage(p, true),
      editMessageReplyMarkup: (p) => this.editMessage(p, false),
      getFile: (p) => this.getFile(p),
    };
    this.methodsByLowerName = new Map(Object.keys(this.handlers).map((m) => [m.toLowerCase(), m]));
  }

  static makeBotUser(id: number): User {
    return {
      id,
      is_bot: true,
      first_name: 'OCOP Cao Bằng (test)',
      username: 'ocop_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as User;
  }

  /** @internal */
  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
  }

  // ---------------------------------------------------------------- HTTP dispatch

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const raw = await readBody(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? undefined : url.slice(q + 1);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (file && req.method === 'GET') {
      this.serveFile(res, file[1] as string, decodeURIComponent(file[2] as string));
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z_]+)\/?$/.exec(path);
    if (!match) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = match[1] as string;
    const asked = match[2] as string;
    const method = this.methodsByLowerName.get(asked.toLowerCase());
    let payload: Params = {};
    let status = 200;
    let result: unknown;
    let error: ApiError | undefined;
    try {
      if (token.includes('invalid')) throw new ApiError(401, 'Unauthorized');
      if (method === undefined) throw new ApiError(404, 'Not Found: method not found');
      payload = parseParams(req, raw, query);
      if (token !== this.lastToken) {
        this.lastToken = token;
        const id = /^(\d+):/.exec(token);
        this.botUser = FakeTelegramServer.makeBotUser(id ? Number(id[1]) : DEFAULT_BOT_ID);
      }
      this.injectedFailure(method);
      await this.heldCall(method, req);
      if (this.sendLatencyMs && SEND_METHODS.has(method)) await new Promise((r) => setTimeout(r, this.sendLatencyMs));
      result = await (this.handlers[method] as Handler)(payload, res);
    } catch (err) {
      if (err instanceof DroppedCall) return;
      if (!(err instanceof ApiError)) throw err;
      error = err;
      status = err.code;
    }
    this.record({ method: method ?? asked, payload, at, status, result, description: error?.description });
    if (error) {
      const body: Record<string, unknown> = { ok: false, error_code: error.code, description: error.description };
      if (error.parameters) body.parameters = error.parameters;
      send(res, status, body);
    } else {
      send(res, 200, { ok: true, result });
    }
  }

  private record(call: RecordedCall): void {
    if (call.result === undefined) delete call.result;
    if (call.description === undefined) delete call.description;
    this.calls.push(call);
    let list = this.callsByMethod.get(call.method);
    if (!list) this.callsByMethod.set(call.method, (list = []));
    list.push(call);
    const waiters = this.callWaiters.get(call.method);
    if (waiters) for (const w of [...waiters]) w();
  }

  private injectedFailure(method: string): void {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return;
    if (--head.left <= 0) queue.shift();
    const { error_code, description, retry_after } = head.error;
    throw new ApiError(error_code, description, retry_after === undefined ? undefined : { retry_after });
  }

  /** Blocked/deactivated users, then the rate limit (send methods only). */
  private gate(method: string, chatId: ChatId): void {
    if (this.blocked.has(chatId)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (this.deactivated.has(chatId)) throw new ApiError(403, 'Forbidden: user is deactivated');
    if (!SEND_METHODS.has(method)) return;
    if (this.perSecond === undefined && this.perChatPerSecond === undefined) {
      this.acceptedSends++;
      return;
    }
    const now = Date.now();
    if (this.perSecond !== undefined && this.globalWindow.count(now) >= this.perSecond) {
      this.tooMany(this.globalWindow.retryAfter(now));
    }
    let chatWindow: Window | undefined;
    if (this.perChatPerSecond !== undefined) {
      chatWindow = this.chatWindows.get(chatId);
      if (!chatWindow) this.chatWindows.set(chatId, (chatWindow = new Window()));
      if (chatWindow.count(now) >= this.perChatPerSecond) this.tooMany(chatWindow.retryAfter(now));
    }
    if (this.perSecond !== undefined) this.globalWindow.add(now);
    chatWindow?.add(now);
    this.acceptedSends++;
  }

  private tooMany(retryAfter: number): never {
    this.rateLimited++;
    throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }

  // ---------------------------------------------------------------- methods

  private setWebhook(p: Params): true {
    const url = str(p.url) ?? '';
    if (url === '') {
      this.webhookState = undefined;
      return true;
    }
    // Real Telegram requires HTTPS on ports 443/80/88/8443; the fake accepts any http(s) URL (local test servers).
    if (!/^https?:\/\//.test(url)) throw bad('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = str(p.secret_token);
    if (secret !== undefined && !SECRET_RE.test(secret)) throw bad('secret token contains unallowed characters');
    const allowed =
      p.allowed_updates === undefined ? undefined : jsonField(p.allowed_updates, "can't parse allowed updates");
    if (allowed !== undefined && !Array.isArray(allowed)) throw bad("can't parse allowed updates");
    if (allowed !== undefined) this.allowedUpdates = (allowed as unknown[]).map(String);
    const maxConnections = num(p.max_connections) ?? 40;
    this.webhookState = { url, maxConnections };
    if (secret !== undefined) this.webhookState.secretToken = secret;
    if (this.allowedUpdates !== undefined) this.webhookState.allowedUpdates = this.allowedUpdates;
    if (bool(p.drop_pending_updates)) this.pending = [];
    this.lastError = undefined;
    return true;
  }

  private deleteWebhook(p: Params): true {
    this.webhookState = undefined;
    if (bool(p.drop_pending_updates)) this.pending = [];
    return true;
  }

  private webhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhookState?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.pending.length,
    };
    if (this.webhookState) {
      info.ip_address = '127.0.0.1';
      info.max_connections = this.webhookState.maxConnections;
      if (this.webhookState.allowedUpdates) info.allowed_updates = this.webhookState.allowedUpdates;
    }
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  private async getUpdates(p: Params, res: ServerResponse): Promise<Update[]> {
    if (this.webhookState) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = num(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, num(p.limit) ?? 100));
    const timeoutS = Math.max(0, num(p.timeout) ?? 0);
    if (p.allowed_updates !== undefined) {
      const allowed = jsonField(p.allowed_updates, "can't parse allowed updates");
      if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
    }
    this.confirm(offset);
    // A newer getUpdates always terminates a waiting one, as on the real server.
    this.poller?.wake('superseded');
    if (this.pending.length === 0 && timeoutS > 0) {
      const reason = await new Promise<'update' | 'superseded' | 'closed'>((resolve) => {
        let done = false;
        const finish = (why: 'update' | 'superseded' | 'closed') => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          res.off('close', onClose);
          if (this.poller === poller) this.poller = undefined;
          resolve(why);
        };
        const onClose = () => finish('closed');
        const poller: Poller = { wake: finish };
        const timer = setTimeout(() => finish('update'), Math.min(timeoutS * 1000, this.pollWaitMs));
        res.on('close', onClose);
        this.poller = poller;
      });
      if (reason === 'superseded') {
        throw new ApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
      }
    }
    return this.pending.length <= limit ? this.pending.slice() : this.pending.slice(0, limit);
  }

  /** offset > 0 forgets updates with update_id < offset; a negative offset keeps only the last -offset. */
  private confirm(offset: number): void {
    if (offset > 0) {
      let i = 0;
      while (i < this.pending.length && (this.pending[i] as Update).update_id < offset) i++;
      if (i > 0) this.pending = this.pending.slice(i);
    } else if (offset < 0 && this.pending.length > -offset) {
      this.pending = this.pending.slice(this.pending.length + offset);
    }
  }

  private chatFor(chatId: number): Chat {
    if (chatId < 0) return { id: chatId, type: 'supergroup', title: 'Nhóm thử nghiệm' };
    return { id: chatId, type: 'private', first_name: this.firstNames.get(chatId) ?? DEFAULT_FIRST_NAME };
  }

  private nextMessageId(chatId: ChatId): number {
    const id = (this.messageIds.get(chatId) ?? 0) + 1;
    this.messageIds.set(chatId, id);
    return id;
  }

  private storeBotMessage(chatId: number, message: Message): void {
    let map = this.botMessages.get(chatId);
    if (!map) this.botMessages.set(chatId, (map = new Map()));
    map.set(message.message_id, message);
    this.lastBotMessage.set(chatId, message.message_id);
  }

  private sendMessage(p: Params): Message {
    const chatId = requireChatId(p) as number;
    const parsed = p.parse_mode === 'HTML' ? parseTelegramHtml(str(p.text) ?? '') : undefined;
    const text = validateText(parsed ? parsed.text : p.text);
    const replyMarkup = validateReplyMarkup(p.reply_markup);
    this.gate('sendMessage', chatId);
    const at = Date.now();
    const message = {
      message_id: this.nextMessageId(chatId),
      from: this.botUser,
      chat: this.chatFor(chatId),
      date: Math.floor(at / 1000),
      text,
    } as Message;
    if (replyMarkup !== undefined && (replyMarkup as { inline_keyboard?: unknown }).inline_keyboard) {
      (message as { reply_markup?: unknown }).reply_markup = replyMarkup; // only inline keyboards are echoed back
    }
    this.storeBotMessage(chatId, message);
    const rec: RecordedMessage = { chatId, text, messageId: message.message_id, at };
    if (replyMarkup !== undefined) rec.replyMarkup = replyMarkup;
    if (parsed) rec.links = parsed.links;
    this.messages.push(rec);
    let list = this.messagesByChat.get(chatId);
    if (!list) this.messagesByChat.set(chatId, (list = []));
    list.push(rec);
    const waiters = this.messageWaiters.get(chatId);
    if (waiters) for (const w of [...waiters]) w();
    return message;
  }

  private sendPhoto(p: Params): Message {
    const chatId = requireChatId(p) as number;
    const photo = p.photo;
    if (typeof photo !== 'string' || photo === '') throw bad('there is no photo in the request');
    const caption = str(p.caption);
    if (caption !== undefined && caption.length > 1024) throw bad('message caption is too long');
    const replyMarkup = validateReplyMarkup(p.reply_markup);
    this.gate('sendPhoto', chatId);
    const id = this.nextMessageId(chatId);
    const message = {
      message_id: id,
      from: this.botUser,
      chat: this.chatFor(chatId),
      date: Math.floor(Date.now() / 1000),
      photo: photoSizes(`bot${chatId}_${id}`),
    } as Message;
    if (caption) (message as { caption?: string }).caption = caption;
    if (replyMarkup !== undefined && (replyMarkup as { inline_keyboard?: unknown }).inline_keyboard) {
      (message as { reply_markup?: unknown }).reply_markup = replyMarkup;
    }
    this.storeBotMessage(chatId, message);
    return message;
  }

  private answerCallbackQuery(p: Params): true {
    const id = str(p.callback_query_id);
    if (!id) throw bad('QUERY_ID_INVALID');
    const text = str(p.text);
    if (text !== undefined && text.length > 200) throw bad('MESSAGE_TOO_LONG');
    return true;
  }

  private setMyCommands(p: Params): true {
    const commands = jsonField(p.commands, "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw bad('field "commands" must be an Array');
    for (const c of commands as unknown[]) {
      const cmd = (c ?? {}) as { command?: unknown; description?: unknown };
      if (typeof cmd.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(cmd.command)) throw bad('BOT_COMMAND_INVALID');
      if (typeof cmd.description !== 'string' || cmd.description.trim() === '' || cmd.description.length > 256) {
        throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    this.commands = commands as unknown[];
    return true;
  }

  private sendChatAction(p: Params): true {
    const chatId = requireChatId(p);
    if (!CHAT_ACTIONS.has(str(p.action) ?? '')) throw bad('wrong parameter action in request');
    this.gate('sendChatAction', chatId);
    return true;
  }

  private editMessage(p: Params, withText: boolean): Message | true {
    const replyMarkup = validateReplyMarkup(p.reply_markup);
    const text = withText ? validateText(p.text) : undefined;
    if (p.inline_message_id !== undefined) return true;
    const chatId = requireChatId(p) as number;
    const messageId = num(p.message_id);
    if (messageId === undefined) throw bad('message identifier is not specified');
    this.gate(withText ? 'editMessageText' : 'editMessageReplyMarkup', chatId);
    const old = this.botMessages.get(chatId)?.get(messageId);
    if (!old) throw bad('message to edit not found');
    const oldText = (old as { text?: string }).text;
    if (withText && oldText === undefined) throw bad('there is no text in the message to edit');
    const oldMarkup = JSON.stringify((old as { reply_markup?: unknown }).reply_markup ?? null);
    const newMarkup = (replyMarkup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard
      ? replyMarkup
      : undefined;
    if ((!withText || oldText === text) && oldMarkup === JSON.stringify(newMarkup ?? null)) throw bad(NOT_MODIFIED);
    const edited: Record<string, unknown> = { ...old, edit_date: Math.floor(Date.now() / 1000) };
    if (withText) edited.text = text;
    if (newMarkup === undefined) delete edited.reply_markup;
    else edited.reply_markup = newMarkup;
    this.botMessages.get(chatId)?.set(messageId, edited as unknown as Message);
    return edited as unknown as Message;
  }

  // ---------------------------------------------------------------- recordings

  messagesTo(chatId: ChatId): RecordedMessage[] {
    return (this.messagesByChat.get(normalizeChatId(chatId)) ?? []).slice();
  }

  callsOf(method: string): RecordedCall[] {
    return (this.callsByMethod.get(method) ?? []).slice();
  }

  /** Number of updates waiting for getUpdates (not yet confirmed). */
  get pendingUpdates(): number {
    return this.pending.length;
  }

  get webhook(): WebhookState | undefined {
    return this.webhookState;
  }

  waitForMessages(chatId: ChatId, count: number, timeoutMs = 60_000): Promise<RecordedMessage[]> {
    const key = normalizeChatId(chatId);
    return this.waitFor(
      this.messageWaiters,
      key,
      () => this.messagesByChat.get(key) ?? [],
      count,
      timeoutMs,
      (got) =>
        `waitForMessages: expected ${count} message(s) to chat ${key} within ${timeoutMs} ms, got ${got.length}: ${JSON.stringify(got.map((m) => m.text))}`,
    );
  }

  waitForCalls(method: string, count: number, timeoutMs = 60_000): Promise<RecordedCall[]> {
    return this.waitFor(
      this.callWaiters,
      method,
      () => this.callsByMethod.get(method) ?? [],
      count,
      timeoutMs,
      (got) =>
        `waitForCalls: expected ${count} call(s) of ${method} within ${timeoutMs} ms, got ${got.length} (all calls: ${JSON.stringify(this.calls.slice(-20).map((c) => `${c.method}:${c.status}`))})`,
    );
  }

  private waitFor<K, T>(
    registry: Map<K, Set<() => void>>,
    key: K,
    list: () => T[],
    count: number,
    timeoutMs: number,
    explain: (got: T[]) => string,
  ): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      if (list().length >= count) {
        resolve(list().slice());
        return;
      }
      let set = registry.get(key);
      if (!set) registry.set(key, (set = new Set()));
      const waiters = set;
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        if (waiters.size === 0 && registry.get(key) === waiters) registry.delete(key);
      };
      const check = () => {
        if (list().length < count) return;
        cleanup();
        resolve(list().slice());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(explain(list())));
      }, timeoutMs);
      waiters.add(check);
    });
  }

  // ---------------------------------------------------------------- simulated users

  private user(chatId: number): User {
    return {
      id: chatId,
      is_bot: false,
      first_name: this.firstNames.get(chatId) ?? DEFAULT_FIRST_NAME,
      language_code: 'vi',
    };
  }

  private baseMessage(chatId: number): Message {
    return {
      message_id: this.nextMessageId(chatId),
      from: this.user(chatId),
      chat: this.chatFor(chatId),
      date: Math.floor(Date.now() / 1000),
    } as Message;
  }

  private update(body: Omit<Update, 'update_id'>): Update {
    return { update_id: this.nextUpdateId++, ...body } as Update;
  }

  private messageUpdate(chatId: number, extra: Record<string, unknown>): Update {
    return this.update({ message: { ...this.baseMessage(chatId), ...extra } as Update['message'] });
  }

  textUpdate(chatId: number, text: string, opts: { firstName?: string } = {}): Update {
    if (opts.firstName !== undefined) this.firstNames.set(chatId, opts.firstName);
    const extra: Record<string, unknown> = { text };
    if (text.startsWith('/')) {
      const command = /^\/\S+/.exec(text)?.[0] ?? '/';
      extra.entities = [{ type: 'bot_command', offset: 0, length: command.length }];
    }
    return this.messageUpdate(chatId, extra);
  }

  /** messageId defaults to the last message the bot sent to this chat (its text and keyboard are included). */
  callbackUpdate(chatId: number, data: string, messageId?: number): Update {
    const id = messageId ?? this.lastBotMessage.get(chatId);
    const known = id === undefined ? undefined : this.botMessages.get(chatId)?.get(id);
    const message =
      known ??
      ({
        message_id: id ?? 1,
        from: this.botUser,
        chat: this.chatFor(chatId),
        date: Math.floor(Date.now() / 1000),
        text: '',
      } as Message);
    return this.update({
      callback_query: {
        id: `${chatId}${String(++this.callbackCounter).padStart(6, '0')}`,
        from: this.user(chatId),
        message,
        chat_instance: String(-(Math.abs(chatId) * 7 + 1234567)),
        data,
      },
    } as Omit<Update, 'update_id'>);
  }

  contactUpdate(chatId: number, phoneNumber: string): Update {
    return this.messageUpdate(chatId, {
      contact: {
        phone_number: phoneNumber,
        first_name: this.firstNames.get(chatId) ?? DEFAULT_FIRST_NAME,
        user_id: chatId,
      },
    });
  }

  /**
   * A photo from the user. With `image`, its sizes are real files: getFile describes them and the file root
   * serves `image` (every size the same bytes, the largest size's file_size true to them).
   */
  photoUpdate(chatId: number, opts: { image?: Buffer; caption?: string } = {}): Update {
    const sizes = photoSizes(`user${chatId}_${this.nextUpdateId}`);
    if (opts.image) {
      const largest = sizes.at(-1)!;
      largest.file_size = opts.image.length;
      for (const size of sizes) this.addFile(size.file_id, size.file_unique_id, opts.image);
    }
    return this.messageUpdate(chatId, { photo: sizes, ...(opts.caption ? { caption: opts.caption } : {}) });
  }

  /** Makes a file known to getFile and the file root. */
  addFile(fileId: string, uniqueId: string, bytes: Buffer): void {
    const path = `photos/file_${this.files.size}.jpg`;
    this.files.set(fileId, { uniqueId, path, bytes });
    this.filesByPath.set(path, bytes);
  }

  private getFile(p: Params): unknown {
    const fileId = str(p.file_id);
    if (!fileId) throw bad('file_id is empty');
    const file = this.files.get(fileId);
    if (!file) throw bad('invalid file_id');
    return { file_id: fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length, file_path: file.path };
  }

  /** GET /file/bot<token>/<file_path>, as api.telegram.org serves files: the bytes, or 404. */
  private serveFile(res: ServerResponse, token: string, path: string): void {
    const bytes = token.includes('invalid') ? undefined : this.filesByPath.get(path);
    if (!bytes) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    this.fileDownloads.push(path);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    res.end(bytes);
  }

  stickerUpdate(chatId: number): Update {
    return this.messageUpdate(chatId, {
      sticker: {
        file_id: `CAACAgIAAxkBAAI${chatId}`,
        file_unique_id: `AgAD${chatId}`,
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '👍',
        set_name: 'FakeStickers',
        file_size: 24_512,
      },
    });
  }

  voiceUpdate(chatId: number): Update {
    return this.messageUpdate(chatId, {
      voice: {
        file_id: `AwACAgUAAxkBAAI${chatId}`,
        file_unique_id: `AgADv${chatId}`,
        duration: 3,
        mime_type: 'audio/ogg',
        file_size: 9_876,
      },
    });
  }

  /** Defaults to Cao Bằng city. */
  locationUpdate(chatId: number, latitude = 22.6657, longitude = 106.2579): Update {
    return this.messageUpdate(chatId, { location: { latitude, longitude } });
  }

  /** A file from the user: a PDF by default; with `image`, a picture sent as a file that getFile can fetch. */
  documentUpdate(chatId: number, opts: { image?: Buffer; mimeType?: string; fileName?: string } = {}): Update {
    const seed = opts.image ? `${chatId}_${this.nextUpdateId}` : `${chatId}`;
    const document = {
      file_name: opts.fileName ?? (opts.image ? 'anh-san-pham.png' : 'ho-so-ocop.pdf'),
      mime_type: opts.mimeType ?? (opts.image ? 'image/png' : 'application/pdf'),
      file_id: `BQACAgUAAxkBAAI${seed}`,
      file_unique_id: `AgADd${seed}`,
      file_size: opts.image?.length ?? 123_456,
    };
    if (opts.image) this.addFile(document.file_id, document.file_unique_id, opts.image);
    return this.messageUpdate(chatId, { document });
  }

  /** 'kicked' = the user blocked the bot, 'member' = unblocked. Delivering it also (un)blocks the chat. */
  myChatMemberUpdate(chatId: number, newStatus: 'kicked' | 'member'): Update {
    const bot = this.botUser;
    const member = (status: 'kicked' | 'member') =>
      status === 'kicked' ? { status, user: bot, until_date: 0 } : { status, user: bot };
    return this.update({
      my_chat_member: {
        chat: this.chatFor(chatId),
        from: this.user(chatId),
        date: Math.floor(Date.now() / 1000),
        old_chat_member: member(newStatus === 'kicked' ? 'member' : 'kicked'),
        new_chat_member: member(newStatus),
      },
    } as Omit<Update, 'update_id'>);
  }

  // ---------------------------------------------------------------- delivery

  /** Webhook set: POST it there. Otherwise queue it for getUpdates (status 0). */
  async deliver(update: Update): Promise<DeliveryResult> {
    this.sideEffects(update);
    if (!this.allowed(update)) return { status: -1, body: `dropped: ${updateType(update)} is not in allowed_updates` };
    if (this.webhookState) return this.post(update, this.webhookState.secretToken);
    this.enqueue(update);
    return { status: 0, body: '' };
  }

  /** POST to the webhook with an explicit secret header (undefined = no header). */
  async deliverWithSecret(update: Update, secret: string | undefined): Promise<DeliveryResult> {
    if (!this.webhookState)
      throw new Error('deliverWithSecret: no webhook is set (call setWebhook through the bot first)');
    this.sideEffects(update);
    return this.post(update, secret);
  }

  /** Queue for getUpdates even if a webhook is set. */
  queue(update: Update): void {
    this.sideEffects(update);
    if (this.allowed(update)) this.enqueue(update);
  }

  private sideEffects(update: Update): void {
    const change = update.my_chat_member;
    if (change && change.chat.type === 'private') {
      if (change.new_chat_member.status === 'kicked') this.blocked.add(change.chat.id);
      else if (change.new_chat_member.status === 'member') this.blocked.delete(change.chat.id);
    }
  }

  private allowed(update: Update): boolean {
    const type = updateType(update);
    const list = this.allowedUpdates;
    if (!list || list.length === 0) return !NOT_DEFAULT_UPDATES.has(type);
    return list.includes(type);
  }

  private enqueue(update: Update): void {
    const last = this.pending[this.pending.length - 1];
    this.pending.push(update);
    if (last && last.update_id > update.update_id) this.pending.sort((a, b) => a.update_id - b.update_id);
    this.poller?.wake('update');
  }

  private async post(update: Update, secret: string | undefined): Promise<DeliveryResult> {
    const url = (this.webhookState as WebhookState).url;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
    } catch (err) {
      this.lastError = { date: Math.floor(Date.now() / 1000), message: 'Connection refused' };
      throw new Error(`fake Telegram: webhook POST to ${url} failed: ${String(err)}`);
    }
    const body = await response.text();
    if (response.status < 200 || response.status > 299) {
      this.lastError = {
        date: Math.floor(Date.now() / 1000),
        message: `Wrong response from the webhook: ${response.status} ${response.statusText}`,
      };
    }
    return { status: response.status, body };
  }

  // ---------------------------------------------------------------- failure injection

  /**
   * The next `method` call waits until `release()`: a request in flight, for kill tests. `arrived` resolves when
   * it comes. If its client is gone by the time it is released, it is dropped unprocessed and unrecorded.
   */
  /**
   * Holds the next call of `method` until released. `arrived` resolves when it comes in; `dropped` when its client
   * has gone (a killed process): released after that, the call never happened.
   */
  holdNext(method: string): { arrived: Promise<void>; dropped: Promise<void>; release(): void } {
    let arrive!: () => void;
    let release!: () => void;
    let drop!: () => void;
    const arrived = new Promise<void>((r) => (arrive = r));
    const released = new Promise<void>((r) => (release = r));
    const dropped = new Promise<void>((r) => (drop = r));
    this.holds.set(method, { arrive, released, dropped: drop });
    return { arrived, dropped, release };
  }

  private async heldCall(method: string, req: IncomingMessage): Promise<void> {
    const hold = this.holds.get(method);
    if (!hold) return;
    this.holds.delete(method);
    if (req.socket.destroyed) hold.dropped();
    else req.socket.once('close', hold.dropped);
    hold.arrive();
    await hold.released;
    if (req.socket.destroyed) throw new DroppedCall();
  }

  failNext(method: string, error: InjectedError, times = 1): void {
    let queue = this.failures.get(method);
    if (!queue) this.failures.set(method, (queue = []));
    queue.push({ error, left: times });
  }

  /** Drops every failure still waiting to be injected. */
  clearFailures(): void {
    this.failures.clear();
  }

  blockChat(chatId: ChatId): void {
    this.blocked.add(normalizeChatId(chatId));
  }

  unblockChat(chatId: ChatId): void {
    this.blocked.delete(normalizeChatId(chatId));
  }

  deactivateChat(chatId: ChatId): void {
    this.deactivated.add(normalizeChatId(chatId));
  }

  // ---------------------------------------------------------------- lifecycle

  /** Clears recordings, queue, injected failures, blocked/deactivated chats, rate windows and the webhook. update_id keeps growing. */
  reset(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.callsByMethod.clear();
    this.messagesByChat.clear();
    this.pending = [];
    this.failures.clear();
    this.blocked.clear();
    this.deactivated.clear();
    this.globalWindow = new Window();
    this.chatWindows = new Map();
    this.webhookState = undefined;
    this.allowedUpdates = undefined;
    this.lastError = undefined;
    this.rateLimited = 0;
    this.acceptedSends = 0;
    this.commands = [];
    this.messageIds.clear();
    this.botMessages.clear();
    this.lastBotMessage.clear();
    this.firstNames.clear();
    this.files.clear();
    this.filesByPath.clear();
    this.fileDownloads.length = 0;
  }

  async close(): Promise<void> {
    this.poller?.wake('closed');
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function photoSizes(
  seed: string,
): { file_id: string; file_unique_id: string; width: number; height: number; file_size: number }[] {
  return [
    { file_id: `AgACAgUAAxkBAAI_${seed}_s`, file_unique_id: `AQAD_${seed}_s`, width: 90, height: 68, file_size: 1_532 },
    {
      file_id: `AgACAgUAAxkBAAI_${seed}_m`,
      file_unique_id: `AQAD_${seed}_m`,
      width: 320,
      height: 240,
      file_size: 21_873,
    },
    {
      file_id: `AgACAgUAAxkBAAI_${seed}_x`,
      file_unique_id: `AQAD_${seed}_x`,
      width: 1280,
      height: 960,
      file_size: 187_311,
    },
  ];
}

export async function startFakeTelegramServer(options: FakeTelegramOptions = {}): Promise<FakeTelegramServer> {
  const fake = new FakeTelegramServer(options);
  await fake.listen();
  return fake;
}
