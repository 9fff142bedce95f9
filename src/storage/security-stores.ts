/**
 * Account-security data: application-specific passwords, the TOTP second
 * factor and the auth log. Storage keeps what it is given; hashing, seed
 * encryption and the login rules live in src/security.
 */
import type { Id, Page, PageQuery } from './types.js';

/** Scopes an app password may be limited to; '*' is every scope except master. */
export type AspScope = 'imap' | 'pop3' | 'smtp' | '*';

export interface AppPassword {
  id: Id;
  userId: Id;
  description: string;
  scopes: AspScope[];
  /** Non-secret index derived from the password, so a login verifies one hash, not all of them. */
  lookup: string;
  /** argon2id PHC string of the normalised password. */
  hash: string;
  created: Date;
  /** Null: never expires. */
  expires: Date | null;
  lastUse: Date | null;
  lastIp: string | null;
}

export interface NewAppPassword {
  description: string;
  scopes: AspScope[];
  lookup: string;
  hash: string;
  expires?: Date | null;
}

export interface AspStore {
  /** @throws NotFoundError('user') */
  create(userId: Id, asp: NewAppPassword): Promise<AppPassword>;
  /** Unexpired app passwords in creation order. */
  list(userId: Id): Promise<AppPassword[]>;
  get(userId: Id, id: Id): Promise<AppPassword | null>;
  /** Unexpired app passwords of the user with this lookup key (normally zero or one). */
  findByLookup(userId: Id, lookup: string): Promise<AppPassword[]>;
  /** Records a successful use. A no-op when the app password is gone. */
  touch(userId: Id, id: Id, ip: string | null, when?: Date): Promise<void>;
  /** @throws NotFoundError('asp') */
  delete(userId: Id, id: Id): Promise<void>;
}

export interface TotpState {
  userId: Id;
  /** The seed as sealed by the security module (opaque to storage). */
  secret: string;
  /** False while set up but not yet confirmed with a code. */
  enabled: boolean;
  /** Highest RFC 6238 time step accepted so far (replay protection). */
  lastStep: number;
  created: Date;
}

export interface TwoFactorStore {
  getTotp(userId: Id): Promise<TotpState | null>;
  /**
   * Stores a new unconfirmed seed, replacing an unconfirmed one. Atomic.
   * False (nothing written) when TOTP is already enabled. @throws NotFoundError('user')
   */
  setPendingTotp(userId: Id, secret: string): Promise<boolean>;
  /**
   * Confirms the pending seed `secret` and records `step` as used. Atomic:
   * false when there is no pending seed or it was replaced meanwhile.
   */
  enableTotp(userId: Id, secret: string, step: number): Promise<boolean>;
  /**
   * Accepts time step `step` once (RFC 6238 §5.2: a code must not be accepted
   * twice). Atomic: true and recorded when step > lastStep of an enabled seed.
   */
  claimStep(userId: Id, step: number): Promise<boolean>;
  /** Removes TOTP (pending or enabled). True when there was one. */
  deleteTotp(userId: Id): Promise<boolean>;
}

export type AuthLogValue = string | number | boolean | null;

export interface AuthLogEntry {
  id: Id;
  userId: Id;
  /** "authentication", "password change", "create asp", "enable 2fa totp", ... */
  action: string;
  result: 'success' | 'fail' | null;
  /** Session id and client address the caller reported (WildDuck's sess/ip). */
  sess: string | null;
  ip: string | null;
  /** Further fields (protocol, scope, asp id, reason...), shown as they are. */
  data: Record<string, AuthLogValue>;
  created: Date;
  expires: Date;
}

export interface NewAuthLogEntry {
  action: string;
  result?: 'success' | 'fail' | null;
  sess?: string | null;
  ip?: string | null;
  data?: Record<string, AuthLogValue>;
  created?: Date;
  /** Retention; entries are hidden and pruned after it. */
  ttlMs: number;
}

export interface AuthLogStore {
  /** Appends an entry; silently dropped for users that do not exist. */
  add(userId: Id, entry: NewAuthLogEntry): Promise<AuthLogEntry | null>;
  /** Unexpired entries, newest first, optionally filtered by exact action, sess and ip. */
  list(userId: Id, query: PageQuery & { action?: string; sess?: string; ip?: string }): Promise<Page<AuthLogEntry>>;
  get(userId: Id, id: Id): Promise<AuthLogEntry | null>;
  /** Deletes expired entries; returns how many (maintenance). */
  prune(now?: Date): Promise<number>;
}
