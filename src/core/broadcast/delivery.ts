/**
 * What happens to one recipient of a campaign, whoever runs the queue, in this order: the chat's gate; the send
 * slot; the claim (recorded with when and by which worker); the request; its outcome. Only a recipient whose
 * request was started is ever claimed, so only a request actually in flight can be in doubt.
 *
 * - Final states: sent; blocked (the platform said the user blocked the bot: the subscriber becomes inactive);
 *   failed (a permanent error, or the last attempt); cancelled.
 * - A job that finds its recipient still claimed by an earlier run of the same job (that worker died, or lost the
 *   job while cut off from Redis, between its claim and its outcome) records it as in doubt: it may have gone out,
 *   so it is not sent again on its own. An officer may resend to those (a new round, see RecipientStore).
 * - Outcome writes are retried with bounded backoff (Redis restarting must not turn a delivered recipient into an
 *   in-doubt one); one that arrives after the recipient was recorded in doubt replaces the doubt.
 * - A claim that fails (Redis unreachable) sent nothing: it is given back if it was recorded, and the queue
 *   retries. A transient send error gives the claim back and throws, so the queue retries.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { SubscriberStore } from '../subscribers.js';
import type { createPacedSend, ChannelLimits } from './pacing.js';
import { PermanentSendError, type AnnouncementSender } from './sender.js';
import type { BroadcastChannel, Campaign } from './types.js';

/**
 * 'free' (check only: go on), 'claimed', 'in_doubt' (just recorded as in doubt), 'cancelled' (just settled as
 * cancelled), or the kind of state the recipient is in (nothing to do).
 */
export type ClaimOutcome =
  | 'free'
  | 'claimed'
  | 'in_doubt'
  | 'cancelled'
  | 'sending'
  | 'resend'
  | 'sent'
  | 'failed'
  | 'blocked'
  | 'gone';
export type FinalOutcome = 'sent' | 'failed' | 'blocked';

/**
 * Per-recipient states of campaigns, shared by every worker. A round is one pass over a recipient: 0 for the
 * campaign, 1, 2… for each resend an officer asked for; a job claims only its own round.
 */
export interface RecipientStore {
  /** Before waiting for a slot: is there anything to send? Records a dead claimant's send as in doubt. */
  check(campaignId: string, recipient: string, round: number, now: number): Promise<ClaimOutcome>;
  /** Right before the request: claims the recipient for this send, recording when and by whom (`claimId`). */
  claim(campaignId: string, recipient: string, round: number, claimId: string, now: number): Promise<ClaimOutcome>;
  /** Records the outcome of this claim's send: 'recorded', 'resolved' (it was in doubt), 'stale' (not this claim's). */
  finish(
    campaignId: string,
    recipient: string,
    claimId: string,
    outcome: FinalOutcome,
    now: number,
  ): Promise<'recorded' | 'resolved' | 'stale'>;
  /** Gives this claim back (nothing was sent); a no-op when the recipient is not claimed by it. */
  unclaim(campaignId: string, recipient: string, claimId: string): Promise<void>;
  passChatGate(channel: string, chatId: string, intervalMs: number): Promise<void>;
}

/** How writes after a claim are retried: `attempts` in all, waits doubling from `baseMs` up to `maxMs`. */
export interface WriteRetry {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/** About 25 s in all: long enough for Redis to restart, short enough that the job's lock is rarely lost meanwhile. */
export const OUTCOME_RETRY: WriteRetry = { attempts: 9, baseMs: 100, maxMs: 5000 };

export interface RecipientDeliveryOptions {
  store: RecipientStore;
  subscribers: SubscriberStore;
  limits: Record<BroadcastChannel, ChannelLimits>;
  paced: ReturnType<typeof createPacedSend>;
  log: Logger;
  now: () => number;
  /** This worker's name in claims (default: host, process id and a random part). */
  workerId?: string;
  retry?: WriteRetry;
  sleep?: (ms: number) => Promise<unknown>;
}

export interface RecipientJob {
  campaign: Campaign;
  channel: BroadcastChannel;
  sender: AnnouncementSender;
  /** The recipient's key in the campaign's states ("telegram:123"). */
  field: string;
  userId: string;
  chatId: string;
  /** 0: the campaign's own pass; n: the officer's n-th resend to this recipient. */
  round: number;
  /** No retry follows a failure of this attempt. */
  lastAttempt: boolean;
}

/** host-pid-random: which process claimed a send (no ':' in it, the states' separator). */
export function defaultWorkerId(): string {
  return `${hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function createRecipientDelivery({
  store,
  subscribers,
  limits,
  paced,
  log,
  now,
  workerId = defaultWorkerId(),
  retry = OUTCOME_RETRY,
  sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
}: RecipientDeliveryOptions) {
  let claims = 0;

  /** The write, retried with bounded backoff; the last error is thrown. */
  async function persist<T>(what: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (attempt >= retry.attempts) throw err;
        const ms = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1));
        log.warn(
          { what, attempt, retryInMs: ms, err: (err as Error).message },
          'broadcast state write failed: retrying',
        );
        await sleep(ms);
      }
    }
  }

  return async function deliver({
    campaign,
    channel,
    sender,
    field,
    userId,
    chatId,
    round,
    lastAttempt,
  }: RecipientJob) {
    const ctx = { campaign: campaign.id, channel, round };
    const state = await store.check(campaign.id, field, round, now());
    if (state === 'in_doubt') {
      log.warn(ctx, 'a send was cut off with its worker (or its outcome was lost): in doubt, not repeated');
      return;
    }
    if (state !== 'free') return;
    await store.passChatGate(channel, chatId, limits[channel].perChatIntervalMs);

    const claimId = `${workerId}#${++claims}`;
    let claimed = false;
    const sendClaim = {
      async claim() {
        try {
          claimed = (await store.claim(campaign.id, field, round, claimId, now())) === 'claimed';
        } catch (err) {
          // Nothing was sent; the claim may have been recorded all the same (its reply lost): give it back.
          await persist('unclaim', () => store.unclaim(campaign.id, field, claimId)).catch(() => undefined);
          throw err;
        }
        return claimed;
      },
      async release() {
        await persist('unclaim', () => store.unclaim(campaign.id, field, claimId));
        claimed = false;
      },
    };

    let result: Awaited<ReturnType<typeof paced>>;
    try {
      result = await paced(channel, sender, chatId, campaign.id, campaign.content, sendClaim);
    } catch (err) {
      if (!claimed) throw err; // nothing was sent: the queue retries
      if (err instanceof PermanentSendError || lastAttempt) {
        await persist('outcome', () => store.finish(campaign.id, field, claimId, 'failed', now()));
        log.warn({ ...ctx, err: (err as Error).message }, 'announcement not delivered');
        return;
      }
      await persist('unclaim', () => store.unclaim(campaign.id, field, claimId));
      throw err;
    }
    // Cancelled while waiting (the cancel settled it) or settled by someone else: nothing was sent.
    if (result === 'cancelled' || result === 'skipped') return;
    const outcome = result.outcome === 'blocked' ? 'blocked' : 'sent';
    const recorded = await persist('outcome', () => store.finish(campaign.id, field, claimId, outcome, now()));
    if (recorded === 'resolved') log.info(ctx, 'outcome recorded late: no longer in doubt');
    if (recorded === 'stale') log.warn(ctx, 'outcome not recorded: the recipient was settled meanwhile');
    if (result.outcome === 'blocked') {
      try {
        await subscribers.markInactive(channel, userId, result.reason);
      } catch (err) {
        log.error({ ...ctx, err: (err as Error).message }, 'could not mark a blocked subscriber inactive');
      }
    }
  };
}
