/**
 * Officer accounts and console sessions in the embedded SQLite database, so named officers and their sign-ins
 * survive a restart without Redis. Sessions are kept under the hash the caller gives (never the cookie's id).
 */
import type { AccountStore, OfficerAccount, OfficerSession, SessionStore } from '../../core/officer/accounts.js';
import type { SqliteDatabase } from './database.js';

type Doc = { doc: string };
const parse = <T>(row: Doc | undefined): T | undefined => (row ? (JSON.parse(row.doc) as T) : undefined);

export class SqliteAccountStore implements AccountStore {
  private readonly insert;
  private readonly update;
  private readonly byId;
  private readonly byUsername;
  private readonly all;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare<[string, string, number, string]>(
      'INSERT OR IGNORE INTO officer_accounts (id, username, created_at, doc) VALUES (?, ?, ?, ?)',
    );
    this.update = db.prepare<[string, string]>('UPDATE officer_accounts SET doc = ? WHERE id = ?');
    this.byId = db.prepare<[string], Doc>('SELECT doc FROM officer_accounts WHERE id = ?');
    this.byUsername = db.prepare<[string], Doc>('SELECT doc FROM officer_accounts WHERE username = ?');
    this.all = db.prepare<[], Doc>('SELECT doc FROM officer_accounts ORDER BY created_at, rowid');
  }

  async create(account: OfficerAccount): Promise<boolean> {
    // The id's primary key and the username's unique index both make a second one a no-op.
    return this.insert.run(account.id, account.username, account.createdAt, JSON.stringify(account)).changes === 1;
  }

  async get(id: string): Promise<OfficerAccount | undefined> {
    return parse(this.byId.get(id));
  }

  async findByUsername(username: string): Promise<OfficerAccount | undefined> {
    return parse(this.byUsername.get(username));
  }

  async save(account: OfficerAccount): Promise<boolean> {
    const known = parse<OfficerAccount>(this.byId.get(account.id));
    if (!known) return false;
    this.update.run(JSON.stringify({ ...account, username: known.username }), account.id);
    return true;
  }

  async list(): Promise<OfficerAccount[]> {
    return this.all.all().map((row) => parse<OfficerAccount>(row)!);
  }
}

export class SqliteSessionStore implements SessionStore {
  private readonly upsert;
  private readonly byKey;
  private readonly remove;
  private readonly expired;

  constructor(
    db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.upsert = db.prepare<[string, number, string]>(
      `INSERT INTO officer_sessions (key, expires_at, doc) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, doc = excluded.doc`,
    );
    this.byKey = db.prepare<[string, number], Doc>('SELECT doc FROM officer_sessions WHERE key = ? AND expires_at > ?');
    this.remove = db.prepare<[string]>('DELETE FROM officer_sessions WHERE key = ?');
    this.expired = db.prepare<[number]>('DELETE FROM officer_sessions WHERE expires_at <= ?');
  }

  async put(key: string, session: OfficerSession): Promise<void> {
    // Expired sessions are dropped as new ones come, so the table holds only those opened in one lifetime.
    this.expired.run(this.now());
    this.upsert.run(key, session.expiresAt, JSON.stringify(session));
  }

  async get(key: string): Promise<OfficerSession | undefined> {
    return parse(this.byKey.get(key, this.now()));
  }

  async delete(key: string): Promise<void> {
    this.remove.run(key);
  }
}
