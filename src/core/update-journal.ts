/**
 * The journal that makes an update's fate ours rather than the platform's. An update from Telegram or Zalo is
 * accepted once it is recorded here (and the platform is then told 200); from then on it is answered exactly
 * once, by whichever process gets to it first, with our own retries and our own dead letter:
 *
 * - each user has a queue of accepted updates, handled head first, so one user's messages stay in order;
 * - an update's answer is recorded before it is sent, so a redelivery or a retry after a failed send replays
 *   the recorded answer instead of running the engine (and the form) a second time;
 * - every attempt is counted before it starts, so an update that keeps failing, or keeps killing its process,
 *   is parked after a few attempts instead of blocking the user's next message;
 * - a user with work left (a failed attempt waiting for its retry, or a process that died holding the user)
 *   is listed as due at a time, and a sweeper in every process picks up what is due.
 */
import type { ChannelName, InboundMessage, Reply } from './conversation.js';
import type { FloodCounter, FloodVerdict, HeldUserLock } from './update-guard.js';

/** What is kept of an update until it is handled: enough to run it later on any process. */
export interface QueuedUpdate {
  message: InboundMessage;
  /** Unique per update (for example `tg:<bot>:<update_id>`). */
  dedupKey: string;
  displayName?: string;
  /** The platform's chat to answer in, when it differs from the user id. */
  chatId?: string;
}

export interface JournalEntry {
  update: QueuedUpdate;
  /** Attempts started so far, the current one included. */
  attempts: number;
  /** The engine's answer, once it was computed: later attempts only deliver it. */
  replies?: Reply[];
}

export interface ParkedUpdate {
  dedupKey: string;
  channel: ChannelName;
  attempts: number;
  reason: string;
  at: number;
}

export interface UserRef {
  channel: ChannelName;
  userId: string;
}

export interface UpdateJournal {
  /**
   * Records an update at the tail of its user's queue; 'duplicate' when this update was seen before. `dueAt`: when
   * to look at the user if nobody answers the update before then (a watchdog, in case the process dies).
   */
  accept(update: QueuedUpdate, dueAt: number): Promise<'accepted' | 'duplicate'>;
  /**
   * Marks `finished` (the update just answered, if any) done, then begins the user's oldest unanswered update:
   * counts one more attempt at it and returns it. When nothing is left, drops the user from the due list (atomic
   * with `accept`) and returns undefined; given the user's lock from the same store, it then lets that go too, in
   * the same step, and marks it released (one round trip fewer per update).
   */
  next(user: UserRef, finished?: string, lock?: HeldUserLock): Promise<JournalEntry | undefined>;
  /**
   * Takes the user's lock (a lock of the journal's own store) and begins the oldest unanswered update, as `next`
   * does, in one step: 'busy' when someone else holds the lock. With nothing to begin, lets the lock go again.
   * Optional: without it, the guard takes the lock and `next` begins.
   */
  take?(user: UserRef, lock: HeldUserLock): Promise<'busy' | JournalEntry | undefined>;
  /**
   * `accept` with the flood count before it and, given a lock, `take` after it, in one step (one round trip
   * instead of three): counts the update against `flood` (a counter of the journal's own store), records it unless
   * flooded or a duplicate, and then tries the lock. Optional.
   */
  admit?(update: QueuedUpdate, dueAt: number, flood: FloodCounter, lock?: HeldUserLock): Promise<AdmitResult>;
  /** Records the answer computed for an update, before it is sent. */
  answered(dedupKey: string, entry: JournalEntry): Promise<void>;
  /** Takes an update that keeps failing off the queue into the dead letter. */
  park(user: UserRef, parked: ParkedUpdate): Promise<void>;
  /** The user has work left: look again at `at` (a retry's time, or a watchdog while a process works). */
  dueAt(user: UserRef, at: number): Promise<void>;
  /** Users whose due time has passed, oldest first. */
  due(now: number, limit: number): Promise<UserRef[]>;
  /** The most recent parked updates, newest first, and how many were parked in all. */
  parked(limit: number): Promise<{ total: number; recent: ParkedUpdate[] }>;
}

/**
 * What `admit` did: over the flood limit (not recorded), a duplicate, or accepted; with a lock given, `taken` is
 * what `take` would have returned.
 */
export type AdmitResult =
  | { outcome: 'flooded'; verdict: Exclude<FloodVerdict, 'ok'> }
  | { outcome: 'duplicate' }
  | { outcome: 'accepted'; taken?: 'busy' | { entry: JournalEntry | undefined } };

/** How an update is retried: attempts before it is parked, and the pause before attempt n + 1. */
export interface RetrySchedule {
  maxAttempts: number;
  delayMs(attempts: number): number;
}

/** Doubling pauses from `baseMs`, at most a minute. */
export function retrySchedule(maxAttempts: number, baseMs: number): RetrySchedule {
  return { maxAttempts, delayMs: (attempts) => Math.min(baseMs * 2 ** (attempts - 1), 60_000) };
}

// 2 s, 4 s, 8 s, 16 s: a platform outage of half a minute is ridden out, a poison update is parked quickly.
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = retrySchedule(5, 2000);

/** `telegram:123` ↔ {channel, userId}; channel names have no colon, user ids may. */
export function userMember({ channel, userId }: UserRef): string {
  return `${channel}:${userId}`;
}

export function parseUserMember(member: string): UserRef {
  const at = member.indexOf(':');
  return { channel: member.slice(0, at) as ChannelName, userId: member.slice(at + 1) };
}
