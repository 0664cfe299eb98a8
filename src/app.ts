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
import type { ChannelName, Reply } from './core/conversation.js';
import { RegistrationDialog, type DraftStore } from './core/registration/dialog.js';
import type { StatusChange, Submission, SubmissionStore } from './core/registration/types.js';
import { CommuneDirectory } from './core/registration/commune-directory.js';
import { MemoryDraftStore } from './adapters/memory/memory-draft-store.js';
import { MemorySubmissionStore } from './adapters/memory/memory-submission-store.js';
import { RedisDraftStore } from './adapters/redis/redis-draft-store.js';
import { RedisSubmissionStore } from './adapters/redis/redis-submission-store.js';
import { createSubmissionOutbox, type RunningSubmissionOutbox } from './adapters/redis/submission-outbox.js';
import { createBroadcaster, type Broadcaster } from './adapters/redis/broadcaster.js';
import { parseQuietHours } from './core/broadcast/quiet-hours.js';
import type { AnnouncementSender } from './core/broadcast/sender.js';
import { createTelegramSender } from './channels/telegram/telegram-sender.js';
import { OfficerCommands } from './core/officer/officer-commands.js';
import type { QuestionLog } from './core/insights/question-log.js';
import { RedisQuestionLog } from './adapters/redis/redis-question-log.js';
import { MemoryQuestionLog } from './adapters/memory/memory-question-log.js';
import { createZaloSender } from './channels/zalo/zalo-sender.js';

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
  const answers = createAnswerService({
    answerer,
    rephraser,
    rephraseTimeoutMs: config.LLM_TIMEOUT_MS,
    logger,
    cacheSize: config.ANSWER_CACHE_SIZE,
  });
  return { kb, messages, answerer, answers };
}

export interface App extends Assistant {
  config: Config;
  engine: Engine;
  store: ConversationStore;
  subscribers: SubscriberStore;
  guard: UpdateGuard;
  inbox: Inbox;
  telegram?: TelegramChannel;
  zalo?: ZaloChannel;
  registration: RegistrationDialog;
  drafts: DraftStore;
  submissions: SubmissionStore;
  outbox?: RunningSubmissionOutbox;
  /** Announcement campaigns (needs Redis). */
  broadcaster?: Broadcaster;
  directory: CommuneDirectory;
  /** Questions asked (for officers: what the assistant could not answer, figures). */
  questions: QuestionLog;
  redis?: Redis;
  /** Writes to a user first on their channel (Telegram, Zalo); false where that channel cannot. */
  push(channel: ChannelName, userId: string, replies: Reply[]): Promise<boolean>;
  /** Tells the producer their submission's status changed (used by the officer API). */
  notifyStatusChange(submission: Submission, change: StatusChange): Promise<void>;
  /** Starts the chat platforms (polling, or setting webhooks); call once the HTTP server listens. */
  startChannels(): Promise<void>;
  close(): Promise<void>;
}

/** @param prebuilt an assistant built from the same configuration (tests share one; building takes ~100 ms). */
export function createApp(config: Config, logger: Logger, prebuilt?: Assistant): App {
  const assistant = prebuilt ?? createAssistant(config, logger);
  const flood = { maxMessages: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS };
  let redis: Redis | undefined;
  let store: ConversationStore;
  let subscribers: SubscriberStore;
  let guard: UpdateGuard;
  let drafts: DraftStore;
  let submissions: SubmissionStore;
  let outbox: RunningSubmissionOutbox | undefined;
  let questions: QuestionLog;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false, enableAutoPipelining: true });
    redis.on('error', (err: Error) => logger.error({ err: err.message }, 'redis error'));
    const keys = createKeys(config.REDIS_PREFIX);
    store = new RedisConversationStore(redis, keys, config.STATE_TTL_SECONDS);
    subscribers = new RedisSubscriberStore(redis, keys);
    guard = new RedisUpdateGuard(redis, keys, flood);
    drafts = new RedisDraftStore(redis, keys, config.DRAFT_TTL_SECONDS);
    questions = new RedisQuestionLog(redis, keys);
    submissions = new RedisSubmissionStore(redis, keys, { trackOutbox: Boolean(config.BACKEND_WEBHOOK_URL) });
    if (config.BACKEND_WEBHOOK_URL) {
      outbox = createSubmissionOutbox({
        redis: config.REDIS_URL,
        keys,
        url: config.BACKEND_WEBHOOK_URL,
        token: config.BACKEND_WEBHOOK_TOKEN,
        logger,
        store: submissions,
      });
    }
    logger.info({ store: 'redis', prefix: config.REDIS_PREFIX }, 'conversation state in Redis');
  } else {
    store = new MemoryConversationStore(config.STATE_TTL_SECONDS);
    subscribers = new MemorySubscriberStore();
    guard = new MemoryUpdateGuard(flood);
    drafts = new MemoryDraftStore(config.DRAFT_TTL_SECONDS);
    questions = new MemoryQuestionLog();
    submissions = new MemorySubmissionStore();
    if (config.BACKEND_WEBHOOK_URL)
      logger.warn({}, 'BACKEND_WEBHOOK_URL needs REDIS_URL: submissions are not forwarded');
    logger.warn({ store: 'memory' }, 'REDIS_URL is not set: conversation state is kept in memory and lost on restart');
  }
  logger.info({ llm: llmEnabled(config), passages: assistant.kb.passages.length }, 'assistant ready');
  const { messages } = assistant;
  const senders: AnnouncementSender[] = [
    ...(config.TELEGRAM_BOT_TOKEN ? [createTelegramSender(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT)] : []),
    ...(config.ZALO_BOT_TOKEN ? [createZaloSender(config.ZALO_BOT_TOKEN, config.ZALO_API_ROOT)] : []),
  ];
  const broadcaster = config.REDIS_URL
    ? createBroadcaster({
        redisUrl: config.REDIS_URL,
        keys: createKeys(config.REDIS_PREFIX),
        subscribers,
        submissions,
        senders,
        limits: {
          telegram: {
            perSecond: config.TELEGRAM_BROADCAST_PER_SECOND,
            perChatIntervalMs: config.BROADCAST_PER_CHAT_INTERVAL_MS,
          },
          zalo: {
            perSecond: config.ZALO_BROADCAST_PER_SECOND,
            perChatIntervalMs: config.BROADCAST_PER_CHAT_INTERVAL_MS,
          },
        },
        quietHours: parseQuietHours(config.BROADCAST_QUIET_HOURS),
        concurrency: config.BROADCAST_CONCURRENCY,
        lockDurationMs: config.BROADCAST_STALL_SECONDS * 1000,
        runWorkers: config.BROADCAST_WORKERS,
        logger,
      })
    : undefined;
  const directory = CommuneDirectory.fromKnowledgeBase(assistant.kb);
  const registration = new RegistrationDialog({
    messages,
    drafts,
    submissions,
    outbox,
    directory,
    classifier: assistant.answerer.classifier,
    answers: assistant.answers,
    subscribers,
    reviewWorkingDays: config.REVIEW_WORKING_DAYS,
    logger,
  });
  const engine = createEngine({
    registration,
    officers: new OfficerCommands({
      officerIds: config.OFFICER_IDS,
      announcements: broadcaster,
      messages,
      directory,
      logger,
    }),
    questions,
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
        webhook: config.TELEGRAM_WEBHOOK_URL
          ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! }
          : undefined,
        inbox,
        subscribers,
        messages,
        logger,
      })
    : undefined;
  const zalo = config.ZALO_BOT_TOKEN
    ? createZaloChannel({
        client: new ZaloClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT, logger }),
        webhook: config.ZALO_WEBHOOK_URL
          ? { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET! }
          : undefined,
        inbox,
        subscribers,
        messages,
        logger,
      })
    : undefined;
  logger.info({ telegram: telegram?.mode ?? 'off', zalo: zalo?.mode ?? 'off' }, 'chat channels');

  async function push(channel: ChannelName, userId: string, replies: Reply[]): Promise<boolean> {
    const target = channel === 'telegram' ? telegram : channel === 'zalo' ? zalo : undefined;
    if (!target) return false;
    const subscriber = await subscribers.get(channel, userId);
    await target.push(subscriber?.chatId ?? userId, userId, replies);
    return true;
  }

  return {
    ...assistant,
    config,
    engine,
    store,
    subscribers,
    guard,
    inbox,
    telegram,
    zalo,
    registration,
    drafts,
    submissions,
    outbox,
    broadcaster,
    directory,
    questions,
    redis,
    push,
    async notifyStatusChange(submission, change) {
      const sent = await push(submission.channel, submission.userId, [registration.statusNotice(submission, change)]);
      logger.info(
        { event: 'status_notice', submission: submission.id, channel: submission.channel, sent },
        'producer notified',
      );
    },
    async startChannels() {
      await outbox?.start();
      await broadcaster?.start();
      await telegram?.start();
      await zalo?.start();
    },
    async close() {
      await Promise.allSettled([telegram?.stop(), zalo?.stop(), outbox?.close(), broadcaster?.close()]);
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
