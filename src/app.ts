/**
 * Composition root: builds the knowledge base, the answer service, the conversation store and the engine
 * from the configuration. The only module that imports from every layer.
 */
import { fromPackageRoot } from './paths.js';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { llmEnabled } from './config.js';
import type { Logger } from './core/logger.js';
import type { ConversationStore } from './core/conversation.js';
import { createEngine, type Engine } from './core/engine.js';
import { Answerer } from './core/knowledge/answerer.js';
import { createAnswerService, type AnswerService } from './core/knowledge/answer-service.js';
import { createGroundedRephraser } from './core/knowledge/grounded-rephraser.js';
import type { KnowledgeBase } from './core/knowledge/knowledge-base.js';
import type { Messages } from './core/messages.js';
import { loadKnowledgeBase, loadMessages, loadPrompt } from './adapters/files/load-files.js';
import { createLangchainLlm } from './adapters/llm/langchain-llm.js';
import { MemoryConversationStore } from './adapters/memory/memory-conversation-store.js';
import { createKeys } from './adapters/redis/keys.js';
import { RedisConversationStore } from './adapters/redis/redis-conversation-store.js';

export interface Assistant {
  kb: KnowledgeBase;
  messages: Messages;
  answerer: Answerer;
  answers: AnswerService;
}

/** The question-answering part only: no store, no network unless an LLM is configured. */
export function createAssistant(config: Config, logger: Logger): Assistant {
  const kb = loadKnowledgeBase(fromPackageRoot(config.KNOWLEDGE_DIR));
  const messages = loadMessages(fromPackageRoot(config.PROMPTS_DIR));
  const answerer = new Answerer(kb, messages, { minCoverage: config.RETRIEVAL_MIN_CONFIDENCE });
  const rephraser = llmEnabled(config)
    ? createGroundedRephraser(
        createLangchainLlm({
          apiKey: config.OPENAI_API_KEY ?? 'not-needed',
          baseURL: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          timeoutMs: config.LLM_TIMEOUT_MS,
        }),
        loadPrompt(fromPackageRoot(config.PROMPTS_DIR), 'llm-answer.md'),
      )
    : undefined;
  const answers = createAnswerService({ answerer, rephraser, rephraseTimeoutMs: config.LLM_TIMEOUT_MS, logger });
  return { kb, messages, answerer, answers };
}

export interface App extends Assistant {
  engine: Engine;
  store: ConversationStore;
  redis?: Redis;
  close(): Promise<void>;
}

export function createApp(config: Config, logger: Logger): App {
  const assistant = createAssistant(config, logger);
  let redis: Redis | undefined;
  let store: ConversationStore;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
    redis.on('error', (err: Error) => logger.error({ err: err.message }, 'redis error'));
    store = new RedisConversationStore(redis, createKeys(config.REDIS_PREFIX), config.STATE_TTL_SECONDS);
    logger.info({ store: 'redis', prefix: config.REDIS_PREFIX }, 'conversation state in Redis');
  } else {
    store = new MemoryConversationStore(config.STATE_TTL_SECONDS);
    logger.warn({ store: 'memory' }, 'REDIS_URL is not set: conversation state is kept in memory and lost on restart');
  }
  logger.info({ llm: llmEnabled(config), passages: assistant.kb.passages.length }, 'assistant ready');
  const engine = createEngine({
    answers: assistant.answers,
    kb: assistant.kb,
    messages: assistant.messages,
    store,
    logger,
    maxTextLength: config.MAX_MESSAGE_LENGTH,
  });
  return {
    ...assistant,
    engine,
    store,
    redis,
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
