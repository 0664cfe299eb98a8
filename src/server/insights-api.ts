/**
 * The officers' figures: unanswered questions grouped by similarity ("Câu hỏi chưa trả lời được"), and
 * users per channel, questions per day, top topics and submissions by status. Routes are registered on the
 * instance given, relative to it; the caller mounts them inside the authenticated admin scope.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ChannelName } from '../core/conversation.js';
import { inScope, TOKEN_OFFICER } from '../core/officer/accounts.js';
import { groupQuestions } from '../core/insights/grouping.js';
import { DEFAULT_UNANSWERED_CAP, lastDays, vietnamDate, type QuestionLog } from '../core/insights/question-log.js';
import { SUBMISSION_STATUSES, type SubmissionStatus, type SubmissionStore } from '../core/registration/types.js';
import type { SubscriberStore } from '../core/subscribers.js';
import type { ParkedUpdate } from '../core/update-journal.js';
import { maskPersonalData } from '../core/text/mask.js';
import { isHandled, questionKey, type QuestionReviewStore } from '../core/insights/review.js';

export interface InsightsApiDeps {
  questions: QuestionLog;
  subscribers: SubscriberStore;
  submissions: SubmissionStore;
  /** Platform updates parked after repeated failures (the inbox's dead letter). */
  parkedUpdates?: (limit: number) => Promise<{ total: number; recent: ParkedUpdate[] }>;
  /** Sends an officer's answer to who asked; false when their channel cannot be written to first (web). */
  deliver?: (channel: ChannelName, userId: string, text: string) => Promise<boolean>;
  /** The template of that answer (prompts/messages.yaml officer_answer). */
  answerTemplate?: string;
  /** Groups of unanswered questions an officer marked as handled; without it nothing can be marked. */
  review?: QuestionReviewStore;
  now?: () => number;
}

/** Parked updates listed by /stats. */
export const RECENT_PARKED = 20;

/** Most groups returned by /unanswered. */
export const MAX_GROUPS = 100;
/** Most days /stats covers (the day counters are kept ~400 days). */
export const MAX_DAYS = 400;
/** Topics listed by /stats. */
export const TOP_TOPICS = 10;

/** Every channel, in the order reported (a Record, so a channel added to ChannelName must be added here). */
const REPORTED: Record<ChannelName, true> = { telegram: true, zalo: true, web: true, cli: true };
const REPORTED_CHANNELS = Object.keys(REPORTED) as ChannelName[];

/** An integer query parameter: digits only, within bounds. */
const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, 'an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const unansweredQuery = z.object({ limit: integer(1, DEFAULT_UNANSWERED_CAP).optional() });
const handledBody = z.object({ text: z.string().trim().min(1).max(1000) }).strict();
const answerBody = z
  .object({ text: z.string().trim().min(1).max(1000), answer: z.string().trim().min(1).max(3000) })
  .strict();
const statsQuery = z.object({ days: integer(1, MAX_DAYS).optional() });

/** One bar group of the console's charts: a day, a commune or a product group, with its counts. */
export interface ChartRow {
  key: string;
  label: string;
  questions?: number;
  unanswered?: number;
  submissions: number;
}

/** "I.2.b" → "I.2": the product group (the second level of the QĐ 148 classification). */
const groupCode = (code: string) => code.split('.').slice(0, 2).join('.');

const invalid = (reply: FastifyReply, issues: z.core.$ZodIssue[]) =>
  reply
    .code(400)
    .send({ error: 'invalid_query', fields: [...new Set(issues.map((i) => String(i.path[0] ?? '')).filter(Boolean))] });

export function registerInsightsApi(api: FastifyInstance, deps: InsightsApiDeps): void {
  const { questions, subscribers, submissions, parkedUpdates, review, now = Date.now } = deps;

  /** The open groups (handled ones left out) and the handled ones. */
  async function reviewed(limit: number) {
    const [asked, handled] = await Promise.all([questions.unanswered(limit), review?.handled() ?? []]);
    // Stored masked; masked again as shown, so questions kept before the masker learnt a form are covered too.
    const shown = asked.map((q) => ({ ...q, text: maskPersonalData(q.text) }));
    const open = shown.filter((q) => !isHandled(q, handled));
    return { groups: groupQuestions(open).slice(0, MAX_GROUPS), handled };
  }

  api.get('/unanswered', async (req, reply) => {
    const parsed = unansweredQuery.safeParse(req.query ?? {});
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const { groups, handled } = await reviewed(parsed.data.limit ?? DEFAULT_UNANSWERED_CAP);
    return reply.send({
      groups,
      handled: handled.map(({ keys: _keys, ...h }) => h),
    });
  });

  // "Đã xử lý": the open group whose wording is `text` leaves the list, with every wording it holds.
  api.post('/unanswered/done', async (req, reply) => {
    const parsed = handledBody.safeParse(req.body);
    if (!parsed.success || !review) return reply.code(400).send({ error: 'invalid_body', fields: ['text'] });
    const { groups } = await reviewed(DEFAULT_UNANSWERED_CAP);
    const key = questionKey(parsed.data.text);
    const group = groups.find((g) => questionKey(g.representative) === key);
    if (!group) return reply.code(404).send({ error: 'not_found' });
    const handled = {
      key,
      text: group.representative,
      keys: [...new Set([group.representative, ...group.examples].map(questionKey))],
      count: group.count,
      at: now(),
      by: (req.officer ?? TOKEN_OFFICER).name,
    };
    await review.markDone(handled);
    return reply.send({ key, text: handled.text, count: handled.count, at: handled.at, by: handled.by });
  });

  // An officer's answer: sent to everyone who asked a wording of the group on a channel the bot may write to
  // first (Telegram, Zalo); web visitors cannot be reached and are counted apart. The group is then handled.
  api.post('/unanswered/answer', async (req, reply) => {
    const parsed = answerBody.safeParse(req.body);
    if (!parsed.success || !review || !deps.deliver)
      return reply.code(400).send({ error: 'invalid_body', fields: parsed.success ? [] : ['text', 'answer'] });
    const all = (await questions.unanswered(DEFAULT_UNANSWERED_CAP)).map((q) => ({
      ...q,
      text: maskPersonalData(q.text),
    }));
    const handledBefore = await review.handled();
    const groups = groupQuestions(all.filter((q) => !isHandled(q, handledBefore)));
    const key = questionKey(parsed.data.text);
    const group = groups.find((g) => questionKey(g.representative) === key);
    if (!group) return reply.code(404).send({ error: 'not_found' });
    const keys = new Set([group.representative, ...group.examples].map(questionKey));
    const askers = new Map<string, { channel: ChannelName; userId?: string }>();
    for (const q of all) if (keys.has(questionKey(q.text))) askers.set(`${q.channel}:${q.userId ?? q.at}`, q);
    const text = (deps.answerTemplate ?? '{answer}')
      .replace('{question}', group.representative)
      .replace('{answer}', parsed.data.answer);
    let sent = 0;
    let notSent = 0;
    for (const a of askers.values()) {
      const ok = a.userId ? await deps.deliver(a.channel, a.userId, text).catch(() => false) : false;
      if (ok) sent += 1;
      else notSent += 1;
    }
    await review.markDone({
      key,
      text: group.representative,
      keys: [...keys],
      count: group.count,
      at: now(),
      by: (req.officer ?? TOKEN_OFFICER).name,
      answer: parsed.data.answer,
    });
    return reply.send({ sent, notSent });
  });

  api.post('/unanswered/reopen', async (req, reply) => {
    const parsed = handledBody.safeParse(req.body);
    if (!parsed.success || !review) return reply.code(400).send({ error: 'invalid_body', fields: ['text'] });
    await review.reopen(questionKey(parsed.data.text));
    return reply.send({ ok: true });
  });

  // The console's charts: questions, unanswered questions and submissions per Vietnam day over `days` days,
  // and that window's submissions per commune and per product group (most first). Questions are logged without
  // who asked or where, so communes and groups count submissions only.
  api.get('/charts', async (req, reply) => {
    const parsed = statsQuery.safeParse(req.query ?? {});
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const days = parsed.data.days ?? 14;
    const at = now();
    const dates = lastDays(days, at);
    const [questionsByDay, all] = await Promise.all([questions.daily(days, at), submissions.list()]);
    const inWindow = all.filter((s) => vietnamDate(s.createdAt) >= dates[0]!);
    const byDay = new Map<string, ChartRow>(
      dates.map((date) => [date, { key: date, label: date, questions: 0, unanswered: 0, submissions: 0 }]),
    );
    for (const q of questionsByDay) {
      const row = byDay.get(q.date);
      if (row) Object.assign(row, { questions: q.total, unanswered: q.unanswered });
    }
    const byCommune = new Map<string, ChartRow>();
    const byGroup = new Map<string, ChartRow>();
    const bump = (map: Map<string, ChartRow>, key: string, label: string) => {
      const row = map.get(key) ?? { key, label, submissions: 0 };
      row.submissions += 1;
      map.set(key, row);
    };
    for (const s of inWindow) {
      const day = byDay.get(vietnamDate(s.createdAt));
      if (day) day.submissions += 1;
      bump(byCommune, s.form.commune, s.form.commune);
      const code = groupCode(s.form.productGroup.code);
      bump(byGroup, code, `${code} — ${s.form.productGroup.group}`);
    }
    const mostFirst = (rows: ChartRow[]) =>
      rows.sort((a, b) => b.submissions - a.submissions || a.key.localeCompare(b.key, 'vi'));
    return reply.send({
      days,
      byDay: [...byDay.values()],
      byCommune: mostFirst([...byCommune.values()]),
      byGroup: mostFirst([...byGroup.values()]),
    });
  });

  api.get('/stats', async (req, reply) => {
    const parsed = statsQuery.safeParse(req.query ?? {});
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const days = parsed.data.days ?? 14;
    const [people, questionsByDay, topTopics, all, parked] = await Promise.all([
      Promise.all(REPORTED_CHANNELS.map((c) => subscribers.list(c))),
      questions.daily(days, now()),
      questions.topTopics(TOP_TOPICS),
      submissions.list(),
      parkedUpdates?.(RECENT_PARKED) ?? { total: 0, recent: [] },
    ]);
    const usersByChannel = {} as Record<ChannelName, number>;
    const optedInByChannel = {} as Record<ChannelName, number>;
    REPORTED_CHANNELS.forEach((channel, i) => {
      const list = people[i] ?? [];
      usersByChannel[channel] = list.length;
      optedInByChannel[channel] = list.filter((s) => s.optedIn).length;
    });
    const submissionsByStatus = Object.fromEntries(SUBMISSION_STATUSES.map((s) => [s, 0])) as Record<
      SubmissionStatus,
      number
    >;
    // A commune officer's figures count their communes' submissions only.
    const officer = req.officer;
    for (const s of all) if (!officer || inScope(officer, s.form.commune)) submissionsByStatus[s.status] += 1;
    return reply.send({
      usersByChannel,
      optedInByChannel,
      questionsByDay,
      topTopics,
      submissionsByStatus,
      parkedUpdates: parked,
    });
  });
}
