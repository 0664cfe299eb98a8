/**
 * Officer accounts in Redis: one JSON value per account, a hash username → id (HSETNX, so a username is taken
 * once across processes), and a sorted set of ids by creation. Sessions are JSON values expiring with the session.
 */
import type { Redis } from 'ioredis';
import type { AccountStore, OfficerAccount, OfficerSession, SessionStore } from '../../core/officer/accounts.js';
import type { Keys } from './keys.js';

export class RedisAccountStore implements AccountStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async create(account: OfficerAccount): Promise<boolean> {
    const claimed = await this.redis.hsetnx(this.keys.officerUsernames(), account.username, account.id);
    if (!claimed) return false;
    await this.redis
      .multi()
      .set(this.keys.officerAccount(account.id), JSON.stringify(account))
      .zadd(this.keys.officerAccountIndex(), account.createdAt, account.id)
      .exec();
    return true;
  }

  async get(id: string): Promise<OfficerAccount | undefined> {
    const raw = await this.redis.get(this.keys.officerAccount(id));
    return raw ? (JSON.parse(raw) as OfficerAccount) : undefined;
  }

  async findByUsername(username: string): Promise<OfficerAccount | undefined> {
    const id = await this.redis.hget(this.keys.officerUsernames(), username);
    return id ? this.get(id) : undefined;
  }

  async save(account: OfficerAccount): Promise<boolean> {
    const known = await this.get(account.id);
    if (!known) return false;
    await this.redis.set(
      this.keys.officerAccount(account.id),
      JSON.stringify({ ...account, username: known.username }),
    );
    return true;
  }

  async list(): Promise<OfficerAccount[]> {
    const ids = await this.redis.zrange(this.keys.officerAccountIndex(), '0', '-1');
    if (!ids.length) return [];
    const values = await this.redis.mget(ids.map((id) => this.keys.officerAccount(id)));
    return values.flatMap((v) => (v ? [JSON.parse(v) as OfficerAccount] : []));
  }
}

export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly now: () => number = Date.now,
  ) {}

  async put(key: string, session: OfficerSession): Promise<void> {
    const ttlMs = Math.max(1, session.expiresAt - this.now());
    await this.redis.set(this.keys.officerSession(key), JSON.stringify(session), 'PX', ttlMs);
  }

  async get(key: string): Promise<OfficerSession | undefined> {
    const raw = await this.redis.get(this.keys.officerSession(key));
    if (!raw) return undefined;
    const session = JSON.parse(raw) as OfficerSession;
    return session.expiresAt > this.now() ? session : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keys.officerSession(key));
  }
}
