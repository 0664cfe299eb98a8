/**
 * Named officer accounts: who signs in to the console, with which role, for which communes. A provincial
 * officer sees the whole province and manages accounts; a commune officer sees and announces only inside their
 * communes. The stores behind the two small ports below are memory, Redis (and later SQLite).
 */
import { randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const OFFICER_ROLES = ['province', 'commune'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

export interface OfficerAccount {
  id: string;
  /** The name history lines and campaigns carry: "Nông Văn Minh". */
  displayName: string;
  /** Lower case, letters, digits, ". _ -". Unique. */
  username: string;
  role: OfficerRole;
  /** Current commune names ("Xã Quảng Uyên") a commune officer covers; empty for a provincial officer. */
  communes: string[];
  disabled: boolean;
  /** See hashPassword: algorithm, parameters, salt and hash in one string. */
  passwordHash: string;
  /** Raised on every password reset: sessions opened with an older version no longer count. */
  credentialVersion: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
}

/** Accounts by id and by username. `create` refuses a username already taken (false). */
export interface AccountStore {
  create(account: OfficerAccount): Promise<boolean>;
  get(id: string): Promise<OfficerAccount | undefined>;
  findByUsername(username: string): Promise<OfficerAccount | undefined>;
  /** Replaces a known account (the username never changes); false when there is no such account. */
  save(account: OfficerAccount): Promise<boolean>;
  list(): Promise<OfficerAccount[]>;
}

/** A signed-in console session. Stored under a hash of its id, never the id the cookie carries. */
export interface OfficerSession {
  accountId: string;
  credentialVersion: number;
  csrfToken: string;
  expiresAt: number;
}

export interface SessionStore {
  put(key: string, session: OfficerSession): Promise<void>;
  /** The session, or undefined when unknown or past `expiresAt` (judged by the store's clock). */
  get(key: string): Promise<OfficerSession | undefined>;
  delete(key: string): Promise<void>;
}

/** Who acts through the officer API: an account, or the shared ADMIN_TOKEN (automation, the first sign-in). */
export interface Officer {
  /** Account id, or "admin" for the token. */
  id: string;
  /** What history lines and campaigns name: the display name, or "admin" for the token. */
  name: string;
  role: OfficerRole;
  communes: string[];
}

/** The actor the shared token stands for (the value "admin" was the only author before named accounts). */
export const TOKEN_OFFICER: Officer = { id: 'admin', name: 'admin', role: 'province', communes: [] };

/** Authors the history already uses for other meanings; no account may be named so. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['admin', 'producer']);

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;

export function officerOf(account: OfficerAccount): Officer {
  return {
    id: account.id,
    name: account.displayName,
    role: account.role,
    communes: account.role === 'commune' ? [...account.communes] : [],
  };
}

/** Whether the officer may see a submission from this commune: provincial officers see every commune. */
export function inScope(officer: Officer, commune: string): boolean {
  return officer.role === 'province' || officer.communes.includes(commune);
}

/** The account as the API shows it: no password hash, no credential version. */
export function publicAccount(a: OfficerAccount) {
  const { passwordHash: _hash, credentialVersion: _version, ...shown } = a;
  return shown;
}

// ---------------------------------------------------------------------------------------------------------
// Passwords: scrypt from node:crypto, salted, parameters kept with the hash, compared in constant time.

/** N = 2^14, r = 8, p = 1 (about 16 MiB and tens of milliseconds): OWASP's minimum for scrypt. */
const SCRYPT = { N: 16_384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** "scrypt$16384$8$1$<salt base64>$<hash base64>". */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash no password matches, verified when a username is unknown so that answer takes as long as any other. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(18).toString('base64'));
  return decoy;
}

export const newAccountId = (): string => randomUUID();
/** A random id for a session cookie, and for a CSRF token: 256 bits, URL-safe. */
export const newSecret = (): string => randomBytes(32).toString('base64url');
