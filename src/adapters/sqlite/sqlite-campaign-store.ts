/**
 * Announcement campaigns in the embedded SQLite database, for the in-process broadcaster without Redis: a
 * campaign's document as JSON and one row per recipient (its state as a column, for the per-state reads). A
 * campaign created with its recipients, and every `save`, is one transaction, so a crash never keeps half of it.
 */
import {
  campaignId,
  RECIPIENT_STATES,
  type CampaignDocument,
  type CampaignStore,
  type RecipientRecord,
  type RecipientStateKind,
} from '../../core/broadcast/campaign-store.js';
import type { SqliteDatabase } from './database.js';

type DocRow = { doc: string };
type RecordRow = { record: string };

export class SqliteCampaignStore implements CampaignStore {
  private readonly nextSequence;
  private readonly insertCampaign;
  private readonly updateCampaign;
  private readonly byId;
  private readonly newest;
  private readonly upsertRecipient;
  private readonly allRecipients;
  private readonly recipientsIn;
  private readonly oneRecipient;
  private readonly stateCounts;

  constructor(private readonly db: SqliteDatabase) {
    this.nextSequence = db.prepare<[number], { last: number }>(
      `INSERT INTO campaign_sequences (year, last) VALUES (?, 1)
       ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`,
    );
    this.insertCampaign = db.prepare<[string, number, string]>(
      'INSERT INTO campaigns (id, created_at, doc) VALUES (?, ?, ?)',
    );
    this.updateCampaign = db.prepare<[string, string]>('UPDATE campaigns SET doc = ? WHERE id = ?');
    this.byId = db.prepare<[string], DocRow>('SELECT doc FROM campaigns WHERE id = ?');
    this.newest = db.prepare<[number], DocRow>('SELECT doc FROM campaigns ORDER BY created_at DESC LIMIT ?');
    this.upsertRecipient = db.prepare<[string, number, string, string, string]>(
      `INSERT INTO campaign_recipients (campaign_id, seq, key, state, record) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, key) DO UPDATE SET state = excluded.state, record = excluded.record`,
    );
    this.allRecipients = db.prepare<[string], RecordRow>(
      'SELECT record FROM campaign_recipients WHERE campaign_id = ? ORDER BY seq',
    );
    this.recipientsIn = db.prepare<[string, string], RecordRow>(
      'SELECT record FROM campaign_recipients WHERE campaign_id = ? AND state = ? ORDER BY seq',
    );
    this.oneRecipient = db.prepare<[string, string], RecordRow>(
      'SELECT record FROM campaign_recipients WHERE campaign_id = ? AND key = ?',
    );
    this.stateCounts = db.prepare<[string], { state: RecipientStateKind; n: number }>(
      'SELECT state, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY state',
    );
  }

  async nextId(at: number): Promise<string> {
    const year = new Date(at + 7 * 3600 * 1000).getUTCFullYear();
    return campaignId(at, this.nextSequence.get(year)!.last);
  }

  async create(document: CampaignDocument, recipients: RecipientRecord[]): Promise<void> {
    const id = document.campaign.id;
    this.db.transaction(() => {
      // The primary key rejects an id already kept, and the transaction then keeps nothing.
      this.insertCampaign.run(id, document.campaign.createdAt, JSON.stringify(document));
      recipients.forEach((r, seq) => {
        this.upsertRecipient.run(id, seq, r.key, r.state, JSON.stringify(r));
      });
    })();
  }

  async get(id: string): Promise<CampaignDocument | undefined> {
    const row = this.byId.get(id);
    return row && (JSON.parse(row.doc) as CampaignDocument);
  }

  async list(limit: number): Promise<CampaignDocument[]> {
    return this.newest.all(limit).map((row) => JSON.parse(row.doc) as CampaignDocument);
  }

  async recipients(id: string, state?: RecipientStateKind): Promise<RecipientRecord[]> {
    const rows = state === undefined ? this.allRecipients.all(id) : this.recipientsIn.all(id, state);
    return rows.map((row) => JSON.parse(row.record) as RecipientRecord);
  }

  async recipient(id: string, key: string): Promise<RecipientRecord | undefined> {
    const row = this.oneRecipient.get(id, key);
    return row && (JSON.parse(row.record) as RecipientRecord);
  }

  async counts(id: string): Promise<Record<RecipientStateKind, number>> {
    const counts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientStateKind, number>;
    for (const { state, n } of this.stateCounts.all(id)) counts[state] = n;
    return counts;
  }

  async save(id: string, change: { document?: CampaignDocument; recipients?: RecipientRecord[] }): Promise<void> {
    this.db.transaction(() => {
      if (!this.byId.get(id)) throw new Error(`no campaign ${id}`);
      if (change.document) this.updateCampaign.run(JSON.stringify(change.document), id);
      // A recipient saved again keeps its place (seq is only set when the row is new).
      for (const r of change.recipients ?? [])
        this.upsertRecipient.run(id, Number.MAX_SAFE_INTEGER, r.key, r.state, JSON.stringify(r));
    })();
  }
}
