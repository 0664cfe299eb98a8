/**
 * The rules of campaign and recipient states for the in-process broadcaster, over a CampaignStore: what the Redis
 * store's Lua scripts do, here as plain code (see src/adapters/redis/lua/broadcast-*.lua). Every change runs alone
 * (one after another in this process), reads the campaign, decides and saves the changed parts, so a report always
 * adds up and a recipient is claimed by one send at a time. Counts are read from the recipients' states. Send slots
 * and chat gates are kept in memory: they only matter while this process sends.
 */
import type { ClaimOutcome, FinalOutcome, RecipientStore } from './delivery.js';
import type { PacingStore } from './pacing.js';
import type { CampaignDocument, CampaignStore, RecipientRecord, RecipientStateKind } from './campaign-store.js';
import type { InDoubtEntry } from './campaigns.js';
import { campaignFacts, type CampaignReport } from './types.js';

/** When it is and how to wait: the system's, or a test's fake one. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class LocalCampaignStates implements RecipientStore, PacingStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly slots = new Map<string, number>();
  private readonly gates = new Map<string, number>();

  constructor(
    readonly store: CampaignStore,
    private readonly clock: Clock,
    /** Waits `ms` (rejects when the broadcaster is closing). */
    private readonly sleep: (ms: number) => Promise<unknown>,
  ) {}

  /** Runs the change after every change asked for before it. */
  private exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.queue.then(change, change);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The campaign and one recipient, as `decide` changes them, saved when it did; done once nobody is left. */
  private withRecipient<T>(
    id: string,
    key: string,
    decide: (doc: CampaignDocument, r: RecipientRecord | undefined) => T,
    now: number,
  ): Promise<T> {
    return this.exclusive(async () => {
      const doc = await this.store.get(id);
      const r = doc && (await this.store.recipient(id, key));
      if (!doc || !r) return decide(doc ?? emptyDocument(id), undefined);
      const [docBefore, before, stateBefore] = [JSON.stringify(doc), JSON.stringify(r), r.state];
      const out = decide(doc, r);
      const changed = JSON.stringify(r) !== before;
      if (r.state !== stateBefore) {
        const counts = await this.store.counts(id);
        counts[stateBefore]--;
        counts[r.state]++;
        finishIfComplete(doc, counts, now);
      }
      if (changed || JSON.stringify(doc) !== docBefore) {
        await this.store.save(id, { document: doc, recipients: changed ? [r] : [] });
      }
      return out;
    });
  }

  check(id: string, key: string, round: number, now: number): Promise<ClaimOutcome> {
    return this.claimOrCheck(id, key, round, undefined, now);
  }

  claim(id: string, key: string, round: number, claimId: string, now: number): Promise<ClaimOutcome> {
    return this.claimOrCheck(id, key, round, claimId, now);
  }

  private claimOrCheck(
    id: string,
    key: string,
    round: number,
    claimId: string | undefined,
    now: number,
  ): Promise<ClaimOutcome> {
    return this.withRecipient(
      id,
      key,
      (doc, r): ClaimOutcome => {
        if (!r) return 'gone';
        if (r.state !== 'pending' || r.round !== round) {
          if (r.state === 'claimed' && r.round === round) {
            r.state = 'in_doubt';
            return 'in_doubt';
          }
          return r.state === 'claimed' ? 'sending' : r.state === 'pending' ? 'resend' : r.state;
        }
        if (doc.status === 'cancelled') {
          settle(r, 'cancelled');
          return 'cancelled';
        }
        if (claimId === undefined) return 'free';
        Object.assign(r, { state: 'claimed', claimedAt: now, claimId });
        doc.startedAt ??= now;
        if (doc.status === 'scheduled') doc.status = 'running';
        return 'claimed';
      },
      now,
    );
  }

  finish(
    id: string,
    key: string,
    claimId: string,
    outcome: FinalOutcome,
    now: number,
  ): Promise<'recorded' | 'resolved' | 'stale'> {
    return this.withRecipient(
      id,
      key,
      (_doc, r) => {
        if (!r || r.claimId !== claimId || (r.state !== 'claimed' && r.state !== 'in_doubt')) return 'stale';
        const was = r.state;
        settle(r, outcome);
        return was === 'in_doubt' ? 'resolved' : 'recorded';
      },
      now,
    );
  }

  async unclaim(id: string, key: string, claimId: string): Promise<void> {
    await this.withRecipient(
      id,
      key,
      (_doc, r) => {
        if (r?.state === 'claimed' && r.claimId === claimId) {
          r.state = 'pending';
          delete r.claimedAt;
          delete r.claimId;
        }
      },
      this.clock.now(),
    );
  }

  /** Cancels what is not yet reached; false when the campaign was already done (or is unknown). */
  cancel(id: string, now: number): Promise<boolean> {
    return this.exclusive(async () => {
      const doc = await this.store.get(id);
      if (!doc || doc.status === 'done') return false;
      if (doc.status === 'cancelled') return true;
      doc.status = 'cancelled';
      const changed = await this.store.recipients(id, 'pending');
      for (const r of changed) settle(r, 'cancelled');
      finishIfComplete(doc, shifted(await this.store.counts(id), 'pending', 'cancelled', changed.length), now);
      await this.store.save(id, { document: doc, recipients: changed });
      return true;
    });
  }

  /** Moves every in-doubt recipient to its next round (see RedisBroadcastStore.resendInDoubt). */
  resendInDoubt(id: string, now: number): Promise<RecipientRecord[] | undefined> {
    return this.exclusive(async () => {
      const doc = await this.store.get(id);
      if (!doc || doc.status === 'cancelled') return undefined;
      const moved = await this.store.recipients(id, 'in_doubt');
      for (const r of moved) {
        Object.assign(r, { state: 'pending', round: r.round + 1 });
        delete r.claimedAt;
        delete r.claimId;
      }
      if (moved.length) {
        doc.resent += moved.length;
        doc.resentAt = now;
        if (doc.status === 'done') doc.status = 'running';
        await this.store.save(id, { document: doc, recipients: moved });
      }
      return moved;
    });
  }

  /**
   * After a restart: every claimed recipient (its process stopped mid-request) becomes in doubt, never sent again
   * on its own. Returns the pending recipients, to be queued again.
   */
  resume(id: string, now: number): Promise<RecipientRecord[]> {
    return this.exclusive(async () => {
      const doc = await this.store.get(id);
      if (!doc) return [];
      const cut = await this.store.recipients(id, 'claimed');
      for (const r of cut) r.state = 'in_doubt';
      const before = JSON.stringify(doc);
      finishIfComplete(doc, shifted(await this.store.counts(id), 'claimed', 'in_doubt', cut.length), now);
      if (cut.length || JSON.stringify(doc) !== before) await this.store.save(id, { document: doc, recipients: cut });
      return this.store.recipients(id, 'pending');
    });
  }

  async report(id: string): Promise<CampaignReport | undefined> {
    const doc = await this.store.get(id);
    return doc && toReport(doc, await this.store.counts(id));
  }

  async inDoubt(id: string, limit: number): Promise<InDoubtEntry[]> {
    return (await this.store.recipients(id, 'in_doubt'))
      .map((r) => ({
        channel: r.channel,
        userId: r.userId,
        claimedAt: r.claimedAt ?? 0,
        worker: (r.claimId ?? '').replace(/#\d+$/, ''),
        round: r.round,
      }))
      .sort((a, b) => a.claimedAt - b.claimedAt)
      .slice(0, limit);
  }

  async isCancelled(id: string): Promise<boolean> {
    return (await this.store.get(id))?.status === 'cancelled';
  }

  async reserveSlot(channel: string, intervalMs: number, extraDelayMs = 0): Promise<{ slot: number; wait: number }> {
    const now = this.clock.now();
    const slot = Math.max(now + extraDelayMs, (this.slots.get(channel) ?? 0) + intervalMs);
    this.slots.set(channel, slot);
    return { slot, wait: slot - now };
  }

  async passChatGate(channel: string, chatId: string, intervalMs: number): Promise<void> {
    if (intervalMs <= 0) return;
    const key = `${channel}:${chatId}`;
    for (;;) {
      const now = this.clock.now();
      const until = this.gates.get(key) ?? 0;
      if (until <= now) {
        this.gates.set(key, now + intervalMs);
        return;
      }
      await this.sleep(until - now);
    }
  }

  async holdChatGate(channel: string, chatId: string, ms: number): Promise<void> {
    if (ms > 0) this.gates.set(`${channel}:${chatId}`, this.clock.now() + Math.ceil(ms));
  }
}

function emptyDocument(id: string): CampaignDocument {
  return {
    campaign: { id, content: { text: '' }, urgent: false, createdBy: '', createdAt: 0, startAt: 0 },
    status: 'done',
    resent: 0,
  };
}

function settle(r: RecipientRecord, state: RecipientRecord['state']): void {
  r.state = state;
}

type Counts = Record<RecipientStateKind, number>;

/** The counts once `n` recipients moved from one state to another. */
function shifted(counts: Counts, from: RecipientStateKind, to: RecipientStateKind, n: number): Counts {
  return { ...counts, [from]: counts[from] - n, [to]: counts[to] + n };
}

/** Done (unless cancelled) once every recipient is settled; finishedAt is the first completion. */
function finishIfComplete(doc: CampaignDocument, counts: Counts, now: number): void {
  if (counts.pending + counts.claimed > 0) return;
  if (doc.status !== 'cancelled') doc.status = 'done';
  doc.finishedAt ??= now;
}

export function toReport(doc: CampaignDocument, counts: Counts): CampaignReport {
  const { sent, failed, blocked, cancelled, in_doubt: inDoubt } = counts;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    ...campaignFacts(doc.campaign, doc),
    status: doc.status,
    total,
    sent,
    failed,
    blocked,
    cancelled,
    pending: counts.pending + counts.claimed,
    inDoubt,
    resent: doc.resent,
    ...(doc.resentAt !== undefined ? { resentAt: doc.resentAt } : {}),
  };
}
