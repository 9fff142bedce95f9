import type { Pop3Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Notifier } from '../notify/notifier.js';
import type { SessionRegistry } from '../server/context.js';
import { AlreadyExistsError } from '../storage/errors.js';
import type { Store } from '../storage/interface.js';
import type { ChangeEvent, Mailbox, User } from '../storage/types.js';
import { Pop3Error } from './errors.js';
import { MaildropLock } from './lock.js';
import { Maildrop } from './maildrop.js';
import { SeenMarker } from './seen.js';
import { applyDeletes } from './update.js';

export interface TransactionDeps {
  store: Store;
  notifier: Notifier;
  sessions: SessionRegistry;
  logger: Logger;
  config: Pop3Config;
}

export interface TransactionHooks {
  /** The user was logged out everywhere (API, admin) or the lock was lost: end the session. */
  terminate(reason: string): void;
}

async function inbox(store: Store, userId: string): Promise<Mailbox> {
  const box = await store.mailboxes.getMailbox(userId, 'INBOX');
  if (box) return box;
  // Accounts created without default mailboxes get their INBOX on first use, as IMAP servers do.
  try {
    return await store.mailboxes.createMailbox(userId, 'INBOX', { specialUse: '\\Inbox' });
  } catch (err) {
    const again = err instanceof AlreadyExistsError ? await store.mailboxes.getMailbox(userId, 'INBOX') : null;
    if (!again) throw err;
    return again;
  }
}

/**
 * Everything a logged-in session holds: the maildrop snapshot, the exclusive
 * lock, the \Seen batcher, the notifier subscription and the session-registry
 * entry. Opened after a successful login; closed exactly once.
 */
export class Transaction {
  private closed = false;

  private constructor(
    private readonly deps: TransactionDeps,
    readonly user: User,
    readonly drop: Maildrop,
    readonly seen: SeenMarker,
    private readonly lock: MaildropLock,
    private readonly cleanups: Array<() => void>,
  ) {}

  static async open(deps: TransactionDeps, user: User, sessionId: string, hooks: TransactionHooks): Promise<Transaction> {
    const { store, config } = deps;
    if (deps.sessions.count(user.id, 'pop3') >= config.maxConnectionsPerUser) {
      throw new Pop3Error('Too many POP3 sessions for this account', { code: 'IN-USE' });
    }
    const mailbox = await inbox(store, user.id);
    const lock = await MaildropLock.acquire(store.coordination, mailbox.id, sessionId, deps.logger, () =>
      hooks.terminate('lock lost'),
    );
    // RFC 2449 §8.1.2: another session has the maildrop.
    if (!lock) throw new Pop3Error('Mailbox is in use by another POP3 session', { code: 'IN-USE' });
    const cleanups: Array<() => void> = [];
    try {
      // Subscribe before the snapshot so an expunge racing the listing is not missed.
      let drop: Maildrop | null = null;
      const early: number[] = [];
      const onEvent = (ev: ChangeEvent): void => {
        if (ev.kind === 'logout') hooks.terminate('logout');
        else if (ev.kind === 'expunge' && ev.mailboxId === mailbox.id && ev.uid !== undefined) {
          if (drop) drop.markGone(ev.uid);
          else early.push(ev.uid);
        }
      };
      cleanups.push(deps.notifier.subscribe(user.id, onEvent));
      cleanups.push(
        deps.notifier.onResync(() => {
          if (drop) void Transaction.resync(deps, drop);
        }),
      );
      drop = await Maildrop.load(store, mailbox, config.maxMessages);
      for (const uid of early) drop.markGone(uid);
      const seen = new SeenMarker(store.messages, mailbox.id, deps.logger);
      cleanups.push(
        deps.sessions.add({ id: sessionId, protocol: 'pop3', userId: user.id, close: () => hooks.terminate('closed by the server') }),
      );
      return new Transaction(deps, user, drop, seen, lock, cleanups);
    } catch (err) {
      for (const c of cleanups) c();
      await lock.release();
      throw err;
    }
  }

  /** After missed notifications: anything no longer in the mailbox is gone. */
  private static async resync(deps: TransactionDeps, drop: Maildrop): Promise<void> {
    try {
      const present = new Set(await deps.store.messages.uids(drop.mailboxId));
      for (const [, e] of drop.visible()) if (!present.has(e.uid)) e.gone = true;
    } catch (err) {
      deps.logger.warn('pop3.resync_failed', { err });
    }
  }

  /**
   * QUIT's UPDATE state. Throws Pop3Error (IN-USE) when the lock was lost,
   * so nothing is removed on behalf of a session that no longer owns the maildrop.
   */
  async update(): Promise<number> {
    await this.seen.flush();
    if (this.drop.deletedCount === 0) return 0;
    if (!(await this.lock.renew())) throw new Pop3Error('Mailbox lock lost, no messages removed', { code: 'IN-USE' });
    return applyDeletes(this.deps.store, this.user.id, this.drop, this.deps.config.deleteAction);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.cleanups) c();
    await this.seen.flush();
    await this.lock.release();
  }
}
