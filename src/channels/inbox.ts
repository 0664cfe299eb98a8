/**
 * The one path every chat update takes, whatever the platform.
 *
 * A platform update (Telegram, Zalo: it carries a dedup key) is first recorded in the update journal, and only
 * then is the platform told it arrived; from there its fate is ours (see core/update-journal.ts). The process
 * that records it tries to answer it at once: it takes the user's lock, answers the user's queue head first,
 * and leaves what fails for a retry with backoff. Whoever holds a user answers everything queued for them, so
 * an update recorded while another process holds the user is answered by that process. A sweeper in every
 * process picks up users whose retry time has come, or whose process died.
 *
 * A web or terminal message (no dedup key: nothing is redelivered) is answered within its request.
 */
import { PUSH_CHANNELS, type ChannelName, type InboundMessage, type Reply } from '../core/conversation.js';
import type { Engine } from '../core/engine.js';
import type { Logger } from '../core/logger.js';
import { format, type Messages } from '../core/messages.js';
import type { SubscriberStore } from '../core/subscribers.js';
import type { FloodCounter, FloodLimit, HeldUserLock, UpdateGuard } from '../core/update-guard.js';
import {
  DEFAULT_RETRY_SCHEDULE,
  type AdmitResult,
  type JournalEntry,
  type ParkedUpdate,
  type QueuedUpdate,
  type RetrySchedule,
  type UpdateJournal,
  type UserRef,
} from '../core/update-journal.js';

export interface InboundUpdate {
  message: InboundMessage;
  /** Unique per platform update (for example `tg:<bot>:<update_id>`); omitted where nothing is redelivered. */
  dedupKey?: string;
  displayName?: string;
  /** The platform's chat to write to later (announcements, status changes), when it differs from the user id. */
  chatId?: string;
}

/** Sends replies on the user's channel, within the request that brought the update. */
export type Deliver = (replies: Reply[]) => Promise<void>;

/** Sends replies to a user outside any request: how a retry, or an update another request recorded, is answered. */
export type Push = (to: { userId: string; chatId?: string }, replies: Reply[]) => Promise<void>;

/**
 * 'handled': answered now. 'accepted': recorded, and answered by whoever holds the user or by a retry.
 * 'duplicate': seen before. 'flooded': over the flood limit. 'failed': a web or terminal message that could not
 * be answered (the user was told to try again shortly).
 */
export type InboxOutcome = 'handled' | 'accepted' | 'duplicate' | 'flooded' | 'failed';

export interface Inbox {
  receive(update: InboundUpdate, deliver: Deliver): Promise<InboxOutcome>;
  /** Tells the inbox how to reach a channel's users outside a request. */
  attach(channel: ChannelName, push: Push): void;
  /** Answers the users whose retry time has come; returns how many users were looked at. */
  sweep(): Promise<number>;
  parked(limit: number): Promise<{ total: number; recent: ParkedUpdate[] }>;
}

export interface InboxOptions {
  engine: Engine;
  guard: UpdateGuard;
  journal: UpdateJournal;
  subscribers: SubscriberStore;
  messages: Messages;
  flood: FloodLimit;
  logger: Logger;
  retry?: RetrySchedule;
  /** While a process works on a user, the user is due again after this long (in case the process dies). */
  watchdogMs?: number;
  /** Users looked at per sweep. */
  sweepBatch?: number;
  now?: () => number;
}

const PUSH = new Set<ChannelName>(PUSH_CHANNELS);
/** After finding a user held by someone else, look again this soon (the holder may have just let go). */
const BUSY_RECHECK_MS = 500;

export function createInbox({
  engine,
  guard,
  journal,
  subscribers,
  messages,
  flood,
  logger,
  retry = DEFAULT_RETRY_SCHEDULE,
  watchdogMs = 15_000,
  sweepBatch = 50,
  now = Date.now,
}: InboxOptions): Inbox {
  const pushers = new Map<ChannelName, Push>();

  async function admit(message: InboundMessage, deliver: Deliver): Promise<boolean> {
    // The terminal chat is the operator at the keyboard (or a script piping a test conversation).
    const verdict = message.channel === 'cli' ? 'ok' : await guard.hit(message.channel, message.userId);
    if (verdict === 'ok') return true;
    if (verdict === 'warn') await warnFlood(message, deliver);
    return false;
  }

  async function warnFlood(message: InboundMessage, deliver: Deliver): Promise<void> {
    logger.info({ channel: message.channel, event: 'flood' }, 'flood limit reached');
    await deliver([{ text: format(messages.flood, { seconds: flood.windowSeconds }) }]);
  }

  async function touch({ message, displayName, chatId }: InboundUpdate): Promise<void> {
    // Only channels the bot can write to first have subscribers; a web visitor leaves nothing permanent.
    if (PUSH.has(message.channel))
      await subscribers.touch(message.channel, message.userId, { displayName, chatId, at: now() });
  }

  /** A web or terminal message: answered within its request. */
  async function answerNow(update: InboundUpdate, deliver: Deliver): Promise<InboxOutcome> {
    const { message } = update;
    let replies: Reply[];
    try {
      if (!(await admit(message, deliver))) return 'flooded';
      replies = await guard.withUserLock(message.channel, message.userId, async () => {
        await touch(update);
        return engine.handle(message);
      });
    } catch (err) {
      logger.error({ channel: message.channel, err: (err as Error).message }, 'message not answered');
      await deliver([{ text: messages.unavailable }]);
      return 'failed';
    }
    await deliver(replies);
    return 'handled';
  }

  /** One attempt at the head of a user's queue (its attempt already counted by `journal.next`). */
  async function attempt(
    user: UserRef,
    entry: JournalEntry,
    inline?: { dedupKey: string; deliver: Deliver },
  ): Promise<'done' | 'parked' | 'retry'> {
    const { update } = entry;
    const { dedupKey } = update;
    const log = logger.child({ channel: user.channel, update: dedupKey });
    const park = async (reason: string) => {
      log.error({ event: 'parked', attempts: entry.attempts, reason }, 'update parked after repeated failures');
      await journal.park(user, { dedupKey, channel: user.channel, attempts: entry.attempts, reason, at: now() });
      return 'parked' as const;
    };
    // Attempts are counted before they start: an update that kills its process is still parked in the end.
    if (entry.attempts > retry.maxAttempts) return park('abandoned by its process');
    try {
      const push = pushers.get(user.channel);
      const deliver: Deliver | undefined =
        inline?.dedupKey === dedupKey
          ? inline.deliver
          : push && ((replies) => push({ userId: user.userId, chatId: update.chatId }, replies));
      if (!deliver) throw new Error(`no way to reach ${user.channel} users from this process`);
      if (!entry.replies) {
        await touch(update);
        // Recorded before it is sent: a retry or a redelivery sends this answer, it does not run the engine again.
        // Recorded as the engine saves the conversation state (one round trip for both), or after an answer that
        // saved none.
        let recorded = false;
        const replies = await engine.handle({ ...update.message, updateKey: dedupKey }, async (answer) => {
          await journal.answered(dedupKey, { ...entry, replies: answer });
          recorded = true;
        });
        entry.replies = replies;
        if (!recorded) await journal.answered(dedupKey, entry);
      }
      await deliver(entry.replies);
      return 'done';
    } catch (err) {
      const reason = (err as Error).message;
      if (entry.attempts >= retry.maxAttempts) return park(reason);
      const delay = retry.delayMs(entry.attempts);
      log.warn({ attempts: entry.attempts, retryInMs: delay, err: reason }, 'update failed, will retry');
      await journal.dueAt(user, now() + delay);
      return 'retry';
    }
  }

  /** Answers the user's queue, oldest first, if nobody else holds the user now; false when someone does. */
  async function drain(
    user: UserRef,
    inline?: { dedupKey: string; deliver: Deliver },
    /** Takes the lock and begins the first update in one step of the journal's store ('busy': not taken). */
    begin?: (lock: HeldUserLock) => Promise<'busy' | { entry: JournalEntry | undefined }>,
  ): Promise<boolean> {
    // Answering an update just accepted, the journal may take the lock and begin in one step (a lock of its store).
    const takeFirst = begin ?? (inline && journal.take ? (lock: HeldUserLock) => takeWith(user, lock) : undefined);
    let taken: { entry: JournalEntry | undefined } | undefined;
    const take = takeFirst
      ? async (lock: HeldUserLock) => {
          const begun = await takeFirst(lock);
          if (begun === 'busy') return false;
          taken = begun;
          return true;
        }
      : undefined;
    const held = await guard.tryUserLock(
      user.channel,
      user.userId,
      async (lock) => {
        // If this process dies now, another one looks at the user once the lock has expired.
        if (!inline) await journal.dueAt(user, now() + watchdogMs);
        let finished: string | undefined;
        for (;;) {
          // With nothing left, the journal may let the lock go in the same step (a lock of its own store).
          const entry = taken ? taken.entry : await journal.next(user, finished, lock);
          taken = undefined;
          finished = undefined;
          if (!entry) return;
          const outcome = await attempt(user, entry, inline);
          if (outcome === 'retry') return;
          if (outcome === 'done') finished = entry.update.dedupKey;
        }
      },
      take,
    );
    return held.ran;
  }

  async function takeWith(user: UserRef, lock: HeldUserLock): Promise<'busy' | { entry: JournalEntry | undefined }> {
    const begun = await journal.take!(user, lock);
    return begun === 'busy' ? 'busy' : { entry: begun };
  }

  /** A delivery that remembers whether it ran: the update was answered now ('handled'), not only recorded. */
  function tracked(deliver: Deliver): { deliver: Deliver; handled: boolean } {
    const delivery = {
      handled: false,
      deliver: async (replies: Reply[]) => {
        await deliver(replies);
        delivery.handled = true;
      },
    };
    return delivery;
  }

  /**
   * A platform update where the journal counts the flood limit, records the update and takes the user's lock in
   * one step (UpdateJournal.admit): the same outcomes as `receive`'s steps one by one, in one round trip.
   */
  async function admitAndAnswer(update: QueuedUpdate, flood: FloodCounter, deliver: Deliver): Promise<InboxOutcome> {
    const { message, dedupKey } = update;
    const dueAt = now() + watchdogMs;
    let admitted: AdmitResult | undefined;
    const delivery = tracked(deliver);
    let ran = false;
    try {
      ran = await drain(message, { dedupKey, deliver: delivery.deliver }, async (lock) => {
        admitted = await journal.admit!(update, dueAt, flood, lock);
        return admitted.outcome === 'accepted' && admitted.taken && admitted.taken !== 'busy' ? admitted.taken : 'busy';
      });
    } catch (err) {
      // Not recorded: thrown, so that the platform is told to deliver it again.
      if (!admitted) throw err;
      logger.error({ channel: message.channel, err: (err as Error).message }, 'inbox drain failed');
    }
    // This process already holds the user (the lock was not tried): only recorded, for the holder to answer.
    admitted ??= await journal.admit!(update, dueAt, flood);
    if (admitted.outcome === 'flooded') {
      if (admitted.verdict === 'warn') await warnFlood(message, deliver);
      return 'flooded';
    }
    if (admitted.outcome === 'duplicate') return 'duplicate';
    if (!ran) {
      try {
        await journal.dueAt(message, now() + BUSY_RECHECK_MS);
      } catch (err) {
        logger.error({ channel: message.channel, err: (err as Error).message }, 'inbox drain failed');
      }
    }
    return delivery.handled ? 'handled' : 'accepted';
  }

  return {
    async receive(update, deliver) {
      const { dedupKey, message } = update;
      if (!dedupKey) return answerNow(update, deliver);
      const counter = journal.admit && guard.floodCounter?.(message.channel, message.userId);
      if (counter) return admitAndAnswer({ ...update, dedupKey }, counter, deliver);
      if (!(await admit(message, deliver))) return 'flooded';
      // Throws when the journal cannot record it: the platform is then told to deliver it again.
      // A redelivery changes nothing: a retry is already scheduled, and work a dead process left is due soon.
      // Accepted, the user is due after the watchdog's time, in case this process dies before answering.
      if ((await journal.accept({ ...update, dedupKey }, now() + watchdogMs)) === 'duplicate') return 'duplicate';
      const delivery = tracked(deliver);
      try {
        const ran = await drain(message, { dedupKey, deliver: delivery.deliver });
        // Someone else holds the user and answers what is queued; should they have just finished, a sweep soon
        // picks this update up.
        if (!ran) await journal.dueAt(message, now() + BUSY_RECHECK_MS);
      } catch (err) {
        logger.error({ channel: message.channel, err: (err as Error).message }, 'inbox drain failed');
      }
      return delivery.handled ? 'handled' : 'accepted';
    },

    attach(channel, push) {
      pushers.set(channel, push);
    },

    async sweep() {
      const users = (await journal.due(now(), sweepBatch)).filter((u) => pushers.has(u.channel));
      await Promise.all(
        users.map((user) =>
          drain(user).catch((err: Error) => logger.error({ channel: user.channel, err: err.message }, 'sweep failed')),
        ),
      );
      return users.length;
    },

    parked: (limit) => journal.parked(limit),
  };
}

/** Runs `inbox.sweep()` every `intervalMs` while the process serves, one sweep at a time. */
export function createSweeper(
  inbox: Inbox,
  logger: Logger,
  intervalMs = 1000,
): { start(): Promise<void>; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = inbox
      .sweep()
      .catch((err: Error) => logger.error({ err: err.message }, 'inbox sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  return {
    async start() {
      stopped = false;
      timer = setTimeout(tick, intervalMs).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
