/**
 * Telegram through grammY: turns updates into neutral inbound messages for the inbox and renders replies
 * with inline keyboards. Long polling by default; with a webhook URL, updates arrive at
 * POST /telegram/webhook on the app's HTTP server, checked against the secret header.
 */
import { Bot, BotError, GrammyError, type Context } from 'grammy';
import type { Message, UserFromGetMe } from 'grammy/types';
import type { FastifyInstance } from 'fastify';
import type { InboundMessage, MessageKind, Reply } from '../../core/conversation.js';
import type { Logger } from '../../core/logger.js';
import type { Messages } from '../../core/messages.js';
import type { SubscriberStore } from '../../core/subscribers.js';
import { retryUntilDone, type Retrying } from '../background.js';
import { boundedRetry, REQUEST_RETRY, type RetryPolicy } from './bounded-retry.js';
import type { Inbox } from '../inbox.js';
import { renderReplies, type OutgoingMessage } from '../render.js';
import { registerWebhookRoute } from '../webhook-route.js';

export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
/** A "typing…" indicator is shown only when an answer takes longer than this. */
const TYPING_AFTER_MS = 400;

export interface TelegramChannelOptions {
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

export interface TelegramChannel {
  readonly bot: Bot;
  readonly mode: 'webhook' | 'polling';
  registerRoutes(server: FastifyInstance): void;
  /** Writes to a user first (a status change, an announcement); in private chats the chat id is the user id. */
  push(chatId: string, userId: string, replies: Reply[]): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function kindOf(message: Message): MessageKind {
  if (message.text !== undefined) return 'text';
  if (message.photo) return 'photo';
  if (message.sticker) return 'sticker';
  if (message.voice || message.audio || message.video_note) return 'voice';
  if (message.location || message.venue) return 'location';
  if (message.document || message.video || message.animation) return 'file';
  if (message.contact) return 'contact';
  return 'other';
}

function displayName(ctx: Context): string | undefined {
  const from = ctx.from;
  return from ? [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username : undefined;
}

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { inbox, subscribers, messages, logger, webhook } = options;
  const log = logger.child({ channel: 'telegram' });
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  bot.api.config.use(boundedRetry(options.retry ?? REQUEST_RETRY));
  const botId = options.token.split(':')[0];
  let startup: Retrying | undefined;

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
    const outgoing = renderReplies(replies, {
      maxLength: TELEGRAM_TEXT_LIMIT,
      buttons: 'native',
      chooseHint: messages.choose_hint,
    });
    for (const message of outgoing) {
      const markup = toMarkup(message);
      try {
        await bot.api.sendMessage(chatId, message.text, {
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
    if (ctx.chat.type !== 'private') return; // Group chats are not served.
    const m = ctx.message;
    const kind = kindOf(m);
    await receive(
      ctx,
      {
        channel: 'telegram',
        userId: String(ctx.from.id),
        kind,
        ...(m.text !== undefined ? { text: m.text } : {}),
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

    registerRoutes(server) {
      if (!webhook) return;
      type Update = Parameters<Bot['handleUpdate']>[0];
      registerWebhookRoute<Update>(server, {
        path: TELEGRAM_WEBHOOK_PATH,
        secretHeader: 'x-telegram-bot-api-secret-token',
        secret: webhook.secret,
        log,
        parse: (body) => {
          const update = body as { update_id?: unknown } | null;
          return update && typeof update === 'object' && Number.isSafeInteger(update.update_id)
            ? (update as Update)
            : undefined;
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
      });
    },

    async start() {
      if (webhook) {
        startup = retryUntilDone(
          async () => {
            await bot.init();
            await bot.api.setWebhook(webhook.url, {
              secret_token: webhook.secret,
              allowed_updates: [...ALLOWED_UPDATES],
            });
            log.info({ mode: 'webhook', bot: bot.botInfo.username }, 'telegram webhook set');
            await setCommands();
          },
          log,
          'telegram webhook setup',
        );
        return;
      }
      startup = retryUntilDone(
        async () => {
          await bot.init();
          await setCommands();
          log.info({ mode: 'polling', bot: bot.botInfo.username }, 'telegram polling');
          // bot.start() deletes any webhook, then polls until stopped; only one process may poll a token.
          void bot
            .start({ allowed_updates: [...ALLOWED_UPDATES] })
            .catch((err: Error) => log.error({ err: err.message }, 'telegram polling stopped'));
        },
        log,
        'telegram start',
      );
    },

    async stop() {
      startup?.stop();
      if (bot.isRunning()) await bot.stop();
    },
  };
}
