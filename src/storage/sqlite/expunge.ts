import { newId } from '../ids.js';
import type { SqliteContext, TxEvents } from './context.js';
import type { MailboxRow, MessageRow } from './rows.js';

/** Drops `n` references to a blob; at zero the row is kept for a grace period, then collected by maintenance. */
export function unrefBlob(ctx: SqliteContext, blobId: number, n: number, now: number): void {
  ctx
    .stmt(
      `UPDATE blobs SET refcount = refcount - @n,
         unreferenced_at = CASE WHEN refcount - @n <= 0 THEN @now ELSE unreferenced_at END
       WHERE id = @id`,
    )
    .run({ n, now, id: blobId });
}

export interface RemoveOptions {
  /** Keep the removed copies restorable in the archive (expunge) or drop them (move, purge). */
  archive: boolean;
  /** Write an expunge journal entry per message (false when the whole mailbox goes away). */
  journal: boolean;
  now: number;
}

/**
 * Removes message rows of one mailbox inside the caller's transaction:
 * archives or unreferences them, releases quota, bumps the mailbox modseq
 * once, journals each expunge. Returns the expunged UIDs (ascending) and the
 * modseq of the expunge.
 */
export function removeMessages(
  ctx: SqliteContext,
  tx: TxEvents,
  mailbox: MailboxRow,
  rows: MessageRow[],
  options: RemoveOptions,
): { uids: number[]; modseq: number } {
  if (rows.length === 0) return { uids: [], modseq: mailbox.modseq };
  const current = ctx.stmt<[string], { modseq: number }>('SELECT modseq FROM mailboxes WHERE id = ?').get(mailbox.id)!;
  const modseq = current.modseq + 1;
  const archiveIt = options.archive && ctx.config.archiveRetention > 0;
  const insertArchive = ctx.stmt(
    `INSERT INTO archive (id, user_id, mailbox_id, mailbox_path, uid, sysflags, keywords, internal_date, size, blob_id, thread_id, prefix, archived)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const del = ctx.stmt('DELETE FROM messages WHERE id = ?');
  let bytes = 0;
  const uids: number[] = [];
  for (const r of rows) {
    if (archiveIt) {
      insertArchive.run(
        newId(options.now),
        r.user_id,
        r.mailbox_id,
        mailbox.path,
        r.uid,
        r.sysflags,
        r.keywords,
        r.internal_date,
        r.size,
        r.blob_id,
        r.thread_id,
        r.prefix,
        options.now,
      );
    } else {
      unrefBlob(ctx, r.blob_id, 1, options.now);
    }
    del.run(r.id);
    bytes += r.size;
    uids.push(r.uid);
    if (options.journal) {
      ctx.journal(tx, { userId: r.user_id, mailboxId: mailbox.id, kind: 'expunge', uid: r.uid, modseq }, options.now);
    }
  }
  ctx.stmt('UPDATE mailboxes SET modseq = ? WHERE id = ?').run(modseq, mailbox.id);
  ctx.stmt('UPDATE users SET storage_used = max(0, storage_used - ?) WHERE id = ?').run(bytes, mailbox.user_id);
  uids.sort((a, b) => a - b);
  return { uids, modseq };
}
