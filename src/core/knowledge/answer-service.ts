/**
 * The one way to answer a question: the extractive, grounded answer, optionally rephrased by an LLM when one
 * is configured and its output passes the grounding check. Used by every channel and by `ocop-bot ask`.
 */
import { toSourceLink, type AloneAnswers, type Answer, type Answerer, type AnswerRephraser } from './answerer.js';
import type { Reader, Reading } from '../understanding/reading.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

export interface AnswerService {
  /** Answers a question, typed or already read (a follow-up read with the previous question). */
  ask(question: string | Reading): Promise<Answer>;
  /** The language layer the answers are read with. */
  readonly reader: Reader;
}

export interface AnswerServiceOptions {
  answerer: Answerer;
  rephraser?: AnswerRephraser;
  /** How long to wait for the LLM before keeping the extractive answer. */
  rephraseTimeoutMs?: number;
  logger?: Logger;
  /** How many recent answers to keep, keyed by the question as typed (case and spacing aside); 0 = none. */
  cacheSize?: number;
}

/**
 * Recent answers. The knowledge base does not change while the process runs, so the same question always gets
 * the same answer: menu buttons send identical texts and popular questions recur, and a hit skips retrieval
 * (and the LLM call, when one is configured).
 */
class AnswerCache {
  private readonly entries = new Map<string, Answer>();
  constructor(private readonly size: number) {}

  /** What the answer depends on: the text as read and, for a follow-up, how and after which answer it was read. */
  static key(reading: Reading): string {
    const context = reading.followUp ? `${reading.followUp}:${reading.followsPassage ?? ''}:` : '';
    return `${reading.expectedProduct ? 'product:' : ''}${context}${reading.text.toLowerCase().replace(/\s+/g, ' ')}`;
  }

  get(key: string): Answer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // Re-inserted as the most recent.
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, answer: Answer): void {
    if (this.size <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, answer);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
}

export function createAnswerService({
  answerer,
  rephraser,
  rephraseTimeoutMs = 8000,
  logger = silentLogger,
  cacheSize = 0,
}: AnswerServiceOptions): AnswerService {
  const cache = new AnswerCache(cacheSize);

  // A follow-up is also answered as a message on its own: that answer is a recent answer like any other.
  const alone: AloneAnswers = (reading, fresh) => {
    const key = AnswerCache.key(reading);
    const hit = cache.get(key);
    if (hit) return hit;
    const answer = fresh();
    cache.set(key, answer);
    return answer;
  };

  async function answerFresh(reading: Reading): Promise<{ answer: Answer; final: boolean }> {
    const answer = answerer.answer(reading, alone);
    const question = reading.text;
    if (!rephraser || answer.abstained || answer.kind !== 'retrieval') return { answer, final: true };
    const passages = answer.passages.slice(0, 3);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), rephraseTimeoutMs);
      });
      const result = await Promise.race([rephraser.rephrase({ question, draft: answer.body, passages }), timeout]);
      if (!result) {
        logger.info({ event: 'llm_rejected_or_timeout' }, 'kept extractive answer');
        return { answer, final: false };
      }
      const cited = passages.filter((p) => result.citedIds.includes(p.id));
      const rephrased = {
        ...answer,
        body: result.text,
        text: answerer.withSources(result.text, cited),
        sources: cited.map(toSourceLink),
      };
      return { answer: rephrased, final: true };
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'llm failed; kept extractive answer');
      return { answer, final: false };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    reader: answerer.reader,
    async ask(question) {
      const reading = typeof question === 'string' ? answerer.reader.read(question) : question;
      const key = AnswerCache.key(reading);
      const cached = cache.get(key);
      // A cached answer keeps the question as this asker typed it.
      if (cached) return cached.question === reading.typed ? cached : { ...cached, question: reading.typed, reading };
      const { answer, final } = await answerFresh(reading);
      // A fallback after an LLM timeout or failure is not kept, so the next asker gets another try.
      if (final) cache.set(key, answer);
      return answer;
    },
  };
}
