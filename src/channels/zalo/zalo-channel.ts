/**
 * Zalo Bot Platform through our own client: updates arrive at POST /zalo/webhook (secret header checked in
 * constant time) or by long polling with getUpdates. Zalo has no buttons, so choices are rendered as
 * numbered lines that the engine resolves when the user types "1", "2"…
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { InboundMessage, MessageKind, Reply } from '../../core/conversation.js';
import type { Logger } from '../../core/logger.js';
import type { Messages } from '../../core/messages.js';
import type { SubscriberStore } from '../../core/subscribers.js';
import { retryUntilDone, type Retrying } from '../background.js';
import type { Inbox, InboxOutcome } from '../inbox.js';
import { renderReplies } from '../render.js';
import { registerWebhookRoute } from '../webhook-route.js';
import { isBlockedError, type ZaloClient } from './zalo-client.js';
import { parseZaloUpdate, ZALO_EVENTS, type ZaloUpdate } from './zalo-types.js';

export const ZALO_TEXT_LIMIT = 2000;
export const ZALO_WEBHOOK_PATH = '/zalo/webhook';

const KINDS: Record<string, MessageKind> = {
  [ZALO_EVENTS.text]: 'text',
  [ZALO_EVENTS.image]: 'photo',
  [ZALO_EVENTS.sticker]: 'sticker',
  [ZALO_EVENTS.unsupported]: 'other',
  'message.voice.received': 'voice',
  'message.location.received': 'location',
  'message.file.received': 'file',
};

export interface ZaloChannelOptions {
  client: ZaloClient;
  webhook?: { url: string; secret: string };
  inbox: Inbox;
  subscribers: SubscriberStore;
  messages: Messages;
  logger: Logger;
  /** Long-poll wait per getUpdates call, in seconds. */
  pollTimeoutSeconds?: number;
}

export interface ZaloChannel {
  readonly mode: 'webhook' | 'polling';
  registerRoutes(server: FastifyInstance): void;
  /** Writes to a user first (a status change, an announcement), to the chat recorded for them. */
  push(chatId: string, userId: string, replies: Reply[]): Promise<void>;
  /** Handles one update as both delivery paths do (exposed for the polling loop and tests). */
  handleUpdate(update: ZaloUpdate): Promise<InboxOutcome | 'ignored'>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createZaloChannel(options: ZaloChannelOptions): ZaloChannel {
  const { client, webhook, inbox, subscribers, messages, logger, pollTimeoutSeconds = 30 } = options;
  const log = logger.child({ channel: 'zalo' });
  let startup: Retrying | undefined;
  let polling: AbortController | undefined;
  let pollLoop: Promise<void> | undefined;

  async function send(chatId: string, userId: string, replies: Reply[]): Promise<void> {
    const outgoing = renderReplies(replies, {
      maxLength: ZALO_TEXT_LIMIT,
      buttons: 'numbered',
      chooseHint: messages.choose_hint,
      chooseHintOne: messages.choose_hint_one,
    });
    for (const message of outgoing) {
      try {
        await client.sendMessage(chatId, message.text);
      } catch (err) {
        if (isBlockedError(err)) {
          log.info({ event: 'unreachable' }, 'user unreachable, marked inactive');
          await subscribers.markInactive('zalo', userId, 'send refused (403)');
          return;
        }
        throw err;
      }
    }
  }

  async function handleUpdate(update: ZaloUpdate): Promise<InboxOutcome | 'ignored'> {
    const m = update.message;
    const kind = KINDS[update.event_name];
    // Our own messages echoed back, group chats and events that are not messages get no answer.
    if (!kind || m.from.is_bot || (m.chat.chat_type && m.chat.chat_type !== 'PRIVATE')) return 'ignored';
    const message: InboundMessage = {
      channel: 'zalo',
      userId: m.from.id,
      kind,
      ...(kind === 'text' && m.text !== undefined ? { text: m.text } : {}),
    };
    return inbox.receive(
      {
        message,
        dedupKey: `zalo:${update.event_name}:${m.message_id}`,
        displayName: m.from.display_name,
        chatId: m.chat.id,
      },
      (replies) => send(m.chat.id, m.from.id, replies),
    );
  }

  async function poll(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const update = await client.getUpdates({ timeoutSeconds: pollTimeoutSeconds, signal });
        failures = 0;
        if (update) await handleUpdate(update).catch((err: Error) => log.error({ err: err.message }, 'update failed'));
      } catch (err) {
        if (signal.aborted) break;
        failures += 1;
        const delay = Math.min(1000 * 2 ** (failures - 1), 30_000);
        log.error({ err: (err as Error).message, retryInMs: delay }, 'zalo getUpdates failed');
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  return {
    mode: webhook ? 'webhook' : 'polling',
    handleUpdate,
    push: send,

    registerRoutes(server) {
      if (!webhook) return;
      registerWebhookRoute(server, {
        path: ZALO_WEBHOOK_PATH,
        secretHeader: 'x-bot-api-secret-token',
        secret: webhook.secret,
        log,
        parse: parseZaloUpdate,
        handle: async (update) => {
          await handleUpdate(update);
        },
      });
    },

    async start() {
      if (webhook) {
        startup = retryUntilDone(
          async () => {
            await client.setWebhook(webhook.url, webhook.secret);
            log.info({ mode: 'webhook' }, 'zalo webhook set');
          },
          log,
          'zalo webhook setup',
        );
        return;
      }
      startup = retryUntilDone(
        async () => {
          // getUpdates and a webhook exclude each other.
          await client.deleteWebhook();
          log.info({ mode: 'polling' }, 'zalo polling');
          polling = new AbortController();
          pollLoop = poll(polling.signal);
        },
        log,
        'zalo start',
      );
    },

    async stop() {
      startup?.stop();
      polling?.abort();
      await pollLoop;
    },
  };
}
