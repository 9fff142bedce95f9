import type { Logger } from '../log/logger.js';
import type { CoordinationStore } from '../storage/interface.js';

/** Lease length; renewed at a third of it, so a crashed process frees the maildrop within a minute. */
export const LOCK_TTL_MS = 60_000;

/**
 * The exclusive POP3 access to a maildrop (RFC 1939 §8: the server acquires
 * an exclusive-access lock at login), as a storage lease so it holds across
 * processes on the embedded engine. IMAP sessions never take it.
 */
export class MaildropLock {
  private timer: NodeJS.Timeout | null = null;
  private released = false;

  private constructor(
    private readonly coordination: CoordinationStore,
    readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly onLost: () => void,
  ) {}

  static key(mailboxId: string): string {
    return `pop3:${mailboxId}`;
  }

  /** Null when another session holds the maildrop. */
  static async acquire(
    coordination: CoordinationStore,
    mailboxId: string,
    owner: string,
    logger: Logger,
    onLost: () => void,
    ttlMs = LOCK_TTL_MS,
  ): Promise<MaildropLock | null> {
    const key = MaildropLock.key(mailboxId);
    if (!(await coordination.acquireLease(key, owner, ttlMs))) return null;
    const lock = new MaildropLock(coordination, key, owner, ttlMs, logger, onLost);
    lock.timer = setInterval(() => void lock.renew(), Math.max(1000, Math.floor(ttlMs / 3)));
    lock.timer.unref();
    return lock;
  }

  /** Extends the lease; false (and onLost) when someone else took it over after we failed to renew in time. */
  async renew(): Promise<boolean> {
    if (this.released) return false;
    try {
      if (await this.coordination.acquireLease(this.key, this.owner, this.ttlMs)) return true;
      this.logger.warn('pop3.lock_lost', { key: this.key });
      this.stopTimer();
      this.onLost();
      return false;
    } catch (err) {
      // A failed renewal is not a loss yet: the lease is still ours until it expires.
      this.logger.warn('pop3.lock_renew_failed', { key: this.key, err });
      return true;
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopTimer();
    try {
      await this.coordination.releaseLease(this.key, this.owner);
    } catch (err) {
      this.logger.warn('pop3.lock_release_failed', { key: this.key, err });
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
