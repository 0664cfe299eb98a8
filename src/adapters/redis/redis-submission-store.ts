/**
 * Submissions in Redis, shared by every process: one JSON value per submission (no TTL), a sorted set of all
 * ids by createdAt, a sorted set per (channel, user), a reference-code counter per year, and an idempotency
 * mapping per draft.
 *
 * DURABILITY: registrations are the one thing this application must not lose. Production Redis must run
 * with AOF persistence (`appendonly yes`, `appendfsync everysec` or stricter) and must not evict keys
 * (`maxmemory-policy noeviction`); RDB snapshots alone lose the writes since the last snapshot.
 *
 * Atomicity without WATCH: the application shares one auto-pipelined connection between concurrent
 * requests, where WATCH/MULTI would interleave, so every multi-key write is one Lua script (atomic in Redis
 * and in the AOF) and status changes are compare-and-set retries.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
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
import type { Keys } from './keys.js';
import { runScript } from './lua.js';

const CLAIM_PREFIX = 'claim:';

export interface RedisSubmissionStoreOptions {
  /** Marks every new submission as pending delivery to the external system (see submission-outbox.ts). */
  trackOutbox?: boolean;
  /** How long a create may hold an idempotency key before another may take it over (its process died). */
  claimTtlMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parse(raw: string | null | undefined): Submission | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Submission;
  } catch {
    return undefined;
  }
}

export class RedisSubmissionStore implements SubmissionStore {
  private readonly trackOutbox: boolean;
  private readonly claimTtlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    options: RedisSubmissionStoreOptions = {},
  ) {
    this.trackOutbox = options.trackOutbox ?? false;
    this.claimTtlMs = options.claimTtlMs ?? 30_000;
  }

  async create(input: {
    channel: ChannelName;
    userId: string;
    form: RegistrationForm;
    idempotencyKey: string;
    at: number;
  }): Promise<{ submission: Submission; created: boolean }> {
    const idemKey = this.keys.submissionIdempotency(input.idempotencyKey);
    const claim = `${CLAIM_PREFIX}${randomUUID()}`;
    // Waits out another creator's claim (it normally commits within milliseconds) for a little longer than
    // the claim can live.
    const deadline = Date.now() + this.claimTtlMs + 5_000;
    for (;;) {
      // Claim the key first so that a duplicate does not burn a sequence number.
      if ((await this.redis.set(idemKey, claim, 'PX', this.claimTtlMs, 'NX')) === 'OK') {
        const committed = await this.commitNew(idemKey, claim, input);
        if (committed) return { submission: committed, created: true };
        // Our claim expired and another creator took over: fall through and read theirs.
      }
      const held = await this.redis.get(idemKey);
      if (held !== null && !held.startsWith(CLAIM_PREFIX)) {
        const existing = await this.get(held);
        if (existing) return { submission: existing, created: false };
        throw new Error(`submission ${held} is missing for its idempotency key`);
      }
      if (Date.now() > deadline)
        throw new Error('timed out waiting for a concurrent create with the same idempotency key');
      if (held !== null) await sleep(10 + Math.random() * 20);
    }
  }

  private async commitNew(
    idemKey: string,
    claim: string,
    input: { channel: ChannelName; userId: string; form: RegistrationForm; at: number },
  ): Promise<Submission | undefined> {
    const year = vietnamYear(input.at);
    const sequence = await this.redis.incr(this.keys.submissionSequence(year));
    const submission: Submission = {
      id: referenceCode(year, sequence),
      channel: input.channel,
      userId: input.userId,
      form: input.form,
      status: 'new',
      createdAt: input.at,
      updatedAt: input.at,
      history: [{ at: input.at, status: 'new', by: 'producer' }],
    };
    const keys = [
      idemKey,
      this.keys.submission(submission.id),
      this.keys.submissionIndex(),
      this.keys.submissionsByUser(input.channel, input.userId),
      ...(this.trackOutbox ? [this.keys.submissionOutboxPending()] : []),
    ];
    const args = [claim, submission.id, JSON.stringify(submission), String(input.at)];
    const ok = await runScript(this.redis, 'submission-commit-create', keys, args);
    return ok === 1 ? (JSON.parse(JSON.stringify(submission)) as Submission) : undefined;
  }

  async get(id: string): Promise<Submission | undefined> {
    return parse(await this.redis.get(this.keys.submission(id)));
  }

  /** Newest first. */
  async listByUser(channel: ChannelName, userId: string): Promise<Submission[]> {
    const ids = await this.redis.zrevrange(this.keys.submissionsByUser(channel, userId), 0, -1);
    return (await this.load(ids)).sort(newestFirst);
  }

  /** Newest first. The date range is applied by the index; the other conditions on the loaded values. */
  async list(filter: SubmissionFilter = {}): Promise<Submission[]> {
    const max = filter.to === undefined ? '+inf' : `(${filter.to}`;
    const min = filter.from === undefined ? '-inf' : String(filter.from);
    const ids = await this.redis.zrevrangebyscore(this.keys.submissionIndex(), max, min);
    return (await this.load(ids)).filter((s) => matchesFilter(s, filter)).sort(newestFirst);
  }

  async attachAssessment(id: string, assessment: SelfAssessment): Promise<Submission | undefined> {
    return this.update(id, (current) => ({ ...current, selfAssessment: assessment }));
  }

  async addAttachment(id: string, attachment: Attachment): Promise<Submission | undefined> {
    return this.update(id, (current) => applyAttachment(current, attachment));
  }

  async erasePersonalData(id: string, at: number): Promise<Submission | undefined> {
    return this.update(id, (current) => applyErasure(current, at));
  }

  async changeStatus(
    id: string,
    change: { status: SubmissionStatus; note?: string; by: string; at: number },
  ): Promise<Submission | undefined> {
    return this.update(id, (current) => applyStatusChange(current, change));
  }

  /**
   * Compare-and-set: a concurrent change makes ours re-read and re-apply, so no history entry is lost and a
   * transition is checked against the status it really follows.
   */
  private async update(id: string, change: (current: Submission) => Submission): Promise<Submission | undefined> {
    const key = this.keys.submission(id);
    for (let attempt = 0; attempt < 100; attempt++) {
      const raw = await this.redis.get(key);
      const current = parse(raw);
      if (!raw || !current) return undefined;
      const json = JSON.stringify(change(current));
      if ((await runScript(this.redis, 'compare-and-set', [key], [raw, json])) === 1)
        return JSON.parse(json) as Submission;
      await sleep(Math.random() * 5 * Math.min(attempt + 1, 10));
    }
    throw new Error(`change of ${id} kept conflicting with concurrent changes`);
  }

  private async load(ids: string[]): Promise<Submission[]> {
    const out: Submission[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (!chunk.length) continue;
      const values = await this.redis.mget(...chunk.map((id) => this.keys.submission(id)));
      for (const raw of values) {
        const s = parse(raw);
        if (s) out.push(s);
      }
    }
    return out;
  }
}
