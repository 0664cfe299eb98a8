/**
 * Where a single process keeps its announcement campaigns (the in-process broadcaster, local-broadcaster.ts): each
 * campaign's document and the state of each of its recipients. The store only keeps what it is given; every rule
 * (who may claim, what counts as settled, what a cancel does) lives in local-recipient-states.ts, which reads a
 * campaign, decides, and writes back the changed parts. One process uses a store at a time, and its writes are
 * made one after another, so a store needs no locking of its own; it must keep each `save` whole (a SQLite
 * implementation: one transaction).
 *
 * A SQLite implementation is two tables: campaigns (id, created_at, the document as JSON) and campaign_recipients
 * (campaign_id, key, state, the record as JSON or as columns; primary key campaign_id + key, an index on
 * campaign_id + state for `recipients(id, state)` and `counts`), plus a sequence for ids. Each send reads and writes
 * one recipient, so no call but `recipients` and `create` needs to touch all of a campaign's rows. Every
 * implementation runs the suite in test/support/campaign-store-contract.ts.
 */
import type { Campaign, CampaignStatus, Recipient } from './types.js';

/** A campaign as kept: what was asked for, and where it stands. */
export interface CampaignDocument {
  campaign: Campaign;
  status: CampaignStatus;
  /** The first claim of a send. */
  startedAt?: number;
  /** When every recipient was first settled. */
  finishedAt?: number;
  /** Recipients an officer resent to, all resends together, and when the last resend was asked for. */
  resent: number;
  resentAt?: number;
}

/**
 * One recipient's state:
 * - pending: not reached yet; `round` 0 for the campaign's own pass, n for an officer's n-th resend;
 * - claimed: its request is in flight (claimedAt, claimId); left so by a stopped process, it becomes in_doubt;
 * - in_doubt: claimed, and its outcome never recorded; not sent again unless an officer resends;
 * - sent, failed, blocked, cancelled: settled.
 */
export const RECIPIENT_STATES = ['pending', 'claimed', 'in_doubt', 'sent', 'failed', 'blocked', 'cancelled'] as const;
export type RecipientStateKind = (typeof RECIPIENT_STATES)[number];

export interface RecipientRecord extends Recipient {
  /** "channel:userId", unique within a campaign (see recipientKey). */
  key: string;
  state: RecipientStateKind;
  round: number;
  claimedAt?: number;
  /** Who claimed the send: the worker's name and a counter ("host-pid-abc123#7"). */
  claimId?: string;
}

export interface CampaignStore {
  /** A new campaign id, never handed out before by this store ("TB-2026-000001"; the year of `at`, Vietnam time). */
  nextId(at: number): Promise<string>;
  /** Keeps a new campaign with its recipients (all pending, round 0); rejects an id already kept. */
  create(document: CampaignDocument, recipients: RecipientRecord[]): Promise<void>;
  /** The campaign's document; undefined when unknown. */
  get(id: string): Promise<CampaignDocument | undefined>;
  /** The newest campaigns first (by createdAt), at most `limit`. */
  list(limit: number): Promise<CampaignDocument[]>;
  /** The campaign's recipients (only those in `state` when given), in the order they were created; [] when unknown. */
  recipients(id: string, state?: RecipientStateKind): Promise<RecipientRecord[]>;
  /** One recipient of the campaign, by key. */
  recipient(id: string, key: string): Promise<RecipientRecord | undefined>;
  /** How many of the campaign's recipients are in each state (every state present, 0 when none). */
  counts(id: string): Promise<Record<RecipientStateKind, number>>;
  /**
   * Writes the changed parts of a campaign at once: the whole new document and/or the recipients given (by key).
   * Rejects for an unknown campaign.
   */
  save(id: string, change: { document?: CampaignDocument; recipients?: RecipientRecord[] }): Promise<void>;
}

/** "TB-<year in Vietnam>-<sequence, 6 digits>", as the Redis store numbers campaigns. */
export function campaignId(at: number, sequence: number): string {
  return `TB-${new Date(at + 7 * 3600 * 1000).getUTCFullYear()}-${String(sequence).padStart(6, '0')}`;
}
