/**
 * Announcement campaigns on a BullMQ queue per channel: one job per recipient. Sends of a channel are spaced
 * evenly across every worker process by a slot in Redis (BullMQ's own limiter counts fixed one-second windows,
 * which lets up to twice the rate through across a window boundary and provokes 429s from a server that counts
 * a rolling second). At most one announcement per chat per interval; 429 → every worker of the channel waits
 * `retry_after`; 5xx/network → retried with backoff; 403 → the subscriber is marked inactive. A recipient's state
 * in Redis is claimed once its send slot has come, right before the request, and settled after it, so a
 * redelivered or retried job never sends twice and only a request in flight can be left in doubt
 * (core/broadcast/delivery.ts); an officer's resend to the in-doubt recipients is a new round of jobs. Quiet hours
 * delay what is not urgent.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { inQuietHours, nextAllowed } from '../../core/broadcast/quiet-hours.js';
import type { AnnouncementSender } from '../../core/broadcast/sender.js';
import {
  BROADCAST_CHANNELS,
  IN_DOUBT_LISTED,
  type BroadcastChannel,
  type Campaign,
  type CampaignReport,
} from '../../core/broadcast/types.js';
import {
  describeInDoubt,
  planCampaign,
  previewCampaign,
  recipientKey,
  type BroadcasterBaseOptions,
} from '../../core/broadcast/campaigns.js';
import { RedisBroadcastStore } from './broadcast-store.js';
import type { Keys } from './keys.js';
import type { Broadcaster } from '../../core/broadcast/broadcaster.js';
import { createPacedSend } from '../../core/broadcast/pacing.js';
import { createRecipientDelivery } from '../../core/broadcast/delivery.js';

export interface BroadcasterOptions extends BroadcasterBaseOptions {
  redisUrl: string;
  keys: Keys;
  /** How soon a dead worker's job is taken over by another (BullMQ lock). */
  lockDurationMs?: number;
  /** Run workers in this process; false: create and report campaigns only. */
  runWorkers?: boolean;
  now?: () => number;
}

interface AnnounceJob {
  campaignId: string;
  channel: BroadcastChannel;
  userId: string;
  chatId: string;
  /** 0 (absent): the campaign's own pass; n: the n-th resend an officer asked for. */
  round?: number;
}

const ATTEMPTS = 8;
const queueName = (channel: BroadcastChannel) => `broadcast-${channel}`;
/** BullMQ refuses a custom id with other than exactly two ':' in it. */
const jobId = (campaignId: string, channel: string, userId: string, round = 0) =>
  `${campaignId}:${channel}:${userId}${round ? `~r${round}` : ''}`;

export function createBroadcaster(options: BroadcasterOptions): Broadcaster {
  const { keys, subscribers, submissions, limits, quietHours, logger, onSlot } = options;
  const now = options.now ?? Date.now;
  const log = logger.child({ component: 'broadcast' });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (err: Error) => log.error({ err: err.message }, 'redis error'));
  const store = new RedisBroadcastStore(redis, keys);
  const queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  queueConnection.on('error', (err: Error) => log.error({ err: err.message }, 'redis error'));
  const queues = new Map(
    BROADCAST_CHANNELS.map((c) => {
      const queue = new Queue<AnnounceJob>(queueName(c), { connection: queueConnection, prefix: keys.bullPrefix() });
      // Without a listener BullMQ prints the connection's errors to the console (raw, outside the log).
      queue.on('error', (err: Error) => log.error({ err: err.message, channel: c }, 'broadcast queue error'));
      return [c, queue] as const;
    }),
  );
  const senders = new Map(options.senders.map((s) => [s.channel, s]));
  const workers: Worker<AnnounceJob>[] = [];
  const campaigns = new Map<string, Campaign>();
  const context = { subscribers, submissions, frame: options.frame, quietHours };

  async function campaignOf(id: string): Promise<Campaign | undefined> {
    let c = campaigns.get(id);
    if (!c) {
      c = await store.campaign(id);
      if (c) campaigns.set(id, c);
    }
    return c;
  }

  async function enqueue(
    campaign: Campaign,
    recipients: { channel: BroadcastChannel; userId: string; chatId: string; round?: number }[],
  ): Promise<void> {
    const delay = Math.max(0, campaign.startAt - now());
    for (const channel of BROADCAST_CHANNELS) {
      const jobs = recipients
        .filter((r) => r.channel === channel)
        .map((r) => ({
          name: 'announce',
          data: { campaignId: campaign.id, channel, userId: r.userId, chatId: r.chatId, round: r.round ?? 0 },
          opts: {
            jobId: jobId(campaign.id, channel, r.userId, r.round),
            delay,
            attempts: ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        }));
      for (let i = 0; i < jobs.length; i += 500) await queues.get(channel)!.addBulk(jobs.slice(i, i + 500));
    }
  }

  const paced = createPacedSend({ store, limits, log, onSlot });
  const deliver = createRecipientDelivery({
    store,
    subscribers,
    limits,
    paced,
    log,
    now,
    ...(options.outcomeRetry ? { retry: options.outcomeRetry } : {}),
  });

  /** The report with who is in doubt, as officers see people (core/broadcast/campaigns.ts). */
  async function withInDoubt(report: CampaignReport | undefined): Promise<CampaignReport | undefined> {
    if (!report || report.inDoubt <= 0) return report;
    const entries = await store.inDoubt(report.id, IN_DOUBT_LISTED);
    return { ...report, inDoubtRecipients: await describeInDoubt(entries, subscribers) };
  }

  /**
   * Jobs for recipients that may have none: never queued, or moved to a resend round (its jobs are queued at once,
   * for deliberate resends; job ids make queuing twice harmless).
   */
  async function reconcile(id: string, only: 'all' | 'resends' = 'all'): Promise<void> {
    const campaign = await store.campaign(id);
    if (!campaign) return;
    const states = await store.states(id);
    const recipients = await store.recipients(id);
    const missing = recipients.filter((r) => !states[recipientKey(r)]);
    const resends = recipients.flatMap((r) => {
      const resend = /^resend:(\d+)$/.exec(states[recipientKey(r)] ?? '');
      return resend ? [{ ...r, round: Number(resend[1]) }] : [];
    });
    if (missing.length && only === 'all') await enqueue(campaign, missing);
    if (resends.length) await enqueue({ ...campaign, startAt: now() }, resends);
  }

  function processor(channel: BroadcastChannel, sender: AnnouncementSender) {
    return async (job: Job<AnnounceJob>, token?: string): Promise<void> => {
      const { campaignId, userId, chatId, round = 0 } = job.data;
      const field = recipientKey({ channel, userId });
      const campaign = await campaignOf(campaignId);
      if (!campaign) return;
      const at = now();
      if (!campaign.urgent && inQuietHours(at, quietHours)) {
        // Night: what is left waits until morning (a cancelled campaign settles now instead).
        const report = await store.report(campaignId);
        if (report?.status !== 'cancelled') {
          await job.moveToDelayed(nextAllowed(at, quietHours), token);
          throw new DelayedError();
        }
      }
      await deliver({
        campaign,
        channel,
        sender,
        field,
        userId,
        chatId,
        round,
        lastAttempt: job.attemptsMade + 1 >= ATTEMPTS,
      });
    };
  }

  return {
    preview: (content, segment) => previewCampaign(context, content, segment),

    async create(request) {
      const at = now();
      const { campaign, recipients, status } = await planCampaign(context, request, await store.nextId(at), at);
      const { urgent, startAt } = campaign;
      await store.create(campaign, recipients, status);
      await enqueue(campaign, recipients);
      log.info(
        { campaign: campaign.id, total: recipients.length, urgent, delayedMs: Math.max(0, startAt - at) },
        'campaign created',
      );
      return (await store.report(campaign.id))!;
    },

    report: async (id) => withInDoubt(await store.report(id)),
    list: async (limit) => Promise.all((await store.list(limit)).map(async (r) => (await withInDoubt(r))!)),

    async cancel(id) {
      const report = await store.report(id);
      if (!report) return undefined;
      if (await store.cancel(id, now())) {
        log.info({ campaign: id }, 'campaign cancelled');
        // Queued jobs would be skipped anyway; removing them frees the queue sooner.
        const recipients = await store.recipients(id);
        await Promise.allSettled(recipients.map((r) => queues.get(r.channel)!.remove(jobId(id, r.channel, r.userId))));
      }
      return store.report(id);
    },

    async resendInDoubt(id) {
      const campaign = await store.campaign(id);
      if (!campaign) return undefined;
      const moved = await store.resendInDoubt(id, now());
      if (!moved) return { error: 'cancelled' as const };
      if (moved.length) log.info({ campaign: id, resent: moved.length }, 'resend to in-doubt recipients');
      // The jobs of every resend round not yet settled, these and any an earlier call failed to queue. At once, not
      // held back by sendAt; quiet hours still apply unless the campaign is urgent.
      await reconcile(id, 'resends');
      return { resent: moved.length, report: (await withInDoubt(await store.report(id)))! };
    },

    async start() {
      if (options.runWorkers === false) return;
      for (const [channel, sender] of senders) {
        const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
        connection.on('error', (err: Error) => log.error({ err: err.message }, 'redis error'));
        const worker = new Worker<AnnounceJob>(queueName(channel), processor(channel, sender), {
          connection,
          prefix: keys.bullPrefix(),
          concurrency: options.concurrency ?? 4,
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: options.lockDurationMs ?? 30_000,
          maxStalledCount: 10,
        });
        worker.on('error', (err: Error) => log.error({ err: err.message, channel }, 'broadcast worker error'));
        workers.push(worker);
      }
      // Campaigns interrupted between being stored and being queued get their jobs (job ids make this idempotent).
      for (const report of await store.list(100)) {
        if (report.status === 'scheduled' || report.status === 'running') await reconcile(report.id);
      }
    },

    async close() {
      // Workers finish the sends they started, so a stopped process leaves nothing in doubt.
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      for (const w of workers) await (w.opts.connection as Redis).quit?.().catch(() => undefined);
      await queueConnection.quit().catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}
