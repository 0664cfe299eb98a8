/** Announcements ("thông báo") to chosen audiences: what an officer asks for and what a campaign reports. */
import type { ChannelName } from '../channel-names.js';
import type { SubmissionStatus } from '../registration/types.js';

/** Channels announcements can reach (the bot can write first there). */
export const BROADCAST_CHANNELS = ['telegram', 'zalo'] as const;
export type BroadcastChannel = (typeof BROADCAST_CHANNELS)[number];

/**
 * Who receives it. Without a segment: everyone opted in. Each given list narrows the audience (AND between
 * lists, OR within one). `submissionStatuses` reaches producers whose submissions have that status, opted in
 * or not: it is about their own submission.
 */
export interface Segment {
  channels?: BroadcastChannel[];
  communes?: string[];
  /** Classification codes or prefixes ("I.2" matches "I.2.b"). */
  groups?: string[];
  submissionStatuses?: SubmissionStatus[];
}

export interface AnnouncementContent {
  text: string;
  link?: string;
  imageUrl?: string;
  /** Who sends it, the first line recipients read (ANNOUNCEMENT_SENDER); set by the broadcaster, not officers. */
  sender?: string;
  /** How to stop the announcements (prompts/messages.yaml announcement_footer); set by the broadcaster. */
  footer?: string;
}

/** What the broadcaster adds around every announcement's text. */
export interface AnnouncementFrame {
  sender?: string;
  footer?: string;
}

/** The content with the frame's sender line and footer (blank ones left out). */
export function framed(content: AnnouncementContent, frame: AnnouncementFrame = {}): AnnouncementContent {
  const sender = frame.sender?.trim();
  const footer = frame.footer?.trim();
  return { ...content, ...(sender ? { sender } : {}), ...(footer ? { footer } : {}) };
}

export interface Recipient {
  channel: BroadcastChannel;
  userId: string;
  chatId: string;
}

/** An in-doubt recipient as the report shows it. */
export interface InDoubtRecipient {
  channel: BroadcastChannel;
  /** The subscriber's display name, numbers masked; absent when unknown. */
  name?: string;
  /** The platform id, all but its last characters hidden. */
  maskedId: string;
  /** When the send was claimed, and by which worker (host, process). */
  claimedAt: number;
  worker: string;
}

/** How many in-doubt recipients a report lists. */
export const IN_DOUBT_LISTED = 200;

export type CampaignStatus = 'scheduled' | 'running' | 'done' | 'cancelled';

export interface Campaign {
  id: string;
  content: AnnouncementContent;
  segment?: Segment;
  urgent: boolean;
  createdBy: string;
  createdAt: number;
  /** When sending may begin (after sendAt and outside quiet hours unless urgent). */
  startAt: number;
}

export interface CampaignReport {
  id: string;
  status: CampaignStatus;
  total: number;
  sent: number;
  failed: number;
  /** Blocked the bot or deactivated: marked inactive, not retried. */
  blocked: number;
  /** Not sent because the campaign was cancelled. */
  cancelled: number;
  /** Not settled yet: queued, waiting for a send slot, or with a request in flight. */
  pending: number;
  /**
   * Sends whose request was in flight when its worker died (or whose outcome could not be recorded): the platform
   * may or may not have delivered them. Not counted as sent, never repeated on their own (at most once): an
   * officer may resend to them (`resendInDoubt`).
   */
  inDoubt: number;
  /** Who is in doubt (at most IN_DOUBT_LISTED of them), as officers see people: never a phone number. */
  inDoubtRecipients?: InDoubtRecipient[];
  /** Recipients an officer resent to, all resends together. */
  resent: number;
  /** The last resend to in-doubt recipients. */
  resentAt?: number;
  text: string;
  urgent: boolean;
  segment?: Segment;
  /** The officer who created it (display name, "admin" for the token, or a chat officer's label). */
  createdBy?: string;
  createdAt: number;
  startAt: number;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
}

/** What a report says of the campaign itself and of its timing, the same whichever store keeps its progress. */
export function campaignFacts(
  c: Campaign,
  times: { startedAt?: number; finishedAt?: number },
): Pick<
  CampaignReport,
  | 'id'
  | 'text'
  | 'urgent'
  | 'segment'
  | 'createdBy'
  | 'createdAt'
  | 'startAt'
  | 'startedAt'
  | 'finishedAt'
  | 'durationMs'
> {
  const { startedAt, finishedAt } = times;
  return {
    id: c.id,
    text: c.content.text,
    urgent: c.urgent,
    segment: c.segment,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    startAt: c.startAt,
    startedAt,
    finishedAt,
    durationMs: startedAt !== undefined && finishedAt !== undefined ? finishedAt - startedAt : undefined,
  };
}

export function isBroadcastChannel(channel: ChannelName): channel is BroadcastChannel {
  return (BROADCAST_CHANNELS as readonly string[]).includes(channel);
}

/** The text as recipients see it. */
export function renderAnnouncement(content: AnnouncementContent): string {
  return [content.sender, content.text, content.link, content.footer].filter(Boolean).join('\n\n');
}
