/**
 * JSON values with a time to live in the embedded SQLite database (table kv): drafts and conversation state, so
 * a form in progress survives a restart of a single process. An expired value reads as missing and is removed
 * on the next write to its space.
 */
import type { ChannelName, ConversationState, ConversationStore } from '../../core/conversation.js';
import type { Draft, DraftStore } from '../../core/registration/draft.js';
import type { SqliteDatabase } from './database.js';

export class SqliteJson<T> {
  private readonly read;
  private readonly write;
  private readonly remove;
  private readonly purge;

  /** @param space keeps the values of one store apart from the others' (e.g. "draft", "conversation"). */
  constructor(
    db: SqliteDatabase,
    private readonly space: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.read = db.prepare<[string, string, number], { value: string }>(
      'SELECT value FROM kv WHERE space = ? AND key = ? AND expires_at > ?',
    );
    this.write = db.prepare<[string, string, string, number]>(
      `INSERT INTO kv (space, key, value, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    );
    this.remove = db.prepare<[string, string]>('DELETE FROM kv WHERE space = ? AND key = ?');
    this.purge = db.prepare<[string, number]>('DELETE FROM kv WHERE space = ? AND expires_at <= ?');
  }

  get(key: string): T | undefined {
    const row = this.read.get(this.space, key, this.now());
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: T): void {
    const now = this.now();
    this.purge.run(this.space, now);
    this.write.run(this.space, key, JSON.stringify(value), now + this.ttlSeconds * 1000);
  }

  delete(key: string): void {
    this.remove.run(this.space, key);
  }
}

export class SqliteDraftStore<T = Draft> implements DraftStore<T> {
  private readonly values: SqliteJson<T>;

  constructor(db: SqliteDatabase, space: string, ttlSeconds: number, now: () => number = Date.now) {
    this.values = new SqliteJson<T>(db, space, ttlSeconds, now);
  }

  async get(channel: ChannelName, userId: string): Promise<T | undefined> {
    return this.values.get(`${channel}:${userId}`);
  }

  async set(channel: ChannelName, userId: string, draft: T): Promise<void> {
    this.values.set(`${channel}:${userId}`, draft);
  }

  async delete(channel: ChannelName, userId: string): Promise<void> {
    this.values.delete(`${channel}:${userId}`);
  }
}

export class SqliteConversationStore implements ConversationStore {
  private readonly values: SqliteJson<ConversationState>;

  constructor(db: SqliteDatabase, ttlSeconds: number, now: () => number = Date.now) {
    this.values = new SqliteJson<ConversationState>(db, 'conversation', ttlSeconds, now);
  }

  async get(channel: ChannelName, userId: string): Promise<ConversationState | undefined> {
    return this.values.get(`${channel}:${userId}`);
  }

  async set(channel: ChannelName, userId: string, state: ConversationState): Promise<void> {
    this.values.set(`${channel}:${userId}`, state);
  }
}
