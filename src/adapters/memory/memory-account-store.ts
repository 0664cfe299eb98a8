/** Officer accounts and console sessions in process memory: for one process without Redis, and for tests. */
import type { AccountStore, OfficerAccount, OfficerSession, SessionStore } from '../../core/officer/accounts.js';

export class MemoryAccountStore implements AccountStore {
  private readonly byId = new Map<string, OfficerAccount>();
  private readonly idByUsername = new Map<string, string>();

  async create(account: OfficerAccount): Promise<boolean> {
    if (this.idByUsername.has(account.username) || this.byId.has(account.id)) return false;
    this.idByUsername.set(account.username, account.id);
    this.byId.set(account.id, structuredClone(account));
    return true;
  }

  async get(id: string): Promise<OfficerAccount | undefined> {
    const a = this.byId.get(id);
    return a && structuredClone(a);
  }

  async findByUsername(username: string): Promise<OfficerAccount | undefined> {
    const id = this.idByUsername.get(username);
    return id === undefined ? undefined : this.get(id);
  }

  async save(account: OfficerAccount): Promise<boolean> {
    const known = this.byId.get(account.id);
    if (!known) return false;
    this.byId.set(account.id, structuredClone({ ...account, username: known.username }));
    return true;
  }

  async list(): Promise<OfficerAccount[]> {
    return [...this.byId.values()].sort((a, b) => a.createdAt - b.createdAt).map((a) => structuredClone(a));
  }
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, OfficerSession>();

  constructor(private readonly now: () => number = Date.now) {}

  async put(key: string, session: OfficerSession): Promise<void> {
    // Expired sessions are dropped as new ones come: the map never outgrows the sessions opened in one TTL.
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
    this.sessions.set(key, { ...session });
  }

  async get(key: string): Promise<OfficerSession | undefined> {
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return { ...s };
  }

  async delete(key: string): Promise<void> {
    this.sessions.delete(key);
  }
}
