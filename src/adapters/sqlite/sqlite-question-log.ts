/**
 * The question log in the embedded SQLite database: a capped table of unanswered questions, one counter row per
 * Vietnam-time day and one per cited topic. One transaction per question, so it is counted everywhere or nowhere.
 */
import {
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
import type { ChannelName } from '../../core/conversation.js';
import type { HandledQuestion, QuestionReviewStore } from '../../core/insights/review.js';
import type { SqliteDatabase } from './database.js';

export interface SqliteQuestionLogOptions {
  /** How many unanswered questions are kept (the most recent). */
  maxUnanswered?: number;
}

export class SqliteQuestionLog implements QuestionLog {
  private readonly maxUnanswered: number;
  private readonly recordTx;
  private readonly newest;
  private readonly dayRows;
  private readonly topics;

  constructor(db: SqliteDatabase, options: SqliteQuestionLogOptions = {}) {
    this.maxUnanswered = options.maxUnanswered ?? DEFAULT_UNANSWERED_CAP;
    const countDay = db.prepare<[string, number]>(
      `INSERT INTO questions_days (date, total, unanswered) VALUES (?, 1, ?)
       ON CONFLICT (date) DO UPDATE SET total = total + 1, unanswered = unanswered + excluded.unanswered`,
    );
    const keep = db.prepare<[string, string, number, string | null]>(
      'INSERT INTO questions_unanswered (channel, text, at, user_id) VALUES (?, ?, ?, ?)',
    );
    const trim = db.prepare<[number]>(
      'DELETE FROM questions_unanswered WHERE seq <= (SELECT MAX(seq) FROM questions_unanswered) - ?',
    );
    const cite = db.prepare(
      `INSERT INTO question_topics (id, title, count) VALUES (@id, COALESCE(@title, @id), 1)
       ON CONFLICT (id) DO UPDATE SET count = count + 1, title = COALESCE(@title, title)`,
    );
    this.recordTx = db.transaction((q: QuestionRecord) => {
      countDay.run(vietnamDate(q.at), q.abstained ? 1 : 0);
      if (q.abstained) {
        keep.run(q.channel, questionText(q.text), q.at, q.userId ?? null);
        trim.run(this.maxUnanswered);
      }
      if (q.topicId) cite.run({ id: q.topicId, title: q.topicTitle || null });
    });
    this.newest = db.prepare<[number], { channel: string; text: string; at: number; user_id: string | null }>(
      'SELECT channel, text, at, user_id FROM questions_unanswered ORDER BY seq DESC LIMIT ?',
    );
    this.dayRows = db.prepare<[string, string], { date: string; total: number; unanswered: number }>(
      'SELECT date, total, unanswered FROM questions_days WHERE date >= ? AND date <= ?',
    );
    this.topics = db.prepare<[number], TopicCount>(
      'SELECT id, title, count FROM question_topics ORDER BY count DESC, id ASC LIMIT ?',
    );
  }

  async record(q: QuestionRecord): Promise<void> {
    this.recordTx(q);
  }

  async unanswered(limit = this.maxUnanswered): Promise<LoggedQuestion[]> {
    if (limit <= 0) return [];
    return this.newest.all(Math.min(limit, this.maxUnanswered)).map((q) => ({
      channel: q.channel as ChannelName,
      text: q.text,
      at: q.at,
      ...(q.user_id ? { userId: q.user_id } : {}),
    }));
  }

  async daily(days: number, now: number): Promise<DayCount[]> {
    const dates = lastDays(days, now);
    if (!dates.length) return [];
    const known = new Map(this.dayRows.all(dates[0]!, dates.at(-1)!).map((d) => [d.date, d]));
    return dates.map((date) => ({
      date,
      total: known.get(date)?.total ?? 0,
      unanswered: known.get(date)?.unanswered ?? 0,
    }));
  }

  async topTopics(limit: number): Promise<TopicCount[]> {
    if (limit <= 0) return [];
    return this.topics
      .all(limit)
      .map((t) => ({ ...t }))
      .sort(byCountThenId);
  }
}

/** The groups of unanswered questions officers marked as handled, kept across restarts. */
export class SqliteQuestionReview implements QuestionReviewStore {
  private readonly upsert;
  private readonly remove;
  private readonly all;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare<[string, number, string]>(
      `INSERT INTO questions_handled (key, at, doc) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET at = excluded.at, doc = excluded.doc`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM questions_handled WHERE key = ?');
    this.all = db.prepare<[], { doc: string }>('SELECT doc FROM questions_handled ORDER BY at DESC');
  }

  async markDone(handled: HandledQuestion): Promise<void> {
    this.upsert.run(handled.key, handled.at, JSON.stringify(handled));
  }

  async reopen(key: string): Promise<void> {
    this.remove.run(key);
  }

  async handled(): Promise<HandledQuestion[]> {
    return this.all.all().map((row) => JSON.parse(row.doc) as HandledQuestion);
  }
}
