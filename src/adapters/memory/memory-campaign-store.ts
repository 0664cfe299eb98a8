/**
 * Campaigns in this process's memory (lost when it stops). It copies what it is given and what it returns, as a
 * database would, so a caller never changes a kept campaign by mistake.
 */
import {
  campaignId,
  RECIPIENT_STATES,
  type RecipientStateKind,
  type CampaignDocument,
  type CampaignStore,
  type RecipientRecord,
} from '../../core/broadcast/campaign-store.js';

export class MemoryCampaignStore implements CampaignStore {
  private sequence = 0;
  private readonly documents = new Map<string, CampaignDocument>();
  private readonly states = new Map<string, Map<string, RecipientRecord>>();

  async nextId(at: number): Promise<string> {
    return campaignId(at, ++this.sequence);
  }

  async create(document: CampaignDocument, recipients: RecipientRecord[]): Promise<void> {
    const id = document.campaign.id;
    if (this.documents.has(id)) throw new Error(`campaign ${id} exists`);
    this.documents.set(id, structuredClone(document));
    this.states.set(id, new Map(recipients.map((r) => [r.key, structuredClone(r)])));
  }

  async get(id: string): Promise<CampaignDocument | undefined> {
    const d = this.documents.get(id);
    return d && structuredClone(d);
  }

  async list(limit: number): Promise<CampaignDocument[]> {
    return [...this.documents.values()]
      .sort((a, b) => b.campaign.createdAt - a.campaign.createdAt)
      .slice(0, limit)
      .map((d) => structuredClone(d));
  }

  async recipients(id: string, state?: RecipientStateKind): Promise<RecipientRecord[]> {
    return [...(this.states.get(id)?.values() ?? [])]
      .filter((r) => state === undefined || r.state === state)
      .map((r) => structuredClone(r));
  }

  async recipient(id: string, key: string): Promise<RecipientRecord | undefined> {
    const r = this.states.get(id)?.get(key);
    return r && structuredClone(r);
  }

  async counts(id: string): Promise<Record<RecipientStateKind, number>> {
    const counts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientStateKind, number>;
    for (const r of this.states.get(id)?.values() ?? []) counts[r.state]++;
    return counts;
  }

  async save(id: string, change: { document?: CampaignDocument; recipients?: RecipientRecord[] }): Promise<void> {
    const states = this.states.get(id);
    if (!states || !this.documents.has(id)) throw new Error(`no campaign ${id}`);
    if (change.document) this.documents.set(id, structuredClone(change.document));
    for (const r of change.recipients ?? []) states.set(r.key, structuredClone(r));
  }
}
