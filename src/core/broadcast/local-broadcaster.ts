import type { Broadcaster } from './broadcaster.js';
import type { CampaignStore } from './campaign-store.js';
import {
  describeInDoubt,
  planCampaign,
  previewCampaign,
  recipientKey,
  type BroadcasterBaseOptions,
} from './campaigns.js';
import { createRecipientDelivery } from './delivery.js';
import { LocalCampaignStates, systemClock, type Clock } from './local-states.js';
import { createPacedSend } from './pacing.js';
import { inQuietHours, nextAllowed } from './quiet-hours.js';
import type { AnnouncementSender } from './sender.js';
import { IN_DOUBT_LISTED, type BroadcastChannel, type Campaign, type CampaignReport } from './types.js';

export interface LocalBroadcasterOptions extends BroadcasterBaseOptions {
  store: CampaignStore;
  clock?: Clock;
}

/** Attempts per recipient, and the first retry's wait (doubling), as the BullMQ jobs have. */
const ATTEMPTS = 8;
const BACKOFF_MS = 1000;

interface Job {
  campaignId: string;
  channel: BroadcastChannel;
  userId: string;
  chatId: string;
  round: number;
  /** Not before this time. */
  due: number;
  attemptsMade: number;
}

/** Waiting that stops when the broadcaster closes. */
class Closing extends Error {
  override name = 'Closing';
}

export function createLocalBroadcaster(options: LocalBroadcasterOptions): Broadcaster {
  const { store, subscribers, submissions, limits, quietHours, logger, onSlot } = options;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const log = logger.child({ component: 'broadcast' });
  const context = { subscribers, submissions, frame: options.frame, quietHours };
  const concurrency = options.concurrency ?? 4;
  const senders = new Map(options.senders.map((s) => [s.channel, s]));

  let started = false;
  let closed = false;
  const waits = new Set<{ handle: unknown; reject: (err: Error) => void }>();
  function sleep(ms: number): Promise<void> {
    if (closed) return Promise.reject(new Closing('closing'));
    return new Promise<void>((resolve, reject) => {
      const w = {
        handle: clock.setTimeout(() => {
          waits.delete(w);
          resolve();
        }, ms),
        reject,
      };
      waits.add(w);
    });
  }

  const states = new LocalCampaignStates(store, clock, sleep);
  const paced = createPacedSend({ store: states, limits, log, onSlot, wait: sleep });
  const deliver = createRecipientDelivery({
    store: states,
    subscribers,
    limits,
    paced,
    log,
    now,
    sleep,
    ...(options.outcomeRetry ? { retry: options.outcomeRetry } : {}),
  });

  const queued = new Map<BroadcastChannel, Job[]>();
  const known = new Set<string>();
  const active = new Map<BroadcastChannel, Set<Promise<void>>>();
  const timers = new Map<BroadcastChannel, unknown>();
  const campaigns = new Map<string, Campaign>();
  const jobKey = (j: Pick<Job, 'campaignId' | 'channel' | 'userId' | 'round'>) =>
    `${j.campaignId}|${j.channel}:${j.userId}|${j.round}`;

  function enqueue(
    campaign: Campaign,
    recipients: { channel: BroadcastChannel; userId: string; chatId: string; round?: number }[],
    due = campaign.startAt,
  ) {
    campaigns.set(campaign.id, campaign);
    for (const r of recipients) {
      const job: Job = { campaignId: campaign.id, ...r, round: r.round ?? 0, due, attemptsMade: 0 };
      if (known.has(jobKey(job))) continue;
      known.add(jobKey(job));
      (queued.get(r.channel) ?? queued.set(r.channel, []).get(r.channel)!).push(job);
    }
    for (const channel of new Set(recipients.map((r) => r.channel))) pump(channel);
  }

  /** Starts the channel's due jobs (up to the concurrency), and a timer for the next one not yet due. */
  function pump(channel: BroadcastChannel): void {
    const sender = senders.get(channel);
    if (!started || closed || !sender) return;
    const jobs = queued.get(channel) ?? [];
    const running = active.get(channel) ?? active.set(channel, new Set()).get(channel)!;
    jobs.sort((a, b) => a.due - b.due);
    while (running.size < concurrency && jobs.length && jobs[0]!.due <= now()) {
      const job = jobs.shift()!;
      const run = runJob(job, sender).finally(() => {
        running.delete(run);
        pump(channel);
      });
      running.add(run);
    }
    const timer = timers.get(channel);
    if (timer !== undefined) clock.clearTimeout(timer);
    timers.delete(channel);
    if (jobs.length && running.size < concurrency) {
      timers.set(
        channel,
        clock.setTimeout(
          () => {
            timers.delete(channel);
            pump(channel);
          },
          Math.max(0, jobs[0]!.due - now()),
        ),
      );
    }
  }

  function requeue(job: Job): void {
    queued.get(job.channel)!.push(job);
  }

  /** One attempt at one recipient; never rejects (a failure is retried with backoff, as a BullMQ job is). */
  async function runJob(job: Job, sender: AnnouncementSender): Promise<void> {
    try {
      const campaign = campaigns.get(job.campaignId) ?? (await store.get(job.campaignId))?.campaign;
      if (!campaign) return done(job);
      const at = now();
      if (!campaign.urgent && inQuietHours(at, quietHours) && !(await states.isCancelled(campaign.id))) {
        // Night: what is left waits until morning (a cancelled campaign settles now instead).
        return requeue({ ...job, due: nextAllowed(at, quietHours) });
      }
      await deliver({
        campaign,
        channel: job.channel,
        sender,
        field: recipientKey(job),
        userId: job.userId,
        chatId: job.chatId,
        round: job.round,
        lastAttempt: job.attemptsMade + 1 >= ATTEMPTS,
      });
      done(job);
    } catch (err) {
      if (err instanceof Closing) return; // nothing claimed: queued again at the next start
      const attemptsMade = job.attemptsMade + 1;
      if (attemptsMade >= ATTEMPTS) {
        log.warn(
          { campaign: job.campaignId, channel: job.channel, err: (err as Error).message },
          'announcement gave up',
        );
        return done(job);
      }
      requeue({ ...job, attemptsMade, due: now() + BACKOFF_MS * 2 ** (attemptsMade - 1) });
    }
  }

  function done(job: Job): void {
    known.delete(jobKey(job));
  }

  async function withInDoubt(report: CampaignReport | undefined): Promise<CampaignReport | undefined> {
    if (!report || report.inDoubt <= 0) return report;
    const entries = await states.inDoubt(report.id, IN_DOUBT_LISTED);
    return { ...report, inDoubtRecipients: await describeInDoubt(entries, subscribers) };
  }

  return {
    preview: (content, segment) => previewCampaign(context, content, segment),

    async create(request) {
      const at = now();
      const planned = await planCampaign(context, request, await store.nextId(at), at);
      const { campaign, recipients } = planned;
      const empty = recipients.length === 0;
      await store.create(
        {
          campaign,
          status: empty ? 'done' : planned.status,
          ...(empty ? { finishedAt: at } : {}),
          resent: 0,
        },
        recipients.map((r) => ({ ...r, key: recipientKey(r), state: 'pending', round: 0 })),
      );
      enqueue(campaign, recipients);
      log.info(
        {
          campaign: campaign.id,
          total: recipients.length,
          urgent: campaign.urgent,
          delayedMs: Math.max(0, campaign.startAt - at),
        },
        'campaign created',
      );
      return (await states.report(campaign.id))!;
    },

    report: async (id) => withInDoubt(await states.report(id)),
    list: async (limit = 50) =>
      Promise.all((await store.list(limit)).map(async (d) => (await withInDoubt(await states.report(d.campaign.id)))!)),

    async cancel(id) {
      if (!(await store.get(id))) return undefined;
      if (await states.cancel(id, now())) {
        log.info({ campaign: id }, 'campaign cancelled');
        // Queued jobs would be skipped anyway; dropping them frees the queue sooner.
        for (const jobs of queued.values()) {
          for (let i = jobs.length - 1; i >= 0; i--) {
            if (jobs[i]!.campaignId === id) done(jobs.splice(i, 1)[0]!);
          }
        }
      }
      return states.report(id);
    },

    async resendInDoubt(id) {
      const doc = await store.get(id);
      if (!doc) return undefined;
      const moved = await states.resendInDoubt(id, now());
      if (!moved) return { error: 'cancelled' as const };
      if (moved.length) log.info({ campaign: id, resent: moved.length }, 'resend to in-doubt recipients');
      // At once, not held back by sendAt; quiet hours still apply unless the campaign is urgent.
      enqueue(doc.campaign, moved, now());
      return { resent: moved.length, report: (await withInDoubt(await states.report(id)))! };
    },

    async start() {
      if (started || closed) return;
      started = true;
      // Campaigns this process (or the one before it) left unfinished: claimed sends are in doubt, the rest queued.
      for (const doc of await store.list(Number.MAX_SAFE_INTEGER)) {
        if (doc.status !== 'scheduled' && doc.status !== 'running') continue;
        const pending = await states.resume(doc.campaign.id, now());
        const due = (r: { round: number }) => (r.round > 0 ? now() : doc.campaign.startAt);
        for (const r of pending) enqueue(doc.campaign, [r], due(r));
      }
      for (const channel of senders.keys()) pump(channel);
    },

    async close() {
      closed = true;
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
      // Sends waiting for a slot or a chat's gate have claimed nobody: they stop. Requests in flight finish.
      for (const w of waits) {
        clock.clearTimeout(w.handle);
        w.reject(new Closing('closing'));
      }
      waits.clear();
      await Promise.allSettled([...active.values()].flatMap((s) => [...s]));
    },
  };
}
