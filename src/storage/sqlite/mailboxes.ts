import { AlreadyExistsError, CannotError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { MailboxStore, NewMailboxOptions } from '../interface.js';
import { ancestors, isInbox, normalizePath, SEPARATOR } from '../paths.js';
import type { Id, Mailbox, MailboxCounters, SpecialUse } from '../types.js';
import type { SqliteContext, TxEvents } from './context.js';
import { removeMessages } from './expunge.js';
import { toMailbox, type MailboxRow, type MessageRow } from './rows.js';

const DAY = 24 * 60 * 60 * 1000;

/** Default retention for special-use mailboxes that clean themselves. */
export function defaultRetention(ctx: SqliteContext, specialUse: SpecialUse | null | undefined): number {
  if (specialUse === '\\Junk') return ctx.config.junkRetention * DAY;
  if (specialUse === '\\Trash') return ctx.config.trashRetention * DAY;
  return 0;
}

export function mailboxRow(ctx: SqliteContext, userId: Id, id: Id): MailboxRow | undefined {
  return ctx.stmt<[string, string], MailboxRow>('SELECT * FROM mailboxes WHERE id = ? AND user_id = ?').get(id, userId);
}

export function mailboxRowById(ctx: SqliteContext, id: Id): MailboxRow | undefined {
  return ctx.stmt<[string], MailboxRow>('SELECT * FROM mailboxes WHERE id = ?').get(id);
}

function rowByPath(ctx: SqliteContext, userId: Id, path: string): MailboxRow | undefined {
  return ctx.stmt<[string, string], MailboxRow>('SELECT * FROM mailboxes WHERE user_id = ? AND path = ?').get(userId, path);
}

/** Inserts one mailbox row inside the caller's transaction. */
export function insertMailbox(
  ctx: SqliteContext,
  tx: TxEvents,
  userId: Id,
  path: string,
  options: NewMailboxOptions = {},
): MailboxRow {
  const now = Date.now();
  const specialUse = options.specialUse ?? null;
  if (specialUse && specialUse !== '\\Inbox' && specialUse !== '\\All' && specialUse !== '\\Flagged') {
    const taken = ctx
      .stmt<[string, string], { id: string }>('SELECT id FROM mailboxes WHERE user_id = ? AND special_use = ?')
      .get(userId, specialUse);
    if (taken) throw new AlreadyExistsError('mailbox', `a mailbox with ${specialUse} already exists`);
  }
  const row: MailboxRow = {
    id: newId(now),
    user_id: userId,
    path,
    special_use: specialUse,
    uidvalidity: ctx.nextUidValidity(),
    uidnext: 1,
    modseq: 1,
    recent_uid: 1,
    subscribed: options.subscribed === false ? 0 : 1,
    retention: options.retention ?? defaultRetention(ctx, specialUse),
    expunge_floor: 0,
    created: now,
  };
  ctx
    .stmt(
      `INSERT INTO mailboxes (id, user_id, path, special_use, uidvalidity, uidnext, modseq, recent_uid, subscribed, retention, expunge_floor, created)
       VALUES (@id, @user_id, @path, @special_use, @uidvalidity, @uidnext, @modseq, @recent_uid, @subscribed, @retention, @expunge_floor, @created)`,
    )
    .run(row);
  ctx.journal(tx, { userId, mailboxId: row.id, kind: 'mailbox-create', path }, now);
  return row;
}

/** Creates every missing ancestor of path (as plain mailboxes). */
function ensureParents(ctx: SqliteContext, tx: TxEvents, userId: Id, path: string): void {
  for (const parent of ancestors(path)) {
    if (!rowByPath(ctx, userId, parent)) insertMailbox(ctx, tx, userId, parent);
  }
}

function requireUser(ctx: SqliteContext, userId: Id): void {
  if (!ctx.stmt<[string], { id: string }>('SELECT id FROM users WHERE id = ?').get(userId)) throw new NotFoundError('user');
}

export class SqliteMailboxes implements MailboxStore {
  constructor(private readonly ctx: SqliteContext) {}

  async listMailboxes(userId: Id): Promise<Mailbox[]> {
    return this.ctx
      .stmt<[string], MailboxRow>('SELECT * FROM mailboxes WHERE user_id = ? ORDER BY path')
      .all(userId)
      .map(toMailbox);
  }

  async getMailbox(userId: Id, path: string): Promise<Mailbox | null> {
    let normalized: string;
    try {
      normalized = normalizePath(path);
    } catch {
      return null;
    }
    const row = rowByPath(this.ctx, userId, normalized);
    return row ? toMailbox(row) : null;
  }

  async getMailboxById(userId: Id, id: Id): Promise<Mailbox | null> {
    const row = mailboxRow(this.ctx, userId, id);
    return row ? toMailbox(row) : null;
  }

  async getSpecialMailbox(userId: Id, specialUse: SpecialUse): Promise<Mailbox | null> {
    if (specialUse === '\\Inbox') return this.getMailbox(userId, 'INBOX');
    const row = this.ctx
      .stmt<[string, string], MailboxRow>('SELECT * FROM mailboxes WHERE user_id = ? AND special_use = ? ORDER BY path LIMIT 1')
      .get(userId, specialUse);
    return row ? toMailbox(row) : null;
  }

  async createMailbox(userId: Id, path: string, options: NewMailboxOptions = {}): Promise<Mailbox> {
    const normalized = normalizePath(path);
    return this.ctx.write((tx) => {
      requireUser(this.ctx, userId);
      if (rowByPath(this.ctx, userId, normalized)) throw new AlreadyExistsError('mailbox');
      ensureParents(this.ctx, tx, userId, normalized);
      return toMailbox(insertMailbox(this.ctx, tx, userId, normalized, options));
    });
  }

  async renameMailbox(userId: Id, id: Id, newPath: string): Promise<Mailbox> {
    const target = normalizePath(newPath);
    return this.ctx.write((tx) => {
      const ctx = this.ctx;
      const row = mailboxRow(ctx, userId, id);
      if (!row) throw new NotFoundError('mailbox');
      if (rowByPath(ctx, userId, target)) throw new AlreadyExistsError('mailbox');
      if (target.startsWith(row.path + SEPARATOR)) throw new CannotError('cannot move a mailbox into itself');
      if (isInbox(target)) throw new AlreadyExistsError('mailbox');
      ensureParents(ctx, tx, userId, target);
      const now = Date.now();
      if (isInbox(row.path)) {
        // RFC 3501 §6.3.5: renaming INBOX moves its messages to a new mailbox
        // and leaves INBOX (and its children) in place, empty.
        const created = insertMailbox(ctx, tx, userId, target);
        moveAllMessages(ctx, tx, row, created, now);
        return toMailbox(mailboxRowById(ctx, created.id)!);
      }
      const prefix = row.path + SEPARATOR;
      const children = ctx
        .stmt<[string, string, string], MailboxRow>('SELECT * FROM mailboxes WHERE user_id = ? AND substr(path, 1, length(?)) = ?')
        .all(userId, prefix, prefix);
      // substr() rather than LIKE: names may contain '%' and '_'.
      for (const child of [row, ...children]) {
        const moved = target + child.path.slice(row.path.length);
        if (child.id !== row.id && rowByPath(ctx, userId, moved)) throw new AlreadyExistsError('mailbox', `${moved} already exists`);
        ctx.stmt('UPDATE mailboxes SET path = ? WHERE id = ?').run(moved, child.id);
        ctx.journal(tx, { userId, mailboxId: child.id, kind: 'mailbox-rename', path: moved }, now);
      }
      return toMailbox(mailboxRowById(ctx, id)!);
    });
  }

  async deleteMailbox(userId: Id, id: Id): Promise<void> {
    this.ctx.write((tx) => {
      const row = mailboxRow(this.ctx, userId, id);
      if (!row) throw new NotFoundError('mailbox');
      if (isInbox(row.path)) throw new CannotError('INBOX cannot be deleted');
      const now = Date.now();
      const rows = this.ctx.stmt<[string], MessageRow>('SELECT * FROM messages WHERE mailbox_id = ?').all(row.id);
      removeMessages(this.ctx, tx, row, rows, { archive: true, journal: false, now });
      this.ctx.stmt('DELETE FROM metadata WHERE user_id = ? AND mailbox_key = ?').run(userId, row.id);
      this.ctx.stmt('DELETE FROM mailboxes WHERE id = ?').run(row.id);
      this.ctx.journal(tx, { userId, mailboxId: row.id, kind: 'mailbox-delete', path: row.path }, now);
    });
  }

  async updateMailbox(
    userId: Id,
    id: Id,
    patch: { subscribed?: boolean; retention?: number; specialUse?: SpecialUse | null },
  ): Promise<Mailbox> {
    return this.ctx.write((tx) => {
      const row = mailboxRow(this.ctx, userId, id);
      if (!row) throw new NotFoundError('mailbox');
      if (patch.specialUse !== undefined && patch.specialUse !== row.special_use && patch.specialUse !== null) {
        const taken = this.ctx
          .stmt<[string, string, string], { id: string }>('SELECT id FROM mailboxes WHERE user_id = ? AND special_use = ? AND id != ?')
          .get(userId, patch.specialUse, id);
        if (taken) throw new AlreadyExistsError('mailbox', `a mailbox with ${patch.specialUse} already exists`);
      }
      this.ctx
        .stmt('UPDATE mailboxes SET subscribed = ?, retention = ?, special_use = ? WHERE id = ?')
        .run(
          patch.subscribed === undefined ? row.subscribed : patch.subscribed ? 1 : 0,
          patch.retention ?? row.retention,
          patch.specialUse === undefined ? row.special_use : patch.specialUse,
          id,
        );
      this.ctx.journal(tx, { userId, mailboxId: id, kind: 'mailbox-update', path: row.path });
      return toMailbox(mailboxRowById(this.ctx, id)!);
    });
  }

  async counters(mailboxId: Id): Promise<MailboxCounters> {
    const ctx = this.ctx;
    const row = mailboxRowById(ctx, mailboxId);
    if (!row) throw new NotFoundError('mailbox');
    // Kept by triggers on messages (schema-core.ts migration 4); no row until the first message.
    const counts = ctx
      .stmt<[string], { messages: number; size: number; unseen: number }>('SELECT messages, size, unseen FROM mailbox_counts WHERE mailbox_id = ?')
      .get(mailboxId);
    const recent = ctx
      .stmt<[string, number], { n: number }>('SELECT count(*) AS n FROM messages WHERE mailbox_id = ? AND uid >= ?')
      .get(mailboxId, row.recent_uid)!;
    return {
      messages: counts?.messages ?? 0,
      unseen: counts?.unseen ?? 0,
      size: counts?.size ?? 0,
      uidNext: row.uidnext,
      uidValidity: row.uidvalidity,
      highestModseq: row.modseq,
      recent: recent.n,
    };
  }

  async firstUnseen(mailboxId: Id): Promise<number | null> {
    // One statement (every SELECT asks): the mailbox row proves existence, the partial index
    // messages_unseen (mailbox_id, uid, ...) WHERE \Seen is not set gives the answer.
    const row = this.ctx
      .raw<[string], [number | null]>('SELECT (SELECT min(uid) FROM messages WHERE mailbox_id = mb.id AND (sysflags & 1) = 0) FROM mailboxes mb WHERE mb.id = ?')
      .get(mailboxId);
    if (!row) throw new NotFoundError('mailbox');
    return row[0];
  }

  async claimRecent(mailboxId: Id): Promise<{ firstUid: number; uidNext: number }> {
    // Most SELECTs find nothing new to claim: answer from a read, without a write transaction and its fsync.
    const seen = mailboxRowById(this.ctx, mailboxId);
    if (!seen) throw new NotFoundError('mailbox');
    if (seen.recent_uid >= seen.uidnext) return { firstUid: seen.uidnext, uidNext: seen.uidnext };
    return this.ctx.write(() => {
      const row = mailboxRowById(this.ctx, mailboxId);
      if (!row) throw new NotFoundError('mailbox');
      this.ctx.stmt('UPDATE mailboxes SET recent_uid = uidnext WHERE id = ?').run(mailboxId);
      return { firstUid: row.recent_uid, uidNext: row.uidnext };
    });
  }
}

/** Moves every message of `from` into `to` with new UIDs (INBOX rename). */
function moveAllMessages(ctx: SqliteContext, tx: TxEvents, from: MailboxRow, to: MailboxRow, now: number): void {
  const uids = ctx.stmt<[string], { uid: number }>('SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid').all(from.id);
  if (uids.length === 0) return;
  const fromModseq = from.modseq + 1;
  const toModseq = to.modseq + 1;
  let nextUid = to.uidnext;
  const update = ctx.stmt('UPDATE messages SET mailbox_id = ?, uid = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?');
  for (const { uid } of uids) {
    update.run(to.id, nextUid, toModseq, from.id, uid);
    ctx.journal(tx, { userId: from.user_id, mailboxId: from.id, kind: 'expunge', uid, modseq: fromModseq }, now);
    ctx.journal(tx, { userId: to.user_id, mailboxId: to.id, kind: 'exists', uid: nextUid, modseq: toModseq }, now);
    nextUid++;
  }
  ctx.stmt('UPDATE mailboxes SET modseq = ? WHERE id = ?').run(fromModseq, from.id);
  ctx.stmt('UPDATE mailboxes SET modseq = ?, uidnext = ? WHERE id = ?').run(toModseq, nextUid, to.id);
}
