/** The question log in process memory: for one process without Redis, and for tests. Lost on restart. */
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

export interface MemoryQuestionLogOptions {
  /** How many unanswered questions are kept (the most recent). */
  maxUnanswered?: number;
}

export class MemoryQuestionLog implements QuestionLog {
  private readonly maxUnanswered: number;
  /** Newest first. */
  private questions: LoggedQuestion[] = [];
  private readonly days = new Map<string, { total: number; unanswered: number }>();
  private readonly topics = new Map<string, TopicCount>();

  constructor(options: MemoryQuestionLogOptions = {}) {
    this.maxUnanswered = options.maxUnanswered ?? DEFAULT_UNANSWERED_CAP;
  }

  async record(q: QuestionRecord): Promise<void> {
    const date = vietnamDate(q.at);
    const day = this.days.get(date) ?? { total: 0, unanswered: 0 };
    day.total += 1;
    if (q.abstained) {
      day.unanswered += 1;
      this.questions.unshift({
        channel: q.channel,
        text: questionText(q.text),
        at: q.at,
        ...(q.userId ? { userId: q.userId } : {}),
      });
      if (this.questions.length > this.maxUnanswered) this.questions.length = this.maxUnanswered;
    }
    this.days.set(date, day);
    if (q.topicId) {
      const topic = this.topics.get(q.topicId) ?? { id: q.topicId, title: q.topicId, count: 0 };
      topic.count += 1;
      if (q.topicTitle) topic.title = q.topicTitle;
      this.topics.set(q.topicId, topic);
    }
  }

  async unanswered(limit = this.maxUnanswered): Promise<LoggedQuestion[]> {
    return this.questions.slice(0, Math.max(0, limit)).map((q) => ({ ...q }));
  }

  async daily(days: number, now: number): Promise<DayCount[]> {
    return lastDays(days, now).map((date) => ({ date, total: 0, unanswered: 0, ...this.days.get(date) }));
  }

  async topTopics(limit: number): Promise<TopicCount[]> {
    return [...this.topics.values()]
      .sort(byCountThenId)
      .slice(0, Math.max(0, limit))
      .map((t) => ({ ...t }));
  }
}
