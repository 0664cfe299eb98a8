/**
 * Telegram through grammY: turns updates into neutral inbound messages for the inbox and renders replies
 * with inline keyboards. Long polling by default; with a webhook URL, updates arrive at
 * POST /telegram/webhook on the app's HTTP server, checked against the secret header.
 *
 * Polling runs on @grammyjs/runner: updates of different users are handled concurrently, `sequentialize` keeps
 * one chat's and one user's updates in order, and our own update supplier retries getUpdates with backoff on
 * 409 (another poller), 429, 5xx and network loss; only a refused token (401/404) stops it for good.
 */
import {
  createConcurrentSink,
  createRunner,
  createSource,
  sequentialize,
  type RunnerHandle,
  type UpdateSupplier,
} from '@grammyjs/runner';
import { Bot, BotError, GrammyError, HttpError, type Context } from 'grammy';
import type { Message, Update, UserFromGetMe } from 'grammy/types';
import type { FastifyInstance } from 'fastify';
import type { InboundMessage, MessageKind, Reply } from '../../core/conversation.js';
import type { Logger } from '../../core/logger.js';
import type { Messages } from '../../core/messages.js';
import { FileTooLargeError, type PhotoFetcher } from '../../core/registration/attachments.js';
import { downloadCapped } from '../../adapters/http/capped-download.js';
import type { SubscriberStore } from '../../core/subscribers.js';
import { retryUntilDone, type Retrying } from '../background.js';
import {
  backoffDelay,
  DEFAULT_POLL_BACKOFF,
  guardedStartup,
  realSleep,
  StatusTracker,
  statusErrorKind,
  type ChannelStatus,
  type ErrorKind,
  type PollingOptions,
} from '../channel-state.js';
import { boundedRetry, REQUEST_RETRY, type RetryPolicy } from './bounded-retry.js';
import type { Inbox } from '../inbox.js';
import { renderReplies, type OutgoingMessage } from '../render.js';
import { toTelegramHtml } from './telegram-html.js';
import { inWebhookScope } from '../webhook-body.js';
import { registerWebhookRoute } from '../webhook-route.js';
import { checkTelegramUpdate } from './telegram-update.js';

export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
/** A "typing…" indicator is shown only when an answer takes longer than this. */
const TYPING_AFTER_MS = 400;

export interface TelegramChannelOptions extends PollingOptions {
  token: string;
  /** Replaces https://api.telegram.org (a local Bot API server, a test server). */
  apiRoot?: string;
  webhook?: { url: string; secret: string };
  inbox: Inbox;
  subscribers: SubscriberStore;
  messages: Messages;
  logger: Logger;
  /** Preset identity (skips getMe). */
  botInfo?: UserFromGetMe;
  /** Bounded retries of 429, 5xx and network failures inside request handling. */
  retry?: RetryPolicy;
}

export interface TelegramChannel extends PhotoFetcher {
  readonly bot: Bot;
  readonly mode: 'webhook' | 'polling';
  registerRoutes(server: FastifyInstance): void;
  /** Writes to a user first (a status change, an announcement); in private chats the chat id is the user id. */
  push(chatId: string, userId: string, replies: Reply[]): Promise<void>;
  /** For /health: webhook or polling, running, recovering or stopped, and the kind of the last error. */
  status(): ChannelStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type RunnerSignal = Parameters<UpdateSupplier<Update>['supply']>[1];

/** A refused token: retrying cannot help, an operator must fix the configuration. */
const FATAL: ReadonlySet<ErrorKind> = new Set(['unauthorized', 'not_found']);

export function telegramErrorKind(err: unknown): ErrorKind {
  if (err instanceof HttpError) return 'network';
  return err instanceof GrammyError ? statusErrorKind(err.error_code) : 'other';
}

function kindOf(message: Message): MessageKind {
  if (message.text !== undefined) return 'text';
  // A photo (or file) with a caption is read as its caption: that is what the user wrote.
  if (message.caption?.trim()) return 'text';
  if (message.photo) return 'photo';
  if (message.sticker) return 'sticker';
  if (message.voice || message.audio || message.video_note) return 'voice';
  if (message.location || message.venue) return 'location';
  if (message.document || message.video || message.animation) return 'file';
  if (message.contact) return 'contact';
  return 'other';
}

/**
 * The largest size Telegram offers of a photo (the sizes come smallest first; the area decides). The update check
 * only makes sure `photo` is an array: an entry that is not a size with a file_id is skipped.
 */
function largestPhoto(message: Message): string | undefined {
  let best: { file_id: string; area: number } | undefined;
  const sizes: unknown[] = Array.isArray(message.photo) ? message.photo : [];
  for (const size of sizes) {
    if (typeof size !== 'object' || size === null) continue;
    const { file_id, width, height } = size as { file_id?: unknown; width?: unknown; height?: unknown };
    if (typeof file_id !== 'string' || !file_id || file_id.length > 512) continue;
    const area = (typeof width === 'number' ? width : 0) * (typeof height === 'number' ? height : 0);
    if (!best || area >= best.area) best = { file_id, area };
  }
  return best?.file_id;
}

function displayName(ctx: Context): string | undefined {
  const from = ctx.from;
  return from ? [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username : undefined;
}

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { inbox, subscribers, messages, logger, webhook } = options;
  const {
    pollBackoff = DEFAULT_POLL_BACKOFF,
    sleep = realSleep,
    random = Math.random,
    concurrency = 100,
    pollTimeoutSeconds = 30,
  } = options;
  const log = logger.child({ channel: 'telegram' });
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  bot.api.config.use(boundedRetry(options.retry ?? REQUEST_RETRY));
  const botId = options.token.split(':')[0];
  const tracker = new StatusTracker(webhook ? 'webhook' : 'polling');
  let startup: Retrying | undefined;
  let runner: RunnerHandle | undefined;
  const inFlight = new Set<Promise<unknown>>();
  let offset = 0;

  function toMarkup(message: OutgoingMessage) {
    if (message.requestContact) {
      return {
        keyboard: [[{ text: messages.share_contact_button, request_contact: true }]],
        one_time_keyboard: true,
        resize_keyboard: true,
      };
    }
    if (!message.buttons) return undefined;
    return { inline_keyboard: message.buttons.map((b) => [{ text: b.label, callback_data: `b:${b.ref ?? ''}` }]) };
  }

  async function send(chatId: number, userId: string, replies: Reply[]): Promise<void> {
    // In HTML parse mode: sources become short named links (the text is escaped, so nothing else is markup).
    const html = replies.map((r) => ({ ...r, text: toTelegramHtml(r.text, messages.source_label) }));
    const outgoing = renderReplies(html, {
      maxLength: TELEGRAM_TEXT_LIMIT,
      buttons: 'native',
      chooseHint: messages.choose_hint,
    });
    for (const message of outgoing) {
      const markup = toMarkup(message);
      try {
        await bot.api.sendMessage(chatId, message.text, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(markup ? { reply_markup: markup } : {}),
        });
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 403) {
          // Blocked or deactivated: nothing more can reach this user, and retrying will not change that.
          log.info({ event: 'unreachable', description: err.description }, 'user unreachable, marked inactive');
          await subscribers.markInactive('telegram', userId, err.description);
          return;
        }
        throw err;
      }
    }
  }

  async function receive(ctx: Context, message: InboundMessage, chatId: number): Promise<void> {
    const typing = setTimeout(() => {
      bot.api
        .sendChatAction(chatId, 'typing')
        .catch((err: Error) => log.debug({ err: err.message }, 'chat action refused'));
    }, TYPING_AFTER_MS);
    try {
      await inbox.receive(
        { message, dedupKey: `tg:${botId}:${ctx.update.update_id}`, displayName: displayName(ctx) },
        (replies) => {
          clearTimeout(typing);
          return send(chatId, message.userId, replies);
        },
      );
    } finally {
      clearTimeout(typing);
    }
  }

  // Under the runner, updates of one chat and of one user wait for each other (different users run at once).
  // Webhook deliveries are already ordered per chat by Telegram; the constraint costs nothing there.
  bot.use(
    sequentialize((ctx: Context) => [
      ...(ctx.chat?.id !== undefined ? [`chat:${ctx.chat.id}`] : []),
      ...(ctx.from?.id !== undefined ? [`user:${ctx.from.id}`] : []),
    ]),
  );

  bot.on('my_chat_member', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    const userId = String(ctx.myChatMember.from.id);
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked') await subscribers.markInactive('telegram', userId, 'kicked');
    else if (status === 'member') await subscribers.markActive('telegram', userId);
  });

  bot.on('callback_query:data', async (ctx) => {
    // Always answered, or the user's app shows a spinner on the button.
    await ctx
      .answerCallbackQuery()
      .catch((err: Error) => log.debug({ err: err.message }, 'answerCallbackQuery refused'));
    const data = ctx.callbackQuery.data;
    const chatId = ctx.chat?.id ?? ctx.from.id;
    // callback_data comes from the client: only our own "b:<ref>" form is read, anything else is stale.
    const buttonRef = /^b:\d{1,9}\.\d{1,3}$/.test(data) ? data.slice(2) : '0.0';
    await receive(ctx, { channel: 'telegram', userId: String(ctx.from.id), buttonRef }, chatId);
  });

  bot.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private' || !ctx.from) return; // Group chats (and anonymous senders) are not served.
    const m = ctx.message;
    const kind = kindOf(m);
    const text = m.text ?? (kind === 'text' ? m.caption : undefined);
    // A picture sent "as a file" (uncompressed, as people do to keep the quality) counts as a photo; its bytes are
    // checked all the same.
    const doc = m.document as { mime_type?: unknown; file_id?: unknown } | undefined;
    const imageFile =
      typeof doc?.mime_type === 'string' &&
      /^image\/(jpeg|png)$/i.test(doc.mime_type) &&
      typeof doc.file_id === 'string'
        ? doc.file_id
        : undefined;
    const photoId = largestPhoto(m) ?? imageFile;
    await receive(
      ctx,
      {
        channel: 'telegram',
        userId: String(ctx.from.id),
        kind,
        ...(text !== undefined ? { text } : {}),
        ...(photoId ? { photo: { fileId: photoId, ...(m.caption ? { caption: m.caption } : {}) } } : {}),
        ...(m.contact && m.contact.user_id === ctx.from.id ? { contactPhone: m.contact.phone_number } : {}),
      },
      ctx.chat.id,
    );
  });

  bot.catch((err: BotError) => {
    log.error(
      { err: err.error instanceof Error ? err.error.message : String(err.error), update: err.ctx.update.update_id },
      'update failed',
    );
  });

  async function setCommands(): Promise<void> {
    await bot.api
      .setMyCommands(messages.bot_commands)
      .catch((err: Error) => log.warn({ err: err.message }, 'setMyCommands refused'));
  }

  return {
    bot,
    mode: webhook ? 'webhook' : 'polling',
    push: (chatId, userId, replies) => send(Number(chatId), userId, replies),

    status: () => tracker.status,

    /** getFile, then the file from the Bot API's file root (the URL holds the token: never logged). */
    async fetchPhoto(fileId, maxBytes) {
      const file = await bot.api.getFile(fileId);
      if (file.file_size !== undefined && file.file_size > maxBytes) throw new FileTooLargeError(maxBytes);
      if (!file.file_path) throw new Error('telegram getFile gave no file_path');
      const root = options.apiRoot ?? 'https://api.telegram.org';
      return downloadCapped(`${root}/file/bot${options.token}/${file.file_path}`, { maxBytes, what: 'telegram file' });
    },

    registerRoutes(server) {
      if (!webhook) return;
      inWebhookScope(server, (scope) =>
        registerWebhookRoute<Update>(scope, {
          path: TELEGRAM_WEBHOOK_PATH,
          secretHeader: 'x-telegram-bot-api-secret-token',
          secret: webhook.secret,
          log,
          parse: (body) => {
            const check = checkTelegramUpdate(body);
            if (check.ok) return check.update;
            log.warn(
              { event: 'malformed_update', update: check.updateId, problems: check.problems },
              'malformed update',
            );
            return undefined;
          },
          describe: (update) => ({ update: update.update_id }),
          handle: async (update) => {
            if (!bot.isInited()) await bot.init();
            try {
              await bot.handleUpdate(update);
            } catch (err) {
              throw err instanceof BotError ? err.error : err;
            }
          },
        }),
      );
    },

    async start() {
      if (webhook) {
        startup = retryUntilDone(
          guarded(async () => {
            await bot.init();
            await bot.api.setWebhook(webhook.url, {
              secret_token: webhook.secret,
              allowed_updates: [...ALLOWED_UPDATES],
            });
            tracker.ok();
            log.info({ mode: 'webhook', bot: bot.botInfo.username }, 'telegram webhook set');
            await setCommands();
          }),
          log,
          'telegram webhook setup',
        );
        return;
      }
      startup = retryUntilDone(
        guarded(async () => {
          await bot.init();
          // getUpdates and a webhook exclude each other; only one process may poll a token.
          await bot.api.deleteWebhook();
          await setCommands();
          log.info({ mode: 'polling', bot: bot.botInfo.username }, 'telegram polling');
          startPolling();
        }),
        log,
        'telegram start',
      );
    },

    async stop() {
      startup?.stop();
      const wasPolling = runner !== undefined;
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
      await Promise.allSettled([...inFlight]);
      // Confirms the updates handled, as bot.stop() does, so a restart does not fetch them again.
      if (wasPolling && offset > 0)
        await bot.api
          .getUpdates({ offset, limit: 1, timeout: 0 })
          .catch((err: Error) => log.debug({ err: err.message }, 'offset confirmation refused'));
    },
  };

  /** A start-up task that records its failures in the status, and stops retrying on a refused token. */
  function guarded(task: () => Promise<void>): () => Promise<void> {
    return guardedStartup(task, {
      tracker,
      errorKind: telegramErrorKind,
      fatal: FATAL,
      log,
      channel: 'telegram',
      giveUp: () => startup?.stop(),
    });
  }

  /** getUpdates with our offset, retried with backoff until it succeeds, the runner stops, or the token is refused. */
  async function supply(batchSize: number, signal: RunnerSignal): Promise<Update[]> {
    for (;;) {
      try {
        const updates = await bot.api.getUpdates(
          {
            offset,
            limit: Math.max(1, Math.min(batchSize, 100)),
            timeout: pollTimeoutSeconds,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          signal,
        );
        tracker.ok();
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
        return updates;
      } catch (err) {
        if (signal.aborted) throw err;
        const kind = telegramErrorKind(err);
        if (FATAL.has(kind)) {
          tracker.failed(kind, 'stopped');
          log.error({ error: kind }, 'telegram polling stopped for good: token refused');
          throw err;
        }
        const failures = tracker.failed(kind);
        const delayMs = backoffDelay(failures, pollBackoff, random);
        log.warn({ error: kind, failures, retryInMs: delayMs }, 'telegram getUpdates failed, retrying');
        await sleep(delayMs, signal);
      }
    }
  }

  function startPolling(): void {
    const source = createSource<Update>({ supply });
    const sink = createConcurrentSink<Update, unknown>(
      {
        consume: async (update) => {
          const check = checkTelegramUpdate(update);
          if (!check.ok) {
            log.warn(
              { event: 'malformed_update', update: check.updateId, problems: check.problems },
              'malformed update',
            );
            return;
          }
          const task = bot.handleUpdate(update);
          inFlight.add(task);
          try {
            await task;
          } finally {
            inFlight.delete(task);
          }
        },
      },
      async (err) => {
        // bot.catch logs it; an error in the handler itself must not stop the runner.
        await Promise.resolve(bot.errorHandler(err as BotError)).catch(() => undefined);
      },
      { concurrency },
    );
    runner = createRunner(source, sink);
    runner.start();
    runner.task()?.catch(() => {
      // supply() already recorded the fatal error; the runner is done.
    });
  }
}
