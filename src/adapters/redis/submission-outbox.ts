/**
 * Delivers new submissions to the external system (BACKEND_WEBHOOK_URL) through a BullMQ queue, at least once,
 * surviving outages of that system and restarts of this one:
 *
 * - the store marks each new submission "pending" in the same atomic write that stores it
 *   (RedisSubmissionStore with trackOutbox), so a crash before `enqueue` loses nothing;
 * - `enqueue` adds a job whose id is the submission id, so a submission is queued at most once;
 * - the worker POSTs the submission with `Idempotency-Key: <id>`; 2xx = delivered, the pending mark is
 *   removed; anything else throws and BullMQ retries with exponential backoff (1 s, 2 s, 4 s … capped at 5 min,
 *   1000 attempts ≈ 3.5 days of outage);
 * - `start()` and then a periodic reconciliation re-enqueue every pending id that has no live job (a crash
 *   between storing and enqueuing, a job that exhausted its attempts).
 *
 * A redelivery can still happen (a crash between the 2xx and the pending mark's removal), so the receiver must
 * deduplicate by Idempotency-Key. Neither the token nor the URL's query string is ever logged.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../core/logger.js';
import type { Submission, SubmissionOutbox, SubmissionStore } from '../../core/registration/types.js';
import type { Keys } from './keys.js';
import { createBackendDelivery, safeTarget } from '../http/backend-delivery.js';

export const OUTBOX_QUEUE_NAME = 'submission-outbox';
const JOB_NAME = 'deliver';

export interface OutboxBackoff {
  /** First retry delay (ms); doubles each attempt. */
  baseMs: number;
  /** Longest delay between two attempts (ms). */
  capMs: number;
}

export interface SubmissionOutboxOptions {
  /** Redis URL, or ioredis options; two connections are opened from it (queue and worker). */
  redis: string | RedisOptions;
  keys: Keys;
  /** The external system's endpoint. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  logger: Logger;
  store: SubmissionStore;
  /** Delivery attempts per submission before the job is parked as failed (reconciliation revives it). */
  attempts?: number;
  backoff?: OutboxBackoff;
  /** HTTP timeout per attempt (ms). */
  timeoutMs?: number;
  /** How often pending ids are checked for a missing or failed job (ms); 0 = only at start. */
  reconcileIntervalMs?: number;
  concurrency?: number;
}

export interface RunningSubmissionOutbox extends SubmissionOutbox {
  enqueue(submission: Submission): Promise<void>;
  /** Starts the worker and re-enqueues every pending submission. */
  start(): Promise<void>;
  /** Stops the worker (waiting for in-flight deliveries) and closes both connections. */
  close(): Promise<void>;
}

export const DEFAULT_OUTBOX_BACKOFF: OutboxBackoff = { baseMs: 1_000, capMs: 5 * 60_000 };

/** Exponential backoff: base, 2·base, 4·base … never more than cap. */
export function outboxDelay(attemptsMade: number, backoff: OutboxBackoff): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** exponent);
}

class DeliveryError extends Error {
  override name = 'DeliveryError';
}

export function createSubmissionOutbox(options: SubmissionOutboxOptions): RunningSubmissionOutbox {
  const { keys, store, url, token } = options;
  const logger = options.logger.child({ component: 'submission-outbox' });
  const attempts = options.attempts ?? 1000;
  const backoff = options.backoff ?? DEFAULT_OUTBOX_BACKOFF;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const reconcileIntervalMs = options.reconcileIntervalMs ?? 5 * 60_000;
  const target = safeTarget(url);
  const send = createBackendDelivery({ url, token, timeoutMs });
  const pendingKey = keys.submissionOutboxPending();
  const bullPrefix = keys.bullPrefix();

  const connect = (extra: RedisOptions): Redis => {
    const client =
      typeof options.redis === 'string' ? new Redis(options.redis, extra) : new Redis({ ...options.redis, ...extra });
    client.on('error', (err: Error) => logger.warn({ err: err.message }, 'outbox redis error'));
    return client;
  };
  // BullMQ wants its own connections: the queue (and our pending-set commands) on one, the worker, which
  // blocks, on another with maxRetriesPerRequest: null.
  const producer = connect({});
  const consumer = connect({ maxRetriesPerRequest: null });
  const queue = new Queue<{ id: string }>(OUTBOX_QUEUE_NAME, { connection: producer, prefix: bullPrefix });
  queue.on('error', (err: Error) => logger.warn({ err: err.message }, 'outbox queue error'));
  let worker: Worker<{ id: string }> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const jobOptions = {
    attempts,
    backoff: { type: 'outbox' },
    // Kept a while so that enqueuing a delivered submission again is a no-op; failed jobs stay for inspection
    // and for reconciliation to retry.
    removeOnComplete: { age: 30 * 24 * 3600, count: 100_000 },
    removeOnFail: false,
  };

  async function add(id: string): Promise<void> {
    await queue.add(JOB_NAME, { id }, { ...jobOptions, jobId: id });
  }

  async function deliver(job: Job<{ id: string }>): Promise<string> {
    const { id } = job.data;
    const submission = await store.get(id);
    if (!submission) {
      logger.error({ id }, 'outbox: submission not found, dropped');
      await producer.srem(pendingKey, id);
      return 'missing';
    }
    const result = await send(submission);
    if (!result.ok && result.status === undefined) {
      logger.warn(
        { id, attempt: job.attemptsMade + 1, target, code: result.code },
        'outbox: delivery failed, will retry',
      );
      throw new DeliveryError(`delivery failed: ${result.code}`);
    }
    const { status } = result;
    if (!result.ok) {
      logger.warn({ id, attempt: job.attemptsMade + 1, target, status }, 'outbox: delivery refused, will retry');
      throw new DeliveryError(`delivery refused: HTTP ${status}`);
    }
    // Delivered. If removing the mark fails, the job still completes (no second POST); the next
    // reconciliation sees a completed job and removes the mark then.
    await producer
      .srem(pendingKey, id)
      .catch((err: Error) => logger.warn({ id, err: err.message }, 'outbox: pending mark not removed'));
    logger.info({ id, attempt: job.attemptsMade + 1, status }, 'outbox: delivered');
    return 'delivered';
  }

  /** Gives every pending id a live job: adds missing ones, retries failed ones, clears delivered ones. */
  async function reconcile(): Promise<number> {
    const ids = await producer.smembers(pendingKey);
    let revived = 0;
    for (const id of ids) {
      if (closed) break;
      const job = await queue.getJob(id);
      if (!job) {
        await add(id);
        revived++;
        continue;
      }
      const state = await job.getState();
      if (state === 'failed') {
        await job.retry('failed');
        revived++;
      } else if (state === 'completed') {
        await producer.srem(pendingKey, id);
      }
    }
    if (revived) logger.info({ revived, pending: ids.length }, 'outbox: pending submissions re-enqueued');
    return revived;
  }

  return {
    async enqueue(submission) {
      try {
        // Idempotent with the store's own mark; makes the outbox correct even with a store that does not track.
        await producer.sadd(pendingKey, submission.id);
        await add(submission.id);
      } catch (err) {
        // Stored and marked pending (or Redis is down and nothing was stored): reconciliation delivers it.
        logger.error(
          { id: submission.id, err: (err as Error).message },
          'outbox: enqueue failed, left to reconciliation',
        );
      }
    },

    async start() {
      if (worker || closed) return;
      worker = new Worker<{ id: string }>(OUTBOX_QUEUE_NAME, deliver, {
        connection: consumer,
        prefix: bullPrefix,
        concurrency: options.concurrency ?? 4,
        settings: { backoffStrategy: (attemptsMade: number) => outboxDelay(attemptsMade, backoff) },
      });
      worker.on('error', (err: Error) => logger.warn({ err: err.message }, 'outbox worker error'));
      worker.on('failed', (job, err) => {
        if (job && job.attemptsMade >= attempts)
          logger.error(
            { id: job.data.id, attempts: job.attemptsMade, err: err.message },
            'outbox: gave up for now; reconciliation will retry',
          );
      });
      await reconcile();
      if (reconcileIntervalMs > 0) {
        timer = setInterval(() => {
          reconcile().catch((err: Error) => logger.warn({ err: err.message }, 'outbox: reconciliation failed'));
        }, reconcileIntervalMs);
        timer.unref();
      }
      logger.info({ target, attempts, baseMs: backoff.baseMs, capMs: backoff.capMs }, 'outbox started');
    },

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await worker?.close();
      await queue.close();
      await Promise.all([
        producer.quit().catch(() => producer.disconnect()),
        consumer.quit().catch(() => consumer.disconnect()),
      ]);
    },
  };
}
