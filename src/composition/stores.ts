/**
 * Where state lives, chosen once: every store in Redis (REDIS_URL: shared by several processes), else the durable
 * stores in the embedded SQLite database DATA_DIR/ocop.db (one process, survives restarts), or everything in
 * memory (DATA_DIR=':memory:', for tests: lost on restart).
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { ConversationStore } from '../core/conversation.js';
import type { QuestionLog } from '../core/insights/question-log.js';
import type { Logger } from '../core/logger.js';
import type { OfficerDraft } from '../core/officer/officer-draft.js';
import type { DraftStore } from '../core/registration/draft.js';
import type { CheckSession } from '../core/checks/dialog.js';
import type { SubmissionStore } from '../core/registration/types.js';
import type { BlobStore } from '../core/registration/attachments.js';
import { MemoryBlobStore } from '../adapters/memory/memory-blob-store.js';
import { RedisBlobStore } from '../adapters/redis/redis-blob-store.js';
import { resolve } from 'node:path';
import { FileBlobStore } from '../adapters/files/file-blob-store.js';
import type { SubscriberStore } from '../core/subscribers.js';
import type { UpdateGuard } from '../core/update-guard.js';
import type { UpdateJournal } from '../core/update-journal.js';
import type { AccountStore, SessionStore } from '../core/officer/accounts.js';
import { MemoryAccountStore, MemorySessionStore } from '../adapters/memory/memory-account-store.js';
import { RedisAccountStore, RedisSessionStore } from '../adapters/redis/redis-account-store.js';
import type { CampaignStore } from '../core/broadcast/campaign-store.js';
import { MemoryConversationStore } from '../adapters/memory/memory-conversation-store.js';
import { MemoryDraftStore } from '../adapters/memory/memory-draft-store.js';
import { MemoryQuestionLog } from '../adapters/memory/memory-question-log.js';
import { MemorySubmissionStore } from '../adapters/memory/memory-submission-store.js';
import { MemorySubscriberStore } from '../adapters/memory/memory-subscriber-store.js';
import { MemoryUpdateGuard } from '../adapters/memory/memory-update-guard.js';
import { MemoryUpdateJournal } from '../adapters/memory/memory-update-journal.js';
import { createKeys, type Keys } from '../adapters/redis/keys.js';
import { RedisConversationStore } from '../adapters/redis/redis-conversation-store.js';
import { RedisDraftStore } from '../adapters/redis/redis-draft-store.js';
import { RedisQuestionLog } from '../adapters/redis/redis-question-log.js';
import { RedisSubmissionStore } from '../adapters/redis/redis-submission-store.js';
import { RedisSubscriberStore } from '../adapters/redis/redis-subscriber-store.js';
import { RedisUpdateGuard } from '../adapters/redis/redis-update-guard.js';
import { RedisUpdateJournal } from '../adapters/redis/redis-update-journal.js';
import { databaseFile, openDatabase, type SqliteDatabase } from '../adapters/sqlite/database.js';
import { SqliteConversationStore, SqliteDraftStore } from '../adapters/sqlite/sqlite-json.js';
import { SqliteQuestionLog, SqliteQuestionReview } from '../adapters/sqlite/sqlite-question-log.js';
import { RedisQuestionReview } from '../adapters/redis/redis-question-review.js';
import { MemoryQuestionReview, type QuestionReviewStore } from '../core/insights/review.js';
import { SqliteAccountStore, SqliteSessionStore } from '../adapters/sqlite/sqlite-account-store.js';
import { SqliteCampaignStore } from '../adapters/sqlite/sqlite-campaign-store.js';
import { SqliteSubmissionStore } from '../adapters/sqlite/sqlite-submission-store.js';
import { SqliteSubscriberStore } from '../adapters/sqlite/sqlite-subscriber-store.js';

export interface Stores {
  kind: 'memory' | 'sqlite' | 'redis';
  /** The shared connection and key names, with Redis. */
  redis?: { client: Redis; url: string; keys: Keys };
  /** The open embedded database and its file, without Redis (other stores may add their tables to it). */
  sqlite?: { db: SqliteDatabase; file: string };
  conversations: ConversationStore;
  subscribers: SubscriberStore;
  guard: UpdateGuard;
  journal: UpdateJournal;
  drafts: DraftStore;
  officerDrafts: DraftStore<OfficerDraft>;
  checks: DraftStore<CheckSession>;
  submissions: SubmissionStore;
  /** The bytes of photos attached to submissions. */
  blobs: BlobStore;
  questions: QuestionLog;
  /** Groups of unanswered questions officers marked as handled or answered. */
  questionReview: QuestionReviewStore;
  /** Named officers of the console, and their sign-in sessions. */
  accounts: AccountStore;
  sessions: SessionStore;
  /** Announcement campaigns for the in-process broadcaster (without Redis); a memory store when absent. */
  campaigns?: CampaignStore;
  close(): Promise<void>;
}

export function createStores(config: Config, logger: Logger): Stores {
  const flood = { maxMessages: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS };
  if (!config.REDIS_URL) {
    if (config.BACKEND_WEBHOOK_URL) {
      logger.warn({}, 'BACKEND_WEBHOOK_URL needs REDIS_URL: submissions are not forwarded');
    }
    if (config.DATA_DIR !== ':memory:') return sqliteStores(config, flood);
    return {
      kind: 'memory',
      conversations: new MemoryConversationStore(config.STATE_TTL_SECONDS),
      subscribers: new MemorySubscriberStore(),
      guard: new MemoryUpdateGuard(flood),
      journal: new MemoryUpdateJournal(),
      drafts: new MemoryDraftStore(config.DRAFT_TTL_SECONDS),
      officerDrafts: new MemoryDraftStore<OfficerDraft>(config.DRAFT_TTL_SECONDS),
      checks: new MemoryDraftStore<CheckSession>(config.DRAFT_TTL_SECONDS),
      submissions: new MemorySubmissionStore(),
      blobs: config.ATTACHMENT_DIR ? new FileBlobStore(resolve(config.ATTACHMENT_DIR)) : new MemoryBlobStore(),
      questions: new MemoryQuestionLog(),
      questionReview: new MemoryQuestionReview(),
      accounts: new MemoryAccountStore(),
      sessions: new MemorySessionStore(),
      close: async () => undefined,
    };
  }
  const client = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: 2,
    // A Redis that is down or hangs fails a command within a second, so a user hears "try again shortly" at once.
    commandTimeout: 1000,
    lazyConnect: false,
    enableAutoPipelining: true,
  });
  client.on('error', (err: Error) => logger.error({ err: err.message }, 'redis error'));
  const keys = createKeys(config.REDIS_PREFIX);
  return {
    kind: 'redis',
    redis: { client, url: config.REDIS_URL, keys },
    conversations: new RedisConversationStore(client, keys, config.STATE_TTL_SECONDS),
    subscribers: new RedisSubscriberStore(client, keys),
    guard: new RedisUpdateGuard(client, keys, flood, {
      lockTtlMs: config.USER_LOCK_TTL_SECONDS * 1000,
      lockWaitMs: config.USER_LOCK_TTL_SECONDS * 1500,
    }),
    journal: new RedisUpdateJournal(client, keys),
    drafts: new RedisDraftStore(client, keys.draft, config.DRAFT_TTL_SECONDS),
    officerDrafts: new RedisDraftStore<OfficerDraft>(client, keys.officerDraft, config.DRAFT_TTL_SECONDS),
    checks: new RedisDraftStore<CheckSession>(client, keys.check, config.DRAFT_TTL_SECONDS),
    submissions: new RedisSubmissionStore(client, keys, { trackOutbox: Boolean(config.BACKEND_WEBHOOK_URL) }),
    blobs: config.ATTACHMENT_DIR ? new FileBlobStore(resolve(config.ATTACHMENT_DIR)) : new RedisBlobStore(client, keys),
    questions: new RedisQuestionLog(client, keys),
    questionReview: new RedisQuestionReview(client, keys.questionsHandled()),
    accounts: new RedisAccountStore(client, keys),
    sessions: new RedisSessionStore(client, keys),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** One process without Redis: what must survive a restart in DATA_DIR/ocop.db; locks and flood counters in memory. */
function sqliteStores(config: Config, flood: { maxMessages: number; windowSeconds: number }): Stores {
  const file = path.resolve(databaseFile(config.DATA_DIR));
  const db = openDatabase(file);
  return {
    kind: 'sqlite',
    sqlite: { db, file },
    conversations: new SqliteConversationStore(db, config.STATE_TTL_SECONDS),
    subscribers: new SqliteSubscriberStore(db),
    guard: new MemoryUpdateGuard(flood),
    journal: new MemoryUpdateJournal(),
    drafts: new SqliteDraftStore(db, 'draft', config.DRAFT_TTL_SECONDS),
    officerDrafts: new SqliteDraftStore<OfficerDraft>(db, 'officer-draft', config.DRAFT_TTL_SECONDS),
    checks: new SqliteDraftStore<CheckSession>(db, 'check', config.DRAFT_TTL_SECONDS),
    submissions: new SqliteSubmissionStore(db),
    // Photos as files beside the database unless ATTACHMENT_DIR names another folder.
    blobs: new FileBlobStore(resolve(config.ATTACHMENT_DIR ?? path.join(path.dirname(file), 'attachments'))),
    questions: new SqliteQuestionLog(db),
    questionReview: new SqliteQuestionReview(db),
    campaigns: new SqliteCampaignStore(db),
    accounts: new SqliteAccountStore(db),
    sessions: new SqliteSessionStore(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
