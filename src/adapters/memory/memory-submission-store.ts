/**
 * Submissions in process memory: for one process without Redis, and for tests. Lost on restart, so a
 * deployment that takes real registrations must use Redis. Same behaviour as RedisSubmissionStore, no outbox.
 */
import type { ChannelName } from '../../core/conversation.js';
import {
  applyAttachment,
  applyErasure,
  applyStatusChange,
  matchesFilter,
  newestFirst,
  referenceCode,
  vietnamYear,
  type Attachment,
  type RegistrationForm,
  type SelfAssessment,
  type Submission,
  type SubmissionFilter,
  type SubmissionStatus,
  type SubmissionStore,
} from '../../core/registration/types.js';

const copy = (s: Submission): Submission => structuredClone(s);

export class MemorySubmissionStore implements SubmissionStore {
  private readonly submissions = new Map<string, Submission>();
  /** idempotency key → submission id */
  private readonly byIdempotencyKey = new Map<string, string>();
  private readonly sequences = new Map<number, number>();

  async create(input: {
    channel: ChannelName;
    userId: string;
    form: RegistrationForm;
    idempotencyKey: string;
    at: number;
  }): Promise<{ submission: Submission; created: boolean }> {
    // Synchronous from here on: two concurrent creates cannot interleave in one process.
    const known = this.byIdempotencyKey.get(input.idempotencyKey);
    const existing = known === undefined ? undefined : this.submissions.get(known);
    if (existing) return { submission: copy(existing), created: false };
    const year = vietnamYear(input.at);
    const sequence = (this.sequences.get(year) ?? 0) + 1;
    this.sequences.set(year, sequence);
    const submission: Submission = {
      id: referenceCode(year, sequence),
      channel: input.channel,
      userId: input.userId,
      form: structuredClone(input.form),
      status: 'new',
      createdAt: input.at,
      updatedAt: input.at,
      history: [{ at: input.at, status: 'new', by: 'producer' }],
    };
    this.submissions.set(submission.id, submission);
    this.byIdempotencyKey.set(input.idempotencyKey, submission.id);
    return { submission: copy(submission), created: true };
  }

  async get(id: string): Promise<Submission | undefined> {
    const s = this.submissions.get(id);
    return s && copy(s);
  }

  /** Newest first. */
  async listByUser(channel: ChannelName, userId: string): Promise<Submission[]> {
    return [...this.submissions.values()]
      .filter((s) => s.channel === channel && s.userId === userId)
      .sort(newestFirst)
      .map(copy);
  }

  async list(filter: SubmissionFilter = {}): Promise<Submission[]> {
    return [...this.submissions.values()]
      .filter((s) => matchesFilter(s, filter))
      .sort(newestFirst)
      .map(copy);
  }

  async attachAssessment(id: string, assessment: SelfAssessment): Promise<Submission | undefined> {
    const known = this.submissions.get(id);
    if (!known) return undefined;
    const next = { ...known, selfAssessment: assessment };
    this.submissions.set(id, next);
    return copy(next);
  }

  async addAttachment(id: string, attachment: Attachment): Promise<Submission | undefined> {
    const known = this.submissions.get(id);
    if (!known) return undefined;
    const next = applyAttachment(known, structuredClone(attachment));
    this.submissions.set(id, next);
    return copy(next);
  }

  async erasePersonalData(id: string, at: number): Promise<Submission | undefined> {
    const known = this.submissions.get(id);
    if (!known) return undefined;
    const next = applyErasure(known, at);
    this.submissions.set(id, next);
    return copy(next);
  }

  async changeStatus(
    id: string,
    change: { status: SubmissionStatus; note?: string; by: string; at: number },
  ): Promise<Submission | undefined> {
    const known = this.submissions.get(id);
    if (!known) return undefined;
    const next = applyStatusChange(known, change);
    this.submissions.set(id, next);
    return copy(next);
  }
}
