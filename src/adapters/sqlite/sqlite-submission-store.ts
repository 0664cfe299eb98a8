/**
 * Submissions in the embedded SQLite database: the durable default for one process without Redis. The year's
 * counter and the row are written in ONE immediate transaction, so a reference code is never issued twice —
 * not after a restart, and not by two connections to the same file. Each submission is kept as JSON (`doc`)
 * beside the columns it is looked up by.
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
import type { SqliteDatabase } from './database.js';

type Row = { doc: string };

const parse = (row: Row | undefined): Submission | undefined => (row ? (JSON.parse(row.doc) as Submission) : undefined);

export class SqliteSubmissionStore implements SubmissionStore {
  private readonly byKey;
  private readonly byId;
  private readonly nextSequence;
  private readonly insert;
  private readonly updateDoc;
  private readonly byUser;
  private readonly inRange;

  constructor(private readonly db: SqliteDatabase) {
    this.byKey = db.prepare<[string], Row>('SELECT doc FROM submissions WHERE idempotency_key = ?');
    this.byId = db.prepare<[string], Row>('SELECT doc FROM submissions WHERE id = ?');
    this.nextSequence = db.prepare<[number], { last: number }>(
      `INSERT INTO submission_sequences (year, last) VALUES (?, 1)
       ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`,
    );
    this.insert = db.prepare(
      `INSERT INTO submissions (id, idempotency_key, channel, user_id, created_at, doc)
       VALUES (@id, @key, @channel, @userId, @createdAt, @doc)`,
    );
    this.updateDoc = db.prepare<[string, string]>('UPDATE submissions SET doc = ? WHERE id = ?');
    this.byUser = db.prepare<[string, string], Row>('SELECT doc FROM submissions WHERE channel = ? AND user_id = ?');
    this.inRange = db.prepare<[number, number], Row>(
      'SELECT doc FROM submissions WHERE created_at >= ? AND created_at < ?',
    );
  }

  async create(input: {
    channel: ChannelName;
    userId: string;
    form: RegistrationForm;
    idempotencyKey: string;
    at: number;
  }): Promise<{ submission: Submission; created: boolean }> {
    // IMMEDIATE takes the write lock before reading: another connection cannot take the same number meanwhile.
    return this.db
      .transaction(() => {
        const existing = parse(this.byKey.get(input.idempotencyKey));
        if (existing) return { submission: existing, created: false };
        const year = vietnamYear(input.at);
        const sequence = this.nextSequence.get(year)!.last;
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
        this.insert.run({
          id: submission.id,
          key: input.idempotencyKey,
          channel: submission.channel,
          userId: submission.userId,
          createdAt: submission.createdAt,
          doc: JSON.stringify(submission),
        });
        return { submission, created: true };
      })
      .immediate();
  }

  async get(id: string): Promise<Submission | undefined> {
    return parse(this.byId.get(id));
  }

  async listByUser(channel: ChannelName, userId: string): Promise<Submission[]> {
    return this.byUser
      .all(channel, userId)
      .map((r) => parse(r)!)
      .sort(newestFirst);
  }

  async list(filter: SubmissionFilter = {}): Promise<Submission[]> {
    const rows = this.inRange.all(filter.from ?? Number.MIN_SAFE_INTEGER, filter.to ?? Number.MAX_SAFE_INTEGER);
    return rows
      .map((r) => parse(r)!)
      .filter((s) => matchesFilter(s, filter))
      .sort(newestFirst);
  }

  async attachAssessment(id: string, assessment: SelfAssessment): Promise<Submission | undefined> {
    return this.modify(id, (s) => ({ ...s, selfAssessment: assessment }));
  }

  async addAttachment(id: string, attachment: Attachment): Promise<Submission | undefined> {
    return this.modify(id, (s) => applyAttachment(s, structuredClone(attachment)));
  }

  async erasePersonalData(id: string, at: number): Promise<Submission | undefined> {
    return this.modify(id, (s) => applyErasure(s, at));
  }

  async changeStatus(
    id: string,
    change: { status: SubmissionStatus; note?: string; by: string; at: number },
  ): Promise<Submission | undefined> {
    return this.modify(id, (s) => applyStatusChange(s, change));
  }

  /** Read, change and write back in one immediate transaction; a throwing change leaves no trace. */
  private modify(id: string, change: (s: Submission) => Submission): Submission | undefined {
    return this.db
      .transaction(() => {
        const known = parse(this.byId.get(id));
        if (!known) return undefined;
        const next = change(known);
        this.updateDoc.run(JSON.stringify(next), id);
        return next;
      })
      .immediate();
  }
}
