/**
 * What every broadcaster does the same way, whatever runs its sends (BullMQ workers, or this process): the
 * preview, a new campaign from an officer's request (its frame, its start outside quiet hours unless urgent, its
 * audience), and the in-doubt recipients as officers see them.
 */
import type { Logger } from '../logger.js';
import type { SubmissionStore } from '../registration/types.js';
import type { SubscriberStore } from '../subscribers.js';
import { maskPersonalData } from '../text/mask.js';
import { resolveAudience } from './audience.js';
import type { CampaignRequest } from './broadcaster.js';
import type { WriteRetry } from './delivery.js';
import type { ChannelLimits } from './pacing.js';
import type { AnnouncementSender } from './sender.js';
import { nextAllowed, type QuietHours } from './quiet-hours.js';
import {
  BROADCAST_CHANNELS,
  framed,
  renderAnnouncement,
  type AnnouncementContent,
  type AnnouncementFrame,
  type BroadcastChannel,
  type Campaign,
  type CampaignStatus,
  type InDoubtRecipient,
  type Recipient,
  type Segment,
} from './types.js';

export interface CampaignContext {
  subscribers: SubscriberStore;
  submissions: SubmissionStore;
  /** The sender line and footer every announcement gets (kept with the campaign when it is created). */
  frame?: AnnouncementFrame;
  quietHours?: QuietHours;
}

/** What every broadcaster is built with. */
export interface BroadcasterBaseOptions extends CampaignContext {
  /** One per channel that can send; recipients on a channel without one wait (no worker for it). */
  senders: AnnouncementSender[];
  limits: Record<BroadcastChannel, ChannelLimits>;
  /** Sends a process has in flight at once per channel. */
  concurrency?: number;
  logger: Logger;
  /** Told of every send slot handed out (ms, on the store's clock): what pacing scheduled, for tests and metrics. */
  onSlot?: (slot: { channel: BroadcastChannel; chatId: string; slot: number; wait: number }) => void;
  /** How writes after a claim are retried while the store is unreachable (tests shorten it). */
  outcomeRetry?: WriteRetry;
}

/** A recipient recorded as in doubt, as a store keeps it. */
export interface InDoubtEntry {
  channel: string;
  userId: string;
  claimedAt: number;
  /** The worker (host-pid-random) that claimed the send. */
  worker: string;
  round: number;
}

/** A recipient's key in a campaign's states ("telegram:123"). */
export const recipientKey = (r: Pick<Recipient, 'channel' | 'userId'>) => `${r.channel}:${r.userId}`;

/** An id as officers may see it: its last three characters. */
export const maskId = (id: string) => `•••${id.slice(-3)}`;

export async function previewCampaign(
  ctx: CampaignContext,
  content: AnnouncementContent,
  segment?: Segment,
): Promise<{ recipients: number; byChannel: Record<BroadcastChannel, number>; preview: string }> {
  const recipients = await resolveAudience(segment, ctx.subscribers, ctx.submissions);
  const byChannel = Object.fromEntries(
    BROADCAST_CHANNELS.map((c) => [c, recipients.filter((r) => r.channel === c).length]),
  ) as Record<BroadcastChannel, number>;
  return { recipients: recipients.length, byChannel, preview: renderAnnouncement(framed(content, ctx.frame)) };
}

/**
 * The campaign an officer's request makes, framed, starting at sendAt (or now), moved out of quiet hours unless
 * urgent; its recipients; and its first status (scheduled when it starts more than a second from now).
 */
export async function planCampaign(
  ctx: CampaignContext,
  request: CampaignRequest,
  id: string,
  at: number,
): Promise<{ campaign: Campaign; recipients: Recipient[]; status: CampaignStatus }> {
  const requested = request.sendAt ?? at;
  const urgent = request.urgent ?? false;
  const startAt = urgent ? requested : nextAllowed(requested, ctx.quietHours);
  const recipients = await resolveAudience(request.segment, ctx.subscribers, ctx.submissions);
  const campaign: Campaign = {
    id,
    content: framed(request.content, ctx.frame),
    ...(request.segment ? { segment: request.segment } : {}),
    urgent,
    createdBy: request.createdBy,
    createdAt: at,
    startAt,
  };
  return { campaign, recipients, status: startAt > at + 1000 ? 'scheduled' : 'running' };
}

/** Who is in doubt, as officers see people: display name (numbers masked) and a masked id, never a phone. */
export function describeInDoubt(entries: InDoubtEntry[], subscribers: SubscriberStore): Promise<InDoubtRecipient[]> {
  return Promise.all(
    entries.map(async (e) => {
      const channel = e.channel as BroadcastChannel;
      const name = (await subscribers.get(channel, e.userId).catch(() => undefined))?.displayName;
      return {
        channel,
        ...(name ? { name: maskPersonalData(name) } : {}),
        maskedId: maskId(e.userId),
        claimedAt: e.claimedAt,
        worker: e.worker,
      };
    }),
  );
}
