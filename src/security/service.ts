/**
 * Account security: app passwords, TOTP (RFC 6238) and the auth log, plus
 * the LoginExtensions that make every protocol's login honour them.
 */
import { randomBytes } from 'node:crypto';
import type { AuthEvent, LoginExtensions, Scope } from '../auth/login.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../storage/interface.js';
import type { AppPassword, AspScope, AuthLogValue } from '../storage/security-stores.js';
import type { Id, User } from '../storage/types.js';
import { aspAllows, generateAppPassword, normalizeAppPassword } from './app-passwords.js';
import { deriveKey, lookupKey, Sealer } from './keys.js';
import { base32Encode, otpauthUri, verifyTotp } from './totp.js';

/** Auth-log entries are kept this long (WildDuck's 30 days). */
export const AUTHLOG_TTL_MS = 30 * 24 * 3600 * 1000;

/** Who asked, as reported by the caller (WildDuck's sess and ip parameters) or seen on the connection. */
export interface AuditMeta {
  sess?: string | null;
  ip?: string | null;
  protocol?: string;
}

export type SecurityFailure = 'rate-limited' | 'not-setup' | 'already-enabled' | 'not-enabled';

export class SecurityError extends Error {
  constructor(
    readonly reason: SecurityFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SecurityError';
  }
}

export interface SecurityOptions {
  /** Failed TOTP checks allowed per user within the window before checks are refused. */
  totpMaxFailures: number;
  totpFailureWindowMs: number;
  /** Default issuer shown by authenticator apps. */
  issuer: string;
}

interface Hasher {
  hash(password: string): Promise<string>;
  verifyHash(phc: string, password: string): Promise<boolean>;
}

export class SecurityService {
  private readonly seeds: Sealer;
  private readonly aspIndexKey: Buffer;

  constructor(
    private readonly store: Store,
    private readonly hasher: Hasher,
    secret: Buffer,
    private readonly logger: Logger,
    private readonly options: SecurityOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.seeds = new Sealer(secret, 'totp-seed');
    this.aspIndexKey = deriveKey(secret, 'asp-lookup');
  }

  // ------------------------------------------------------------ auth log

  /** Appends to the user's auth log; failures are logged, never thrown (auditing must not break the action). */
  async record(userId: Id, action: string, result: 'success' | 'fail' | null, meta: AuditMeta, data: Record<string, AuthLogValue> = {}): Promise<void> {
    const extra: Record<string, AuthLogValue> = { ...data };
    if (meta.protocol) extra.protocol = meta.protocol;
    try {
      await this.store.authLog.add(userId, { action, result, sess: meta.sess ?? null, ip: meta.ip ?? null, data: extra, ttlMs: AUTHLOG_TTL_MS });
    } catch (err) {
      this.logger.warn('security.authlog_failed', { err, userId, action });
    }
  }

  private recordLogin(event: AuthEvent): void {
    if (!event.userId) {
      this.logger.info('security.login_unknown_user', { username: event.username, protocol: event.protocol, ip: event.ip });
      return;
    }
    const data: Record<string, AuthLogValue> = { username: event.username, scope: event.scope };
    if (event.method) data.source = event.method === 'asp' ? 'asp' : 'master';
    if (event.aspId) data.asp = event.aspId;
    if (event.reason) data.reason = event.reason;
    void this.record(event.userId, 'authentication', event.result, { sess: event.session, ip: event.ip, protocol: event.protocol }, data);
    if (event.result === 'success' && event.aspId) {
      this.store.asps.touch(event.userId, event.aspId, event.ip).catch((err: unknown) => this.logger.warn('security.asp_touch_failed', { err }));
    }
  }

  // ------------------------------------------------------------ app passwords

  async createAsp(user: User, input: { description: string; scopes: AspScope[]; expires?: Date | null }, meta: AuditMeta): Promise<{ asp: AppPassword; password: string }> {
    const password = generateAppPassword();
    const scopes: AspScope[] = input.scopes.includes('*') || input.scopes.length === 0 ? ['*'] : [...new Set(input.scopes)];
    const asp = await this.store.asps.create(user.id, {
      description: input.description,
      scopes,
      lookup: lookupKey(this.aspIndexKey, password),
      hash: await this.hasher.hash(password),
      expires: input.expires ?? null,
    });
    await this.record(user.id, 'create asp', 'success', meta, { asp: asp.id, description: asp.description, scopes: scopes.join(',') });
    return { asp, password };
  }

  async deleteAsp(userId: Id, id: Id, meta: AuditMeta): Promise<void> {
    await this.store.asps.delete(userId, id);
    await this.record(userId, 'delete asp', 'success', meta, { asp: id });
  }

  /** The app password `password` is, for this user: usable here, existing but not for this scope, or none. */
  async matchAsp(user: User, password: string, scope: Scope): Promise<{ id: string } | 'wrong-scope' | null> {
    const normalized = normalizeAppPassword(password);
    if (!normalized) return null;
    for (const asp of await this.store.asps.findByLookup(user.id, lookupKey(this.aspIndexKey, normalized))) {
      if (await this.hasher.verifyHash(asp.hash, normalized)) return aspAllows(asp.scopes, scope) ? { id: asp.id } : 'wrong-scope';
    }
    return null;
  }

  // ------------------------------------------------------------ TOTP

  async totpEnabled(userId: Id): Promise<boolean> {
    return (await this.store.twoFactor.getTotp(userId))?.enabled === true;
  }

  /**
   * Creates (or, unless `fresh`, reuses) an unconfirmed seed. Returns the
   * base32 seed and the otpauth URI for the QR code.
   */
  async setupTotp(user: User, input: { issuer?: string; label?: string; fresh?: boolean }, meta: AuditMeta): Promise<{ seed: string; uri: string }> {
    const current = await this.store.twoFactor.getTotp(user.id);
    if (current?.enabled) throw new SecurityError('already-enabled', 'TOTP is already enabled for this user');
    let seed: Buffer;
    if (current && !input.fresh) {
      seed = this.openSeed(current.secret);
    } else {
      // 160 bits: RFC 4226 §4 recommends it for HMAC-SHA-1.
      seed = randomBytes(20);
      if (!(await this.store.twoFactor.setPendingTotp(user.id, this.seeds.seal(seed)))) {
        throw new SecurityError('already-enabled', 'TOTP is already enabled for this user');
      }
    }
    await this.record(user.id, 'setup 2fa totp', 'success', meta);
    const encoded = base32Encode(seed);
    return { seed: encoded, uri: otpauthUri(encoded, input.issuer || this.options.issuer, input.label || user.address || user.username) };
  }

  /** Confirms the pending seed with a current code. False for a wrong code. */
  async enableTotp(user: User, token: string, meta: AuditMeta): Promise<boolean> {
    const state = await this.store.twoFactor.getTotp(user.id);
    if (!state) throw new SecurityError('not-setup', 'TOTP has not been set up for this user');
    if (state.enabled) throw new SecurityError('already-enabled', 'TOTP is already enabled for this user');
    await this.checkRate(user.id, 'enable 2fa totp', meta);
    const step = verifyTotp(this.openSeed(state.secret), token, this.now());
    const ok = step !== null && (await this.store.twoFactor.enableTotp(user.id, state.secret, step));
    await this.settle(user.id, ok, 'enable 2fa totp', meta);
    return ok;
  }

  /** Verifies a code of the enabled seed; each code is accepted once. False for a wrong or reused code. */
  async checkTotp(user: User, token: string, meta: AuditMeta): Promise<boolean> {
    const state = await this.store.twoFactor.getTotp(user.id);
    if (!state?.enabled) throw new SecurityError('not-enabled', 'TOTP is not enabled for this user');
    await this.checkRate(user.id, 'check 2fa totp', meta);
    const step = verifyTotp(this.openSeed(state.secret), token, this.now());
    const ok = step !== null && step > state.lastStep && (await this.store.twoFactor.claimStep(user.id, step));
    await this.settle(user.id, ok, 'check 2fa totp', meta);
    return ok;
  }

  /** Removes TOTP; true when there was something to remove. */
  async disableTotp(userId: Id, meta: AuditMeta, action = 'disable 2fa totp'): Promise<boolean> {
    const removed = await this.store.twoFactor.deleteTotp(userId);
    await this.record(userId, action, 'success', meta);
    return removed;
  }

  private failKey(userId: Id): string {
    return `totpfail:${userId}`;
  }

  private async checkRate(userId: Id, action: string, meta: AuditMeta): Promise<void> {
    if ((await this.store.coordination.counter(this.failKey(userId))) >= this.options.totpMaxFailures) {
      await this.record(userId, action, 'fail', meta, { reason: 'rate-limited' });
      throw new SecurityError('rate-limited', 'Too many failed attempts, try again later');
    }
  }

  private async settle(userId: Id, ok: boolean, action: string, meta: AuditMeta): Promise<void> {
    if (ok) await this.store.coordination.resetCounter(this.failKey(userId));
    else await this.store.coordination.increment(this.failKey(userId), this.options.totpFailureWindowMs);
    await this.record(userId, action, ok ? 'success' : 'fail', meta, ok ? {} : { reason: 'invalid-token' });
  }

  private openSeed(sealed: string): Buffer {
    return this.seeds.open(sealed);
  }

  // ------------------------------------------------------------ login hooks

  loginExtensions(): LoginExtensions {
    return {
      appPassword: (user, password, scope) => this.matchAsp(user, password, scope),
      hasSecondFactor: (user) => this.totpEnabled(user.id),
      record: (event) => {
        try {
          this.recordLogin(event);
        } catch (err) {
          this.logger.warn('security.record_failed', { err });
        }
      },
    };
  }
}
