/**
 * The question log in Redis: a capped list of unanswered questions (LPUSH + LTRIM), one counter hash per
 * Vietnam-time day (expiring after ~400 days), and a sorted set of cited topics with a hash of their titles.
 * One MULTI per question, so a question is counted everywhere or nowhere.
 */
import type { Redis } from 'ioredis';
import {
  DAY_COUNTER_TTL_SECONDS,
  DEFAULT_UNANSWERED_CAP,
  byCountThenId,
  lastDays,
  questionText,
  vietnamDate,
  type DayCount,
  type LoggedQuestion,
  type QuestionLog,
  type QuestionRecord,
  type TopicCount,
} from '../../core/insights/question-log.js';
import type { Keys } from './keys.js';
import { runScript } from './lua.js';

export interface RedisQuestionLogOptions {
  /** How many unanswered questions are kept (the most recent). */
  maxUnanswered?: number;
}

function parse(raw: string): LoggedQuestion | undefined {
  try {
    const q = JSON.parse(raw) as Partial<LoggedQuestion>;
    return typeof q.text === 'string' && typeof q.at === 'number' && typeof q.channel === 'string'
      ? { channel: q.channel, text: q.text, at: q.at, ...(typeof q.userId === 'string' ? { userId: q.userId } : {}) }
      : undefined;
  } catch {
    return undefined;
  }
}

export class RedisQuestionLog implements QuestionLog {
  private readonly maxUnanswered: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    options: RedisQuestionLogOptions = {},
  ) {
    this.maxUnanswered = options.maxUnanswered ?? DEFAULT_UNANSWERED_CAP;
  }

  async record(q: QuestionRecord): Promise<void> {
    const abstained = Boolean(q.abstained);
    const entry: LoggedQuestion | undefined = abstained
      ? { channel: q.channel, text: questionText(q.text), at: q.at, ...(q.userId ? { userId: q.userId } : {}) }
      : undefined;
    await runScript(
      this.redis,
      'question-record',
      [
        this.keys.questionsDay(vietnamDate(q.at)),
        this.keys.questionsUnanswered(),
        this.keys.questionTopics(),
        this.keys.questionTopicTitles(),
      ],
      [
        DAY_COUNTER_TTL_SECONDS,
        abstained ? '1' : '0',
        entry ? JSON.stringify(entry) : '',
        this.maxUnanswered,
        q.topicId ?? '',
        q.topicId ? (q.topicTitle ?? '') : '',
      ],
    );
  }

  async unanswered(limit = this.maxUnanswered): Promise<LoggedQuestion[]> {
    if (limit <= 0) return [];
    const raw = await this.redis.lrange(this.keys.questionsUnanswered(), 0, Math.min(limit, this.maxUnanswered) - 1);
    return raw.flatMap((r) => parse(r) ?? []);
  }

  async daily(days: number, now: number): Promise<DayCount[]> {
    const dates = lastDays(days, now);
    const pipeline = this.redis.pipeline();
    for (const date of dates) pipeline.hmget(this.keys.questionsDay(date), 'total', 'unanswered');
    const results = (await pipeline.exec()) ?? [];
    return dates.map((date, i) => {
      const [total, unanswered] = (results[i]?.[1] ?? []) as (string | null)[];
      return { date, total: Number(total ?? 0), unanswered: Number(unanswered ?? 0) };
    });
  }

  async topTopics(limit: number): Promise<TopicCount[]> {
    if (limit <= 0) return [];
    // Read a little more than asked, so ties at the cut are broken by id like the memory log does.
    const flat = await this.redis.zrevrange(this.keys.questionTopics(), 0, limit * 2 + 20, 'WITHSCORES');
    const pairs: { id: string; count: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) pairs.push({ id: flat[i]!, count: Number(flat[i + 1]) });
    const titles = pairs.length
      ? await this.redis.hmget(this.keys.questionTopicTitles(), ...pairs.map((p) => p.id))
      : [];
    return pairs
      .map((p, i): TopicCount => ({ id: p.id, title: titles[i] ?? p.id, count: p.count }))
      .sort(byCountThenId)
      .slice(0, limit);
  }
}
