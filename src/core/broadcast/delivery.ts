/**
 * What happens to one recipient of a campaign, whoever runs the queue: claimed once (a recipient claimed by a
 * worker that died is never sent again: counted as sent and "in doubt"), the chat's gate, the paced send, then a
 * final state — sent; blocked (the platform said the user blocked the bot: the subscriber becomes inactive);
 * failed (a permanent error, or the last attempt); cancelled. Anything else gives the claim back and throws, so
 * the queue retries.
 */
import type { Logger } from '../logger.js';
import type { SubscriberStore } from '../subscribers.js';
import type { createPacedSend, ChannelLimits } from './pacing.js';
import { PermanentSendError, type AnnouncementSender } from './sender.js';
import type { BroadcastChannel, Campaign } from './types.js';

export type ClaimOutcome = 'claimed' | 'in_doubt' | 'sent' | 'failed' | 'blocked' | 'cancelled';
/** 'cancelled' here: the campaign was cancelled while this send waited for its slot. */
export type FinalOutcome = 'sent' | 'failed' | 'blocked' | 'cancelled';

/** Per-recipient states of campaigns, shared by every worker. */
export interface RecipientStore {
  claim(campaignId: string, recipient: string, now: number): Promise<ClaimOutcome>;
  finish(
    campaignId: string,
    recipient: string,
    outcome: FinalOutcome,
    now: number,
    inDoubt?: boolean,
  ): Promise<boolean>;
  unclaim(campaignId: string, recipient: string): Promise<void>;
  passChatGate(channel: string, chatId: string, intervalMs: number): Promise<void>;
}

export interface RecipientDeliveryOptions {
  store: RecipientStore;
  subscribers: SubscriberStore;
  limits: Record<BroadcastChannel, ChannelLimits>;
  paced: ReturnType<typeof createPacedSend>;
  log: Logger;
  now: () => number;
}

export interface RecipientJob {
  campaign: Campaign;
  channel: BroadcastChannel;
  sender: AnnouncementSender;
  /** The recipient's key in the campaign's states ("telegram:123"). */
  field: string;
  userId: string;
  chatId: string;
  /** No retry follows a failure of this attempt. */
  lastAttempt: boolean;
}

export function createRecipientDelivery({ store, subscribers, limits, paced, log, now }: RecipientDeliveryOptions) {
  return async function deliver({ campaign, channel, sender, field, userId, chatId, lastAttempt }: RecipientJob) {
    const claim = await store.claim(campaign.id, field, now());
    if (claim === 'in_doubt') {
      // A worker died during this send: it probably went out. Never send twice; report it.
      await store.finish(campaign.id, field, 'sent', now(), true);
      log.warn({ campaign: campaign.id, channel }, 'send interrupted by a dead worker; counted as sent, not repeated');
      return;
    }
    if (claim !== 'claimed') return;
    try {
      await store.passChatGate(channel, chatId, limits[channel].perChatIntervalMs);
      const result = await paced(channel, sender, chatId, campaign.id, campaign.content);
      if (result === 'cancelled') {
        await store.finish(campaign.id, field, 'cancelled', now());
        return;
      }
      if (result.outcome === 'blocked') {
        await subscribers.markInactive(channel, userId, result.reason);
        await store.finish(campaign.id, field, 'blocked', now());
        return;
      }
      await store.finish(campaign.id, field, 'sent', now());
    } catch (err) {
      if (err instanceof PermanentSendError || lastAttempt) {
        await store.finish(campaign.id, field, 'failed', now());
        log.warn({ campaign: campaign.id, channel, err: (err as Error).message }, 'announcement not delivered');
        return;
      }
      await store.unclaim(campaign.id, field);
      throw err;
    }
  };
}
