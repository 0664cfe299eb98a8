/**
 * The one way to answer a question: the extractive, grounded answer, optionally rephrased by an LLM when one
 * is configured and its output passes the grounding check. Used by every channel and by `ocop-bot ask`.
 */
import { toSourceLink, type Answer, type Answerer, type AnswerRephraser } from './answerer.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

export interface AnswerService {
  ask(question: string): Promise<Answer>;
}

export interface AnswerServiceOptions {
  answerer: Answerer;
  rephraser?: AnswerRephraser;
  /** How long to wait for the LLM before keeping the extractive answer. */
  rephraseTimeoutMs?: number;
  logger?: Logger;
}

export function createAnswerService({ answerer, rephraser, rephraseTimeoutMs = 8000, logger = silentLogger }: AnswerServiceOptions): AnswerService {
  return {
    async ask(question) {
      const answer = answerer.answer(question);
      if (!rephraser || answer.abstained || answer.kind !== 'retrieval') return answer;
      const passages = answer.passages.slice(0, 3);
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), rephraseTimeoutMs);
        });
        const result = await Promise.race([rephraser.rephrase({ question, draft: answer.body, passages }), timeout]);
        if (!result) {
          logger.info({ event: 'llm_rejected_or_timeout' }, 'kept extractive answer');
          return answer;
        }
        const cited = passages.filter((p) => result.citedIds.includes(p.id));
        return {
          ...answer,
          body: result.text,
          text: answerer.withSources(result.text, cited),
          sources: cited.map(toSourceLink),
        };
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'llm failed; kept extractive answer');
        return answer;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
