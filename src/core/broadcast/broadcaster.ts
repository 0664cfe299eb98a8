/** What officers do with announcement campaigns (the port the officer API and chat commands use). */
import type { AnnouncementContent, BroadcastChannel, CampaignReport, Segment } from './types.js';

export interface CampaignRequest {
  content: AnnouncementContent;
  segment?: Segment;
  urgent?: boolean;
  sendAt?: number;
  createdBy: string;
}

/** What a resend to in-doubt recipients did: how many it queued (0 when nobody was in doubt), and the report. */
export type ResendResult = { resent: number; report: CampaignReport } | { error: 'cancelled' };

export interface Broadcaster {
  preview(
    content: AnnouncementContent,
    segment?: Segment,
  ): Promise<{ recipients: number; byChannel: Record<BroadcastChannel, number>; preview: string }>;
  create(request: CampaignRequest): Promise<CampaignReport>;
  report(id: string): Promise<CampaignReport | undefined>;
  list(limit?: number): Promise<CampaignReport[]>;
  cancel(id: string): Promise<CampaignReport | undefined>;
  /**
   * Sends the campaign once more to each recipient in doubt, deliberately (an officer asked): each of them once,
   * however many times this is called at once; the outcomes are recorded as for any send. Undefined: no such
   * campaign.
   */
  resendInDoubt(id: string): Promise<ResendResult | undefined>;
  /** Starts the workers and re-enqueues recipients of unfinished campaigns (after a crash). */
  start(): Promise<void>;
  close(): Promise<void>;
}
