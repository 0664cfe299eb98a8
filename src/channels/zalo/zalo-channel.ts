/**
 * Zalo Bot Platform through our own client: updates arrive at POST /zalo/webhook (secret header checked in
 * constant time) or by long polling with getUpdates. Zalo has no buttons, so choices are rendered as
 * numbered lines that the engine resolves when the user types "1", "2"…
 *
 * Polling hands each update to a queue per user: different users are handled concurrently (up to
 * `concurrency` at once), one user's updates in arrival order; failed polls back off exponentially with jitter.
 */
import type { FastifyInstance } from 'fastify';
import type { InboundMessage, MessageKind, Reply } from '../../core/conversation.js';
import type { Logger } from '../../core/logger.js';
import type { Messages } from '../../core/messages.js';
import type { PhotoFetcher } from '../../core/registration/attachments.js';
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
import type { Inbox, InboxOutcome } from '../inbox.js';
import { renderReplies } from '../render.js';
import { inWebhookScope } from '../webhook-body.js';
import { registerWebhookRoute } from '../webhook-route.js';
import { isUserUnreachable, ZaloApiError, ZaloHttpError, type ZaloClient } from './zalo-client.js';
import { checkZaloUpdate, ZALO_EVENTS, type ZaloUpdate } from './zalo-types.js';

export const ZALO_TEXT_LIMIT = 2000;
export const ZALO_WEBHOOK_PATH = '/zalo/webhook';

/** A Map, not an object: an event_name of "__proto__" or "toString" must find nothing. */
const KINDS: ReadonlyMap<string, MessageKind> = new Map([
  [ZALO_EVENTS.text, 'text'],
  [ZALO_EVENTS.image, 'photo'],
  [ZALO_EVENTS.sticker, 'sticker'],
  [ZALO_EVENTS.unsupported, 'other'],
  ['message.voice.received', 'voice'],
  ['message.location.received', 'location'],
  ['message.file.received', 'file'],
]);

export function zaloErrorKind(err: unknown): ErrorKind {
  if (err instanceof ZaloHttpError) return 'network';
  if (!(err instanceof ZaloApiError)) return 'other';
  // 403 is documented as "Internal server error".
  return err.errorCode === 403 ? 'server' : statusErrorKind(err.errorCode);
}

/** A refused token: retrying cannot help, an operator must fix the configuration. */
const FATAL: ReadonlySet<ErrorKind> = new Set(['unauthorized']);

/** Tries at handing one polled update to the inbox (about a minute with the default backoff). */
const POLLED_UPDATE_ATTEMPTS = 6;

export interface ZaloChannelOptions extends PollingOptions {
  client: ZaloClient;
  webhook?: { url: string; secret: string };
  inbox: Inbox;
  subscribers: SubscriberStore;
  messages: Messages;
  logger: Logger;
}

export interface ZaloChannel extends PhotoFetcher {
  readonly mode: 'webhook' | 'polling';
  registerRoutes(server: FastifyInstance): void;
  /** Writes to a user first (a status change, an announcement), to the chat recorded for them. */
  push(chatId: string, userId: string, replies: Reply[]): Promise<void>;
  /** Handles one update as both delivery paths do (exposed for the polling loop and tests). */
  handleUpdate(update: ZaloUpdate): Promise<InboxOutcome | 'ignored'>;
  /** For /health: webhook or polling, running, recovering or stopped, and the kind of the last error. */
  status(): ChannelStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createZaloChannel(options: ZaloChannelOptions): ZaloChannel {
  const { client, webhook, inbox, subscribers, messages, logger, pollTimeoutSeconds = 30 } = options;
  const { pollBackoff = DEFAULT_POLL_BACKOFF, sleep = realSleep, random = Math.random, concurrency = 100 } = options;
  const log = logger.child({ channel: 'zalo' });
  const tracker = new StatusTracker(webhook ? 'webhook' : 'polling');
  let startup: Retrying | undefined;
  let polling: AbortController | undefined;
  let pollLoop: Promise<void> | undefined;
  /** Per user: the last queued update's task, so the next one starts after it. */
  const tails = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

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
        if (isUserUnreachable(err)) {
          log.info(
            { event: 'unreachable', errorCode: (err as ZaloApiError).errorCode },
            'user unreachable, marked inactive',
          );
          await subscribers.markInactive('zalo', userId, (err as ZaloApiError).description);
          return;
        }
        throw err;
      }
    }
  }

  async function handleUpdate(update: ZaloUpdate): Promise<InboxOutcome | 'ignored'> {
    const m = update.message;
    const eventKind = KINDS.get(update.event_name);
    // Events without a message, our own messages echoed back, group chats and unknown events get no answer.
    if (!m || !eventKind || m.from.is_bot || (m.chat.chat_type && m.chat.chat_type !== 'PRIVATE')) return 'ignored';
    // An image with a caption is read as its caption: that is what the user wrote.
    const caption = eventKind === 'photo' && m.caption?.trim() ? m.caption : undefined;
    const kind: MessageKind = caption !== undefined ? 'text' : eventKind;
    const text = caption ?? (kind === 'text' ? m.text : undefined);
    // The image's URL: `photo` in the docs, `photo_url` in OpenClaw's client (/work/shared/channels.md, §B).
    const photoUrl = eventKind === 'photo' ? (m.photo ?? m.photo_url)?.trim() : undefined;
    const message: InboundMessage = {
      channel: 'zalo',
      userId: m.from.id,
      kind,
      ...(text !== undefined ? { text } : {}),
      ...(photoUrl ? { photo: { fileId: photoUrl, ...(caption !== undefined ? { caption } : {}) } } : {}),
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

  /** Queues an update behind the same user's earlier ones; other users' updates do not wait for it. */
  function dispatch(update: ZaloUpdate): void {
    const key = update.message ? `chat:${update.message.chat.id}` : 'no-message';
    const previous = tails.get(key) ?? Promise.resolve();
    const task = previous.then(() => handlePolled(update));
    tails.set(key, task);
    inFlight.add(task);
    void task.finally(() => {
      inFlight.delete(task);
      if (tails.get(key) === task) tails.delete(key);
    });
  }

  /**
   * Hands a polled update to the inbox. Zalo does not give it again once getUpdates returned it, so when the inbox
   * cannot record it (Redis out of reach) it is retried here with backoff for a while before it is given up.
   */
  async function handlePolled(update: ZaloUpdate): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await handleUpdate(update);
        return;
      } catch (err) {
        const lost = attempt >= POLLED_UPDATE_ATTEMPTS || polling?.signal.aborted;
        log.error(
          { err: (err as Error).message, event: update.event_name, attempt },
          lost ? 'update lost' : 'update not recorded, retrying',
        );
        if (lost) return;
        await sleep(backoffDelay(attempt, pollBackoff, random), polling?.signal).catch(() => undefined);
      }
    }
  }

  async function poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // Back-pressure: no new update is fetched while `concurrency` are being handled.
      while (inFlight.size >= concurrency && !signal.aborted) await Promise.race(inFlight);
      try {
        const update = await client.getUpdates({ timeoutSeconds: pollTimeoutSeconds, signal });
        tracker.ok();
        if (update) dispatch(update);
      } catch (err) {
        if (signal.aborted) break;
        const kind = zaloErrorKind(err);
        if (FATAL.has(kind)) {
          tracker.failed(kind, 'stopped');
          log.error({ error: kind }, 'zalo polling stopped for good: token refused');
          return;
        }
        const failures = tracker.failed(kind);
        const delayMs = backoffDelay(failures, pollBackoff, random);
        log.warn({ error: kind, failures, retryInMs: delayMs }, 'zalo getUpdates failed, retrying');
        await sleep(delayMs, signal).catch(() => undefined);
      }
    }
  }

  /** A start-up task that records its failures in the status, and stops retrying on a refused token. */
  function guarded(task: () => Promise<void>): () => Promise<void> {
    return guardedStartup(task, {
      tracker,
      errorKind: zaloErrorKind,
      fatal: FATAL,
      log,
      channel: 'zalo',
      giveUp: () => startup?.stop(),
    });
  }

  return {
    mode: webhook ? 'webhook' : 'polling',
    handleUpdate,
    push: send,
    status: () => tracker.status,

    /**
     * The image at the URL the update gave (Zalo's photo CDN). Only http(s): the URL comes from an update that
     * passed the webhook secret or came from our own getUpdates, and nothing is read past maxBytes.
     */
    async fetchPhoto(photoUrl, maxBytes) {
      let url: URL;
      try {
        url = new URL(photoUrl);
      } catch {
        throw new Error('zalo photo: not a URL');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('zalo photo: not an http(s) URL');
      return downloadCapped(url.href, { maxBytes, what: 'zalo photo' });
    },

    registerRoutes(server) {
      if (!webhook) return;
      inWebhookScope(server, (scope) =>
        registerWebhookRoute(scope, {
          path: ZALO_WEBHOOK_PATH,
          secretHeader: 'x-bot-api-secret-token',
          secret: webhook.secret,
          log,
          parse: (body) => {
            const check = checkZaloUpdate(body);
            if (check.ok) return check.update;
            log.warn({ event: 'malformed_update', problems: check.problems }, 'malformed update');
            return undefined;
          },
          handle: async (update) => {
            await handleUpdate(update);
          },
        }),
      );
    },

    async start() {
      if (webhook) {
        startup = retryUntilDone(
          guarded(async () => {
            await client.setWebhook(webhook.url, webhook.secret);
            tracker.ok();
            log.info({ mode: 'webhook' }, 'zalo webhook set');
          }),
          log,
          'zalo webhook setup',
        );
        return;
      }
      startup = retryUntilDone(
        guarded(async () => {
          // getUpdates and a webhook exclude each other.
          await client.deleteWebhook();
          log.info({ mode: 'polling' }, 'zalo polling');
          polling = new AbortController();
          pollLoop = poll(polling.signal);
        }),
        log,
        'zalo start',
      );
    },

    async stop() {
      startup?.stop();
      polling?.abort();
      await pollLoop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
