import { NotFoundError } from '../errors.js';
import { decodeKeywords, joinFlags } from '../flags.js';
import type { AppendResult, ArchiveStore } from '../interface.js';
import type { ArchivedMessage, Id, Page, PageQuery } from '../types.js';
import { checkQuota, expiryFor } from './append.js';
import type { SqliteContext } from './context.js';
import { mailboxRow } from './mailboxes.js';
import { pageOf } from './paging.js';
import type { MailboxRow, UserRow } from './rows.js';

interface ArchiveRow {
  id: string;
  user_id: string;
  mailbox_id: string;
  mailbox_path: string;
  uid: number;
  sysflags: number;
  keywords: string;
  internal_date: number;
  size: number;
  blob_id: number;
  thread_id: string;
  prefix: Buffer | null;
  archived: number;
  subject: string;
  from_text: string;
  preview: string;
}

const COLUMNS = 'a.*, b.subject, b.from_text, b.preview';
const FROM = 'archive a JOIN blobs b ON b.id = a.blob_id';

function toArchived(r: ArchiveRow): ArchivedMessage {
  return {
    id: r.id,
    userId: r.user_id,
    mailboxId: r.mailbox_id,
    mailboxPath: r.mailbox_path,
    uid: r.uid,
    flags: joinFlags(r.sysflags, decodeKeywords(r.keywords)),
    internalDate: new Date(r.internal_date),
    archived: new Date(r.archived),
    size: r.size,
    subject: r.subject,
    from: r.from_text,
    preview: r.preview,
  };
}

export class SqliteArchive implements ArchiveStore {
  constructor(private readonly ctx: SqliteContext) {}

  async list(userId: Id, query: PageQuery): Promise<Page<ArchivedMessage>> {
    return pageOf<ArchiveRow, ArchivedMessage>(this.ctx, {
      table: FROM,
      columns: COLUMNS,
      where: ['a.user_id = @user'],
      params: { user: userId },
      keys: ['a.archived', 'a.id'],
      desc: true,
      query,
      map: toArchived,
      cursorOf: (r) => [r.archived, r.id],
    });
  }

  async get(userId: Id, id: Id): Promise<ArchivedMessage | null> {
    const row = this.ctx.stmt<[string, string], ArchiveRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = ? AND a.user_id = ?`).get(id, userId);
    return row ? toArchived(row) : null;
  }

  async restore(userId: Id, id: Id, targetMailboxId?: Id): Promise<AppendResult> {
    const ctx = this.ctx;
    return ctx.write((tx) => {
      const row = ctx.stmt<[string, string], ArchiveRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = ? AND a.user_id = ?`).get(id, userId);
      if (!row) throw new NotFoundError('archived');
      let target: MailboxRow | undefined;
      if (targetMailboxId) {
        target = mailboxRow(ctx, userId, targetMailboxId);
        if (!target) throw new NotFoundError('mailbox');
      } else {
        target =
          mailboxRow(ctx, userId, row.mailbox_id) ??
          ctx.stmt<[string], MailboxRow>("SELECT * FROM mailboxes WHERE user_id = ? AND path = 'INBOX'").get(userId);
        if (!target) throw new NotFoundError('mailbox');
      }
      const user = ctx.stmt<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(userId)!;
      checkQuota(user, row.size);
      const now = Date.now();
      const uid = target.uidnext;
      const modseq = target.modseq + 1;
      // The archive row's blob reference moves to the restored message: no refcount change.
      const info = ctx
        .stmt(
          `INSERT INTO messages (mailbox_id, user_id, uid, modseq, sysflags, keywords, internal_date, size, blob_id, thread_id, expires, prefix, saved)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(target.id, userId, uid, modseq, row.sysflags, row.keywords, row.internal_date, row.size, row.blob_id, row.thread_id, expiryFor(target, user, undefined, now), row.prefix, now);
      ctx.stmt('DELETE FROM archive WHERE id = ?').run(id);
      ctx.stmt('UPDATE mailboxes SET uidnext = ?, modseq = ? WHERE id = ?').run(uid + 1, modseq, target.id);
      ctx.stmt('UPDATE users SET storage_used = storage_used + ? WHERE id = ?').run(row.size, userId);
      ctx.journal(tx, { userId, mailboxId: target.id, kind: 'exists', uid, modseq }, now);
      return { id: Number(info.lastInsertRowid), mailboxId: target.id, uid, modseq, uidValidity: target.uidvalidity, size: row.size };
    });
  }
}
