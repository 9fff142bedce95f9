import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../storage/interface.js';
import type { User } from '../storage/types.js';
import type { PasswordHasher } from './passwords.js';
import type { LoginLimiter } from './ratelimit.js';

/** What is asking: the protocol scope decides which credentials count (WildDuck's scopes). */
export type Scope = 'master' | 'imap' | 'pop3' | 'smtp';

export interface LoginRequest {
  /** Username or any of the user's addresses. */
  username: string;
  password: string;
  scope: Scope;
  /** Protocol name for the auth log (imap, pop3, api, ...). */
  protocol: string;
  ip: string;
  session?: string;
}

export type LoginFailureReason =
  /** Unknown user or wrong password: the client is told nothing more. */
  | 'invalid'
  /** Too many failures for this user or IP. */
  | 'rate-limited'
  /** The account is disabled, suspended, or this scope is disabled for it. */
  | 'disabled'
  /** Right master password, but 2-step verification is on: IMAP/POP3 need an app password. */
  | 'second-factor'
  /** Storage or another dependency failed; try again later. */
  | 'temporary';

export class LoginError extends Error {
  constructor(
    readonly reason: LoginFailureReason,
    readonly userId: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(`login failed: ${reason}`, options);
    this.name = 'LoginError';
  }
}

export interface LoginSuccess {
  user: User;
  /** Which credential matched. */
  method: 'password' | 'asp';
  aspId: string | null;
  scope: Scope;
  requirePasswordChange: boolean;
  /** The master password was used on an account with a second factor (only possible with scope master). */
  require2fa: boolean;
}

export interface AuthEvent {
  action: 'authentication';
  result: 'success' | 'fail';
  reason?: LoginFailureReason;
  userId: string | null;
  username: string;
  scope: Scope;
  protocol: string;
  ip: string;
  session?: string;
  method?: 'password' | 'asp';
  aspId?: string | null;
}

/**
 * Hooks the account-security module plugs in (app passwords, 2-step
 * verification, the auth log). All optional: without them, only the master
 * password exists.
 */
export interface LoginExtensions {
  /** The app password matching `password` for this user: its id, 'wrong-scope' if it exists but may not log in here, or null. */
  appPassword?(user: User, password: string, scope: Scope): Promise<{ id: string } | 'wrong-scope' | null>;
  /** Whether 2-step verification is enabled for the user. */
  hasSecondFactor?(user: User): Promise<boolean>;
  /** Receives every attempt, for the auth log. Must not throw. */
  record?(event: AuthEvent): void;
}

/**
 * The single login path for IMAP, POP3, the API's /authenticate and any
 * future submission server: rate limits, user lookup by name or address,
 * app passwords, the master password, 2-step enforcement, the auth log.
 */
export class LoginService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginLimiter,
    private readonly config: Pick<AuthConfig, 'failureDelay'>,
    private readonly logger: Logger,
    private extensions: LoginExtensions = {},
  ) {}

  setExtensions(extensions: LoginExtensions): void {
    this.extensions = extensions;
  }

  hash(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  verifyHash(phc: string, password: string): Promise<boolean> {
    return this.hasher.verify(phc, password);
  }

  async login(req: LoginRequest): Promise<LoginSuccess> {
    const started = Date.now();
    const name = req.username.trim();
    try {
      return await this.attempt(req, name);
    } catch (err) {
      const failure =
        err instanceof LoginError ? err : new LoginError('temporary', null, { cause: err });
      if (failure.reason === 'temporary') this.logger.error('auth.login_error', { err, session: req.session });
      this.extensions.record?.({
        action: 'authentication',
        result: 'fail',
        reason: failure.reason,
        userId: failure.userId,
        username: name,
        scope: req.scope,
        protocol: req.protocol,
        ip: req.ip,
        session: req.session,
      });
      if (failure.reason === 'invalid' || failure.reason === 'rate-limited') {
        // Slow down guessing; the delay also hides whether the user exists.
        const wait = this.config.failureDelay - (Date.now() - started);
        if (wait > 0) await sleep(wait);
      }
      throw failure;
    }
  }

  private async attempt(req: LoginRequest, name: string): Promise<LoginSuccess> {
    if (name.length === 0 || name.length > 320 || req.password.length > 1024) throw new LoginError('invalid');
    if (await this.limiter.blocked(name, req.ip)) throw new LoginError('rate-limited');

    const user = await this.store.accounts.findUserForLogin(name);
    if (!user) {
      // Spend the same time as a real check so timing does not reveal unknown users.
      await this.hasher.verify(await this.getDummyHash(), req.password);
      await this.limiter.fail(name, req.ip);
      throw new LoginError('invalid');
    }

    let method: 'password' | 'asp' | null = null;
    let aspId: string | null = null;
    let require2fa = false;
    const asp = this.extensions.appPassword ? await this.extensions.appPassword(user, req.password, req.scope) : null;
    if (asp && asp !== 'wrong-scope') {
      method = 'asp';
      aspId = asp.id;
    } else {
      const phc = await this.store.accounts.getPasswordHash(user.id);
      if (phc && (await this.hasher.verify(phc, req.password))) {
        method = 'password';
        const has2fa = this.extensions.hasSecondFactor ? await this.extensions.hasSecondFactor(user) : false;
        if (has2fa && req.scope !== 'master') throw new LoginError('second-factor', user.id);
        require2fa = has2fa;
      }
    }
    if (!method) {
      await this.limiter.fail(user.username, req.ip);
      throw new LoginError('invalid', user.id);
    }
    if (user.disabled || user.suspended) throw new LoginError('disabled', user.id);
    if (req.scope !== 'master' && (user.settings.disabledScopes ?? []).includes(req.scope)) throw new LoginError('disabled', user.id);

    await this.limiter.succeed(user.username);
    this.extensions.record?.({
      action: 'authentication',
      result: 'success',
      userId: user.id,
      username: name,
      scope: req.scope,
      protocol: req.protocol,
      ip: req.ip,
      session: req.session,
      method,
      aspId,
    });
    return { user, method, aspId, scope: req.scope, requirePasswordChange: user.requirePasswordChange, require2fa };
  }

  private getDummyHash(): Promise<string> {
    return (this.dummyHash ??= this.hasher.hash('eider-timing-equaliser'));
  }
}
