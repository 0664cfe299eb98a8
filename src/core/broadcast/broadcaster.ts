/** What officers do with announcement campaigns (the port the officer API and chat commands use). */
import type { AnnouncementContent, BroadcastChannel, CampaignReport, Segment } from './types.js';

export interface CampaignRequest {
  content: AnnouncementContent;
  segment?: Segment;
  urgent?: boolean;
  sendAt?: number;
  createdBy: string;
}

export interface Broadcaster {
  preview(
    content: AnnouncementContent,
    segment?: Segment,
  ): Promise<{ recipients: number; byChannel: Record<BroadcastChannel, number>; preview: string }>;
  create(request: CampaignRequest): Promise<CampaignReport>;
  report(id: string): Promise<CampaignReport | undefined>;
  list(limit?: number): Promise<CampaignReport[]>;
  cancel(id: string): Promise<CampaignReport | undefined>;
  /** Starts the workers and re-enqueues recipients of unfinished campaigns (after a crash). */
  start(): Promise<void>;
  close(): Promise<void>;
}
