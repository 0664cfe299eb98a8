/**
 * The embedded database: one SQLite file (better-sqlite3) in DATA_DIR, the durable default for a single process
 * without Redis. Opened in WAL mode (readers do not block the writer, a crash loses no committed transaction)
 * with a busy timeout, and brought to the current schema by numbered migrations tracked in PRAGMA user_version.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * The schema, one step per entry: step N brings user_version N-1 to N. Append only — a database that is
 * already at step N never runs the first N again, so an entry must never be edited once released.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE submission_sequences (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
  CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX submissions_by_user ON submissions (channel, user_id);
  CREATE INDEX submissions_by_created ON submissions (created_at);

  CREATE TABLE subscribers (
    channel TEXT NOT NULL,
    user_id TEXT NOT NULL,
    display_name TEXT,
    chat_id TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    opted_in INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    inactive_reason TEXT,
    commune TEXT,
    product_group TEXT,
    PRIMARY KEY (channel, user_id)
  );

  CREATE TABLE questions_unanswered (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE TABLE questions_days (
    date TEXT PRIMARY KEY,
    total INTEGER NOT NULL DEFAULT 0,
    unanswered INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE question_topics (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0
  );
  `,
  `
  CREATE TABLE kv (
    space TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (space, key)
  );
  CREATE INDEX kv_by_expiry ON kv (expires_at);
  `,
  `
  CREATE TABLE campaign_sequences (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
  CREATE TABLE campaigns (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX campaigns_by_created ON campaigns (created_at);
  CREATE TABLE campaign_recipients (
    campaign_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (campaign_id, key)
  );
  CREATE INDEX campaign_recipients_by_state ON campaign_recipients (campaign_id, state);
  `,
  `
  CREATE TABLE officer_accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE TABLE officer_sessions (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX officer_sessions_by_expiry ON officer_sessions (expires_at);
  `,
  `
  ALTER TABLE questions_unanswered ADD COLUMN user_id TEXT;
  CREATE TABLE questions_handled (key TEXT PRIMARY KEY, at INTEGER NOT NULL, doc TEXT NOT NULL);
  `,
];

/** The database file inside a data folder. */
export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'ocop.db');
}

/**
 * Opens (creating it and its folder if missing) and migrates the database at `file`, or a private in-memory
 * one for ':memory:'.
 */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // A second connection (a backup, a CLI command) waits for a lock instead of failing at once.
    db.pragma('busy_timeout = 5000');
    // WAL with NORMAL survives a killed process without losing a commit; only a power cut may lose the last ones.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Runs the migrations the database has not had yet, each in its own transaction. */
export function migrate(db: SqliteDatabase, migrations: readonly string[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length)
    throw new Error(`database schema ${current} is newer than this program knows (${migrations.length})`);
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}

/**
 * An online copy of the database file at `from` into `to` (SQLite's backup API: consistent while the server
 * keeps writing). Refuses to overwrite the database itself. Resolves with the copy's absolute path and size in pages.
 */
export async function backupDatabase(from: string, to: string): Promise<{ file: string; pages: number }> {
  const source = path.resolve(from);
  const target = path.resolve(to);
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (source === target) throw new Error('the copy must not be the database itself');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(target);
    return { file: target, pages: totalPages };
  } finally {
    db.close();
  }
}
