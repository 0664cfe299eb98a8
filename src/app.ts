/**
 * Composition root: the assistant (knowledge base, answer service), then the app from small factories in
 * composition/ — stores (memory or Redis), background work (outbox, announcements), channels — with one list of
 * what starts and stops. The worker (`ocop-bot worker`) is built from the stores and the background work only.
 */
import { fromPackageRoot } from './paths.js';
import type { Redis } from 'ioredis';
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
import {
  loadCheckTexts,
  loadKnowledgeBase,
  loadMessages,
  loadPrompt,
  loadScoringSheets,
} from './adapters/files/load-files.js';
import { CheckDialog } from './core/checks/dialog.js';
import type { ScoringSheet } from './core/scoring/sheet.js';
import { createLangchainLlm } from './adapters/llm/langchain-llm.js';
import type { SubscriberStore } from './core/subscribers.js';
import type { UpdateGuard } from './core/update-guard.js';
import { createInbox, createSweeper, type Inbox } from './channels/inbox.js';
import { retrySchedule } from './core/update-journal.js';
import type { TelegramChannel } from './channels/telegram/telegram-channel.js';
import type { ZaloChannel } from './channels/zalo/zalo-channel.js';
import type { ChannelName, Reply } from './core/conversation.js';
import { RegistrationDialog } from './core/registration/dialog.js';
import type { DraftStore } from './core/registration/draft.js';
import type { StatusChange, Submission, SubmissionStore } from './core/registration/types.js';
import { CommuneDirectory } from './core/registration/commune-directory.js';
import type { BlobStore, PhotoFetcher } from './core/registration/attachments.js';
import { SubmissionPhotos } from './core/registration/photos.js';
import type { RunningSubmissionOutbox } from './adapters/redis/submission-outbox.js';
import type { Broadcaster } from './core/broadcast/broadcaster.js';
import { OfficerCommands } from './core/officer/officer-commands.js';
import type { QuestionLog } from './core/insights/question-log.js';
import type { AccountStore, SessionStore } from './core/officer/accounts.js';
import { backgroundServices, createBackground, type Background, type Service } from './composition/background.js';
import { createChannels } from './composition/channels.js';
import { createStores, type Stores } from './composition/stores.js';
import type { QuestionReviewStore } from './core/insights/review.js';

export interface Assistant {
  kb: KnowledgeBase;
  messages: Messages;
  answerer: Answerer;
  answers: AnswerService;
  /** The QĐ 148 scoring sheets: the answerer's criterion answers and the self-score check read the same ones. */
  sheets: ScoringSheet[];
}

/** The question-answering part only: no store, no network unless an LLM is configured. */
export function createAssistant(config: Config, logger: Logger): Assistant {
  const kb = loadKnowledgeBase(fromPackageRoot(config.KNOWLEDGE_DIR));
  const messages = loadMessages(fromPackageRoot(config.PROMPTS_DIR));
  const sheets = loadScoringSheets(fromPackageRoot(config.KNOWLEDGE_DIR));
  const answerer = new Answerer(kb, messages, { minCoverage: config.RETRIEVAL_MIN_CONFIDENCE, sheets });
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
  return { kb, messages, answerer, answers, sheets };
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
  /** The bytes of photos attached to submissions (served by the officer API). */
  blobs: BlobStore;
  outbox?: RunningSubmissionOutbox;
  /** Announcement campaigns (needs Redis). */
  broadcaster?: Broadcaster;
  directory: CommuneDirectory;
  /** Questions asked (for officers: what the assistant could not answer, figures). */
  questions: QuestionLog;
  /** What officers did with the unanswered questions (handled, answered). */
  questionReview: QuestionReviewStore;
  /** Named officers of the console and their sessions. */
  accounts: AccountStore;
  sessions: SessionStore;
  redis?: Redis;
  /** Where state is kept: memory, the embedded database (and its file) or Redis. */
  storage: { kind: Stores['kind']; file?: string };
  /** Writes to a user first on their channel (Telegram, Zalo); false where that channel cannot. */
  push(channel: ChannelName, userId: string, replies: Reply[]): Promise<boolean>;
  /** Tells the producer their submission's status changed (used by the officer API). */
  /** Tells the producer on their channel; false when it cannot (a web submission, a channel not set up). */
  notifyStatusChange(submission: Submission, change: StatusChange): Promise<boolean>;
  /** Starts the chat platforms (polling, or setting webhooks); call once the HTTP server listens. */
  startChannels(): Promise<void>;
  close(): Promise<void>;
}

/** @param prebuilt an assistant built from the same configuration (tests share one; building takes ~100 ms). */
export function createApp(config: Config, logger: Logger, prebuilt?: Assistant): App {
  const assistant = prebuilt ?? createAssistant(config, logger);
  const flood = { maxMessages: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS };
  const stores = createStores(config, logger);
  const { conversations: store, subscribers, guard, drafts, submissions, questions } = stores;
  const background = createBackground(config, stores, logger);
  const { outbox, broadcaster } = background;
  logger.info({ llm: llmEnabled(config), passages: assistant.kb.passages.length }, 'assistant ready');
  const { messages } = assistant;
  const directory = CommuneDirectory.fromKnowledgeBase(assistant.kb);
  const checks = new CheckDialog({
    texts: loadCheckTexts(fromPackageRoot(config.PROMPTS_DIR)),
    sessions: stores.checks,
    sheets: assistant.sheets,
    classifier: assistant.answerer.classifier,
    answers: assistant.answers,
    submissions,
  });
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
    assessmentFor: (channel, userId) => checks.takeAssessmentForSubmission(channel, userId),
  });
  // Filled once the channels exist (they need the inbox, which needs the engine).
  const photoFetchers: Partial<Record<ChannelName, PhotoFetcher>> = {};
  const photos = new SubmissionPhotos({
    submissions,
    blobs: stores.blobs,
    fetchers: photoFetchers,
    messages,
    maxBytes: config.ATTACHMENT_MAX_BYTES,
    maxPerSubmission: config.ATTACHMENT_MAX_PER_SUBMISSION,
    logger,
  });
  const engine = createEngine({
    photos,
    registration,
    checks,
    officers: new OfficerCommands({
      officerIds: config.OFFICER_IDS,
      drafts: stores.officerDrafts,
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
  const inbox = createInbox({
    engine,
    guard,
    journal: stores.journal,
    subscribers,
    messages,
    flood,
    logger,
    retry: retrySchedule(config.UPDATE_MAX_ATTEMPTS, config.UPDATE_RETRY_BASE_MS),
    watchdogMs: config.USER_LOCK_TTL_SECONDS * 1000 + 1000,
  });
  const { telegram, zalo } = createChannels(config, { inbox, subscribers, messages, logger });
  if (telegram) photoFetchers.telegram = telegram;
  if (zalo) photoFetchers.zalo = zalo;
  if (telegram) inbox.attach('telegram', (to, replies) => telegram.push(to.chatId ?? to.userId, to.userId, replies));
  if (zalo) inbox.attach('zalo', (to, replies) => zalo.push(to.chatId ?? to.userId, to.userId, replies));
  // What starts and stops, in one list: background work first, then the platforms that bring updates.
  const services: Service[] = [
    ...backgroundServices(background),
    ...(telegram || zalo ? [createSweeper(inbox, logger)] : []),
    ...(telegram ? [telegram] : []),
    ...(zalo ? [zalo] : []),
  ];

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
    blobs: stores.blobs,
    outbox,
    broadcaster,
    directory,
    questions,
    questionReview: stores.questionReview,
    accounts: stores.accounts,
    sessions: stores.sessions,
    redis: stores.redis?.client,
    storage: { kind: stores.kind, ...(stores.sqlite ? { file: stores.sqlite.file } : {}) },
    push,
    async notifyStatusChange(submission, change) {
      const notice = registration.statusNotice(submission, change);
      // Asked for more on a channel that can send photos: say that they may be sent right here.
      if (change.status === 'needs_info' && photoFetchers[submission.channel])
        notice.text += messages.photo_replies.invite;
      const sent = await push(submission.channel, submission.userId, [notice]);
      logger.info(
        { event: 'status_notice', submission: submission.id, channel: submission.channel, sent },
        'producer notified',
      );
      return sent;
    },
    async startChannels() {
      for (const service of services) await service.start?.();
    },
    async close() {
      await Promise.allSettled(services.map((service) => service.stop()));
      await stores.close();
    },
  };
}

/** `ocop-bot worker`: the background queues and nothing else (no knowledge base, engine or channels). */
export interface Worker extends Background {
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createWorker(config: Config, logger: Logger): Worker {
  const stores = createStores(config, logger);
  const background = createBackground({ ...config, BROADCAST_WORKERS: true }, stores, logger);
  const services = backgroundServices(background);
  return {
    ...background,
    async start() {
      for (const service of services) await service.start?.();
    },
    async close() {
      await Promise.allSettled(services.map((service) => service.stop()));
      await stores.close();
    },
  };
}
