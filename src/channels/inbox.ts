/**
 * The one path every chat update takes, whatever the platform: deduplicate, apply the flood limit, take the
 * user's lock (updates of one user run in order), record the subscriber, run the engine, and hand the
 * replies to the channel to deliver. An update counts as handled only once its replies were delivered, so
 * a failure lets the platform's redelivery try again, and a redelivery after success is skipped.
 */
import type { InboundMessage, Reply } from '../core/conversation.js';
import type { Engine } from '../core/engine.js';
import type { Logger } from '../core/logger.js';
import { format, type Messages } from '../core/messages.js';
import type { SubscriberStore } from '../core/subscribers.js';
import type { FloodLimit, UpdateGuard } from '../core/update-guard.js';

export interface InboundUpdate {
  message: InboundMessage;
  /** Unique per delivery source (for example `tg:<bot>:<update_id>`); omitted where nothing is redelivered. */
  dedupKey?: string;
  displayName?: string;
  /** The platform's chat to write to later (announcements, status changes), when it differs from the user id. */
  chatId?: string;
}

/** Sends replies on the user's channel. */
export type Deliver = (replies: Reply[]) => Promise<void>;

/** 'in-flight': another worker is handling the same update right now (answer the platform "retry later"). */
export type InboxOutcome = 'handled' | 'duplicate' | 'in-flight' | 'flooded';

export interface Inbox {
  receive(update: InboundUpdate, deliver: Deliver): Promise<InboxOutcome>;
}

export interface InboxOptions {
  engine: Engine;
  guard: UpdateGuard;
  subscribers: SubscriberStore;
  messages: Messages;
  flood: FloodLimit;
  logger: Logger;
  now?: () => number;
}

export function createInbox({
  engine,
  guard,
  subscribers,
  messages,
  flood,
  logger,
  now = Date.now,
}: InboxOptions): Inbox {
  async function handle(
    { message, displayName, chatId }: InboundUpdate,
    deliver: Deliver,
  ): Promise<'handled' | 'flooded'> {
    // The terminal chat is the operator at the keyboard (or a script piping a test conversation).
    const verdict = message.channel === 'cli' ? 'ok' : await guard.hit(message.channel, message.userId);
    if (verdict !== 'ok') {
      if (verdict === 'warn') {
        logger.info({ channel: message.channel, event: 'flood' }, 'flood limit reached');
        await deliver([{ text: format(messages.flood, { seconds: flood.windowSeconds }) }]);
      }
      return 'flooded';
    }
    await guard.withUserLock(message.channel, message.userId, async () => {
      await subscribers.touch(message.channel, message.userId, { displayName, chatId, at: now() });
      await deliver(await engine.handle(message));
    });
    return 'handled';
  }

  return {
    async receive(update, deliver) {
      const { dedupKey } = update;
      if (!dedupKey) return handle(update, deliver);
      const claim = await guard.claim(dedupKey);
      if (claim === 'done') return 'duplicate';
      if (claim === 'in-flight') return 'in-flight';
      try {
        const outcome = await handle(update, deliver);
        await guard.complete(dedupKey);
        return outcome;
      } catch (err) {
        await guard.release(dedupKey).catch(() => undefined);
        throw err;
      }
    },
  };
}
