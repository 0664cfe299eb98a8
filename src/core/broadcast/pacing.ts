/**
 * The pace of announcements: each send waits for its channel's next slot (evenly spaced across every worker
 * process), a chat gets at most one announcement per interval, a 429 pushes the channel's slots back by its
 * retry_after, and a campaign cancelled during a long wait is not sent. Where the slots and gates are kept is the
 * store's business (Redis, on its own clock).
 *
 * With a claim (see delivery.ts), the recipient is claimed only once its slot has come, just before the request,
 * and given back while a 429 makes it wait for another slot: a claimed recipient always has a request in flight.
 */
import type { Logger } from '../logger.js';
import { RateLimitedError, type AnnouncementSender, type SendResult } from './sender.js';
import type { AnnouncementContent, BroadcastChannel } from './types.js';

export interface ChannelLimits {
  /** Announcements per second on this channel, across all worker processes. */
  perSecond: number;
  /** At least this long between two announcements to one chat. */
  perChatIntervalMs: number;
}

/** Shared slots and gates. */
export interface PacingStore {
  /** The channel's next send slot, intervalMs after the last one (plus extraDelayMs): its time and the wait. */
  reserveSlot(channel: string, intervalMs: number, extraDelayMs?: number): Promise<{ slot: number; wait: number }>;
  /** Keeps the chat's gate closed for `ms` from now. */
  holdChatGate(channel: string, chatId: string, ms: number): Promise<void>;
  isCancelled(campaignId: string): Promise<boolean>;
}

export interface PacingOptions {
  store: PacingStore;
  limits: Record<BroadcastChannel, ChannelLimits>;
  log: Logger;
  /** Told of every slot handed out, before its wait: what was scheduled (tests, metrics). */
  onSlot?: (slot: { channel: BroadcastChannel; chatId: string; slot: number; wait: number }) => void;
  wait?: (ms: number) => Promise<unknown>;
}

/** Claiming the recipient right before its request, and giving it back when it must wait again. */
export interface SendClaim {
  /** False: someone else settled or holds the recipient meanwhile; nothing is sent. */
  claim(): Promise<boolean>;
  release(): Promise<void>;
}

/** How many 429s one send waits out before it fails (and the queue's retry takes over). */
export const RATE_LIMIT_WAITS = 5;
/** A wait longer than this re-checks whether the campaign was cancelled meanwhile. */
const LONG_WAIT_MS = 1000;

/**
 * One send at the channel's pace; 'cancelled' when the campaign was cancelled while it waited, 'skipped' when the
 * claim was refused.
 */
export function createPacedSend({
  store,
  limits,
  log,
  onSlot,
  wait = (ms) => new Promise((r) => setTimeout(r, ms)),
}: PacingOptions) {
  return async function pacedSend(
    channel: BroadcastChannel,
    sender: AnnouncementSender,
    chatId: string,
    campaignId: string,
    content: AnnouncementContent,
    claim?: SendClaim,
  ): Promise<SendResult | 'cancelled' | 'skipped'> {
    const interval = 1000 / limits[channel].perSecond;
    let extraDelay = 0;
    for (let waits = 0; ; waits++) {
      const reserved = await store.reserveSlot(channel, interval, extraDelay);
      onSlot?.({ channel, chatId, ...reserved });
      // The chat's interval counts from the send itself: keep its gate closed while this send waits for its slot.
      if (limits[channel].perChatIntervalMs > 0) {
        await store.holdChatGate(channel, chatId, reserved.wait + limits[channel].perChatIntervalMs);
      }
      if (reserved.wait > 0) await wait(reserved.wait);
      // A long wait (a backlog, a 429) may outlast the campaign: a cancel in the meantime is honoured.
      if (reserved.wait > LONG_WAIT_MS && (await store.isCancelled(campaignId))) return 'cancelled';
      if (claim && !(await claim.claim())) return 'skipped';
      try {
        return await sender.send(chatId, content);
      } catch (err) {
        if (!(err instanceof RateLimitedError) || waits >= RATE_LIMIT_WAITS) throw err;
        log.warn({ channel, retryAfterMs: err.retryAfterMs }, 'platform rate limit: waiting');
        // Refused, so not sent: not claimed while it waits for its next slot.
        await claim?.release();
        extraDelay = err.retryAfterMs;
      }
    }
  };
}
