/** Handled unanswered questions in Redis: one hash, group key → the handled group (JSON). */
import type { Redis } from 'ioredis';
import type { HandledQuestion, QuestionReviewStore } from '../../core/insights/review.js';

export class RedisQuestionReview implements QuestionReviewStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}
  async markDone(handled: HandledQuestion): Promise<void> {
    await this.redis.hset(this.key, handled.key, JSON.stringify(handled));
  }
  async reopen(key: string): Promise<void> {
    await this.redis.hdel(this.key, key);
  }
  async handled(): Promise<HandledQuestion[]> {
    const all = await this.redis.hvals(this.key);
    return all
      .flatMap((raw) => {
        try {
          const h = JSON.parse(raw) as HandledQuestion;
          return typeof h.key === 'string' && Array.isArray(h.keys) ? [h] : [];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.at - a.at);
  }
}
