/** The update journal of a single process without Redis: the same rules, kept in memory (lost on restart). */
import {
  parseUserMember,
  userMember,
  type JournalEntry,
  type ParkedUpdate,
  type QueuedUpdate,
  type UpdateJournal,
  type UserRef,
} from '../../core/update-journal.js';

const DONE_TTL_MS = 24 * 3600 * 1000;
const MAX_REMEMBERED = 100_000;
const MAX_PARKED = 1000;

type Stored = { state: 'queued'; entry: JournalEntry } | { state: 'done'; expiresAt: number };

export class MemoryUpdateJournal implements UpdateJournal {
  private readonly records = new Map<string, Stored>();
  private readonly queues = new Map<string, string[]>();
  private readonly dueTimes = new Map<string, number>();
  private readonly parkedList: ParkedUpdate[] = [];
  private parkedTotal = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async accept(update: QueuedUpdate, dueAt: number): Promise<'accepted' | 'duplicate'> {
    const known = this.records.get(update.dedupKey);
    if (known && (known.state === 'queued' || known.expiresAt > this.now())) return 'duplicate';
    if (this.records.size >= MAX_REMEMBERED) this.forgetOldestDone();
    this.records.set(update.dedupKey, { state: 'queued', entry: { update, attempts: 0 } });
    const member = userMember(update.message);
    const queue = this.queues.get(member) ?? [];
    queue.push(update.dedupKey);
    this.queues.set(member, queue);
    if (!this.dueTimes.has(member)) this.dueTimes.set(member, dueAt);
    return 'accepted';
  }

  async next(user: UserRef, finished?: string): Promise<JournalEntry | undefined> {
    if (finished !== undefined) this.finish(user, finished);
    const member = userMember(user);
    const queue = this.queues.get(member) ?? [];
    for (;;) {
      const key = queue[0];
      if (key === undefined) {
        this.queues.delete(member);
        this.dueTimes.delete(member);
        return undefined;
      }
      const record = this.records.get(key);
      if (record?.state === 'queued') {
        record.entry.attempts += 1;
        return structuredClone(record.entry);
      }
      queue.shift();
    }
  }

  async answered(dedupKey: string, entry: JournalEntry): Promise<void> {
    this.records.set(dedupKey, { state: 'queued', entry: structuredClone(entry) });
  }

  async park(user: UserRef, parked: ParkedUpdate): Promise<void> {
    this.finish(user, parked.dedupKey);
    this.parkedTotal += 1;
    this.parkedList.unshift(parked);
    this.parkedList.length = Math.min(this.parkedList.length, MAX_PARKED);
  }

  async dueAt(user: UserRef, at: number): Promise<void> {
    this.dueTimes.set(userMember(user), at);
  }

  async due(now: number, limit: number): Promise<UserRef[]> {
    return [...this.dueTimes]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([member]) => parseUserMember(member));
  }

  async parked(limit: number): Promise<{ total: number; recent: ParkedUpdate[] }> {
    return { total: this.parkedTotal, recent: this.parkedList.slice(0, limit) };
  }

  private finish(user: UserRef, dedupKey: string): void {
    const queue = this.queues.get(userMember(user));
    const at = queue?.indexOf(dedupKey) ?? -1;
    if (queue && at >= 0) queue.splice(at, 1);
    this.records.delete(dedupKey); // Re-inserted last, so the oldest entries are forgotten first.
    this.records.set(dedupKey, { state: 'done', expiresAt: this.now() + DONE_TTL_MS });
  }

  private forgetOldestDone(): void {
    for (const [key, record] of this.records) {
      if (record.state === 'done') {
        this.records.delete(key);
        return;
      }
    }
  }
}
