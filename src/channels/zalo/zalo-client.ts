/**
 * A small axios client for the Zalo Bot API: POST {apiRoot}/bot{token}/{method} with a JSON body, answered with
 * {ok, result?, description?, error_code?}. Retries 429 ("Quota exceeded"), 403 (documented as "Internal server
 * error"), 5xx and network failures a bounded number of times, with exponential backoff and jitter: Zalo sends no
 * `retry_after` (that is Telegram's field), so none is expected.
 * The token is part of every URL, so no axios error ever leaves this file and every text we expose is redacted.
 */
import axios, { type AxiosInstance } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, type Logger } from '../../core/logger.js';
import { parseZaloUpdate, type ZaloUpdate } from './zalo-types.js';

export interface ZaloClientOptions {
  token: string;
  apiRoot?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  maxRetryDelayMs?: number;
  logger?: Logger;
  /** How a retry waits (tests record the delays instead of waiting). */
  sleep?: (ms: number) => Promise<unknown>;
  /** The jitter source, in [0, 1) (tests pin it). */
  random?: () => number;
}

export interface ZaloBotInfo {
  id: string;
  account_name?: string;
  account_type?: string;
  can_join_groups?: boolean;
}
export interface ZaloSentMessage {
  message_id: string;
  date: number;
}
export interface ZaloWebhookInfo {
  url: string;
  updated_at?: number;
}

/** The API answered and refused the call (ok: false, or an HTTP error status). */
export class ZaloApiError extends Error {
  override readonly name = 'ZaloApiError';
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(`Zalo ${method} failed: ${errorCode} ${description}`);
  }
}

/** The request never got an answer (connection refused, timeout, DNS, aborted...). */
export class ZaloHttpError extends Error {
  override readonly name = 'ZaloHttpError';
  constructor(
    readonly method: string,
    readonly code: string,
    detail: string,
  ) {
    super(`Zalo ${method} network error: ${code}${detail ? ` (${detail})` : ''}`);
  }
}

/**
 * Errors about the bot or the platform, never about one recipient. The Zalo Bot Platform's error table
 * (../shared/channels.md §C1) documents 400 bad request, 401 token invalid, 403 "Internal server error",
 * 404, 408 timeout and 429 quota exceeded: none of them says that a user is unreachable.
 */
const BOT_LEVEL_CODES: ReadonlySet<number> = new Set([401, 403, 408, 429]);
/**
 * Codes that name the recipient: -213 "user does not follow the OA" and -227 "user inactive for more than
 * 45 days" from Zalo's OA error table (channels.md §C2; the Bot Platform documents no per-user code).
 */
const USER_CODES: ReadonlySet<number> = new Set([-213, -227]);
/** A description that says this user is gone: blocked the bot, unfollowed, or does not exist (any language). */
const USER_GONE =
  /\b(?:blocked|unfollow(?:ed)?|not follow(?:ing)?|user (?:is )?(?:not found|inactive|deactivated|deleted|not exist))\b|chặn|bỏ (?:quan tâm|theo dõi)|không tồn tại/i;

/**
 * Evidence that this one recipient cannot be reached, so marking them inactive is right. A bot-level error
 * (401, 403, 429, 5xx, network) is never evidence: during a broadcast it would deactivate everyone.
 */
export function isUserUnreachable(err: unknown): boolean {
  if (!(err instanceof ZaloApiError)) return false;
  if (USER_CODES.has(err.errorCode)) return true;
  if (BOT_LEVEL_CODES.has(err.errorCode) || err.errorCode >= 500) return false;
  return USER_GONE.test(err.description);
}

/** 429 and the errors the platform documents as its own (403 "Internal server error", 5xx): worth a retry. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ZaloHttpError) return err.code !== 'ERR_CANCELED';
  return err instanceof ZaloApiError && (err.errorCode === 429 || err.errorCode === 403 || err.errorCode >= 500);
}

const FIRST_RETRY_DELAY_MS = 300;
/** "Quota exceeded" is about the bot's usage: back off longer than for a server hiccup. */
const FIRST_QUOTA_DELAY_MS = 1000;
const NO_UPDATE = 408;

interface Envelope {
  ok?: unknown;
  result?: unknown;
  description?: unknown;
  error_code?: unknown;
}

interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

export class ZaloClient {
  private readonly token: string;
  private readonly apiRoot: string;
  private readonly maxAttempts: number;
  private readonly maxRetryDelayMs: number;
  private readonly log: Logger;
  private readonly http: AxiosInstance;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private readonly random: () => number;

  constructor(options: ZaloClientOptions) {
    this.token = options.token;
    this.apiRoot = (options.apiRoot ?? 'https://bot-api.zaloplatforms.com').replace(/\/+$/, '');
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.log = (options.logger ?? silentLogger).child({ component: 'zalo-client' });
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.random = options.random ?? Math.random;
    // validateStatus: every HTTP answer is read as an envelope here; axios only throws for network failures.
    this.http = axios.create({ timeout: options.timeoutMs ?? 10_000, validateStatus: () => true, maxRedirects: 0 });
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call<ZaloBotInfo>('getMe', {});
  }

  /** One long poll. Zalo returns a single update per call; 408 (nothing arrived) gives undefined. */
  async getUpdates({
    timeoutSeconds,
    signal,
  }: {
    timeoutSeconds: number;
    signal?: AbortSignal;
  }): Promise<ZaloUpdate | undefined> {
    try {
      const result = await this.call<unknown>(
        'getUpdates',
        { timeout: String(timeoutSeconds) },
        { timeoutMs: (timeoutSeconds + 5) * 1000, signal },
      );
      const update = parseZaloUpdate({ ok: true, result });
      if (!update && result !== undefined && result !== null)
        this.log.warn({ method: 'getUpdates' }, 'zalo: malformed update ignored');
      return update;
    } catch (err) {
      if (err instanceof ZaloApiError && err.errorCode === NO_UPDATE) return undefined;
      throw err;
    }
  }

  setWebhook(url: string, secretToken: string): Promise<ZaloWebhookInfo> {
    return this.call<ZaloWebhookInfo>('setWebhook', { url, secret_token: secretToken });
  }

  deleteWebhook(): Promise<ZaloWebhookInfo> {
    return this.call<ZaloWebhookInfo>('deleteWebhook', {});
  }

  getWebhookInfo(): Promise<ZaloWebhookInfo> {
    return this.call<ZaloWebhookInfo>('getWebhookInfo', {});
  }

  async sendMessage(chatId: string, text: string): Promise<ZaloSentMessage> {
    return toSent(await this.call<unknown>('sendMessage', { chat_id: chatId, text }));
  }

  async sendPhoto(chatId: string, photoUrl: string, caption?: string): Promise<ZaloSentMessage> {
    const body =
      caption === undefined ? { chat_id: chatId, photo: photoUrl } : { chat_id: chatId, photo: photoUrl, caption };
    return toSent(await this.call<unknown>('sendPhoto', body));
  }

  async sendChatAction(chatId: string, action: 'typing'): Promise<void> {
    await this.call<unknown>('sendChatAction', { chat_id: chatId, action });
  }

  /** One API call with bounded retries on 429, 5xx and network failures. */
  private async call<T>(method: string, body: object, options: CallOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.once(method, body, options)) as T;
      } catch (err) {
        const delayMs = this.retryDelay(err, attempt, options);
        if (delayMs === undefined) throw err;
        this.log.warn({ method, attempt, delayMs, error: describe(err) }, 'zalo: retrying call');
        await this.sleep(delayMs);
      }
    }
  }

  /** How long to wait before the next attempt (exponential, equal jitter), or undefined to give up now. */
  private retryDelay(err: unknown, attempt: number, options: CallOptions): number | undefined {
    if (attempt >= this.maxAttempts || options.signal?.aborted || !isRetryable(err)) return undefined;
    const first = err instanceof ZaloApiError && err.errorCode === 429 ? FIRST_QUOTA_DELAY_MS : FIRST_RETRY_DELAY_MS;
    const step = Math.min(first * 2 ** (attempt - 1), this.maxRetryDelayMs);
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  private async once(method: string, body: object, options: CallOptions): Promise<unknown> {
    let status: number;
    let data: unknown;
    try {
      const response = await this.http.post(`${this.apiRoot}/bot${this.token}/${method}`, body, {
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      status = response.status;
      data = response.data;
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      throw new ZaloHttpError(
        method,
        typeof e.code === 'string' ? e.code : 'UNKNOWN',
        this.redact(String(e.message ?? '')),
      );
    }
    const envelope: Envelope = typeof data === 'object' && data !== null ? (data as Envelope) : {};
    if (status >= 200 && status < 300 && envelope.ok === true) return envelope.result;
    const errorCode = typeof envelope.error_code === 'number' ? envelope.error_code : status >= 300 ? status : 0;
    const description =
      typeof envelope.description === 'string' ? envelope.description : `HTTP ${status}, no Zalo error description`;
    throw new ZaloApiError(method, errorCode, this.redact(description));
  }

  private redact(text: string): string {
    if (!this.token) return text;
    return text.split(this.token).join('<token>').split(encodeURIComponent(this.token)).join('<token>');
  }
}

function toSent(result: unknown): ZaloSentMessage {
  const r = (typeof result === 'object' && result !== null ? result : {}) as { message_id?: unknown; date?: unknown };
  return { message_id: String(r.message_id ?? ''), date: typeof r.date === 'number' ? r.date : Date.now() };
}

function describe(err: unknown): Record<string, unknown> {
  if (err instanceof ZaloApiError) return { errorCode: err.errorCode, description: err.description };
  if (err instanceof ZaloHttpError) return { code: err.code };
  return { message: 'unexpected error' };
}
