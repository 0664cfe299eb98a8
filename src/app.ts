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
import { RedisSubscriberStore } from './adapters/redis/redis-subscriber-store.js';
import { RedisUpdateGuard } from './adapters/redis/redis-update-guard.js';
import { MemorySubscriberStore } from './adapters/memory/memory-subscriber-store.js';
import { MemoryUpdateGuard } from './adapters/memory/memory-update-guard.js';
import type { SubscriberStore } from './core/subscribers.js';
import type { UpdateGuard } from './core/update-guard.js';
import { createInbox, type Inbox } from './channels/inbox.js';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/telegram-channel.js';
import { ZaloClient } from './channels/zalo/zalo-client.js';
import { createZaloChannel, type ZaloChannel } from './channels/zalo/zalo-channel.js';

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
  const answers = createAnswerService({ answerer, rephraser, rephraseTimeoutMs: config.LLM_TIMEOUT_MS, logger, cacheSize: config.ANSWER_CACHE_SIZE });
  return { kb, messages, answerer, answers };
}

export interface App extends Assistant {
  engine: Engine;
  store: ConversationStore;
  subscribers: SubscriberStore;
  guard: UpdateGuard;
  inbox: Inbox;
  telegram?: TelegramChannel;
  zalo?: ZaloChannel;
  redis?: Redis;
  /** Starts the chat platforms (polling, or setting webhooks); call once the HTTP server listens. */
  startChannels(): Promise<void>;
  close(): Promise<void>;
}

export function createApp(config: Config, logger: Logger): App {
  const assistant = createAssistant(config, logger);
  const flood = { maxMessages: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS };
  let redis: Redis | undefined;
  let store: ConversationStore;
  let subscribers: SubscriberStore;
  let guard: UpdateGuard;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false, enableAutoPipelining: true });
    redis.on('error', (err: Error) => logger.error({ err: err.message }, 'redis error'));
    const keys = createKeys(config.REDIS_PREFIX);
    store = new RedisConversationStore(redis, keys, config.STATE_TTL_SECONDS);
    subscribers = new RedisSubscriberStore(redis, keys);
    guard = new RedisUpdateGuard(redis, keys, flood);
    logger.info({ store: 'redis', prefix: config.REDIS_PREFIX }, 'conversation state in Redis');
  } else {
    store = new MemoryConversationStore(config.STATE_TTL_SECONDS);
    subscribers = new MemorySubscriberStore();
    guard = new MemoryUpdateGuard(flood);
    logger.warn({ store: 'memory' }, 'REDIS_URL is not set: conversation state is kept in memory and lost on restart');
  }
  logger.info({ llm: llmEnabled(config), passages: assistant.kb.passages.length }, 'assistant ready');
  const { messages } = assistant;
  const engine = createEngine({
    answers: assistant.answers,
    kb: assistant.kb,
    messages,
    store,
    subscribers,
    logger,
    maxTextLength: config.MAX_MESSAGE_LENGTH,
  });
  const inbox = createInbox({ engine, guard, subscribers, messages, flood, logger });
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        webhook: config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } : undefined,
        inbox,
        subscribers,
        messages,
        logger,
      })
    : undefined;
  const zalo = config.ZALO_BOT_TOKEN
    ? createZaloChannel({
        client: new ZaloClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT, logger }),
        webhook: config.ZALO_WEBHOOK_URL ? { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET! } : undefined,
        inbox,
        subscribers,
        messages,
        logger,
      })
    : undefined;
  logger.info({ telegram: telegram?.mode ?? 'off', zalo: zalo?.mode ?? 'off' }, 'chat channels');
  return {
    ...assistant,
    engine,
    store,
    subscribers,
    guard,
    inbox,
    telegram,
    zalo,
    redis,
    async startChannels() {
      await telegram?.start();
      await zalo?.start();
    },
    async close() {
      await Promise.allSettled([telegram?.stop(), zalo?.stop()]);
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
