import { NotFoundError } from '../errors.js';
import type { CopyResult } from '../interface.js';
import type { UidRanges } from '../query.js';
import { checkQuota, expiryFor } from './append.js';
import type { SqliteContext, TxEvents } from './context.js';
import { mailboxRowById } from './mailboxes.js';
import { rangesSql } from './ranges.js';
import type { MailboxRow, MessageRow, UserRow } from './rows.js';

function selectRows(ctx: SqliteContext, mailboxId: string, ranges: UidRanges, columns = '*'): MessageRow[] {
  const params: Array<string | number> = [mailboxId];
  const where = rangesSql(ranges, params);
  return ctx
    .stmt<Array<string | number>, MessageRow>(`SELECT ${columns} FROM messages WHERE mailbox_id = ? AND ${where} ORDER BY uid`)
    .all(...params);
}

function requireMailbox(ctx: SqliteContext, id: string): MailboxRow {
  const row = mailboxRowById(ctx, id);
  if (!row) throw new NotFoundError('mailbox');
  return row;
}

function sameUser(source: MailboxRow, target: MailboxRow): void {
  // Mailbox ids are global; refusing cross-user copies keeps quota and ownership simple.
  if (source.user_id !== target.user_id) throw new NotFoundError('mailbox');
}

export function copyInTx(
  ctx: SqliteContext,
  tx: TxEvents,
  sourceId: string,
  ranges: UidRanges,
  targetId: string,
): CopyResult {
  const source = requireMailbox(ctx, sourceId);
  const target = requireMailbox(ctx, targetId);
  sameUser(source, target);
  const rows = selectRows(ctx, sourceId, ranges);
  const result: CopyResult = { uidValidity: target.uidvalidity, sourceUids: [], destinationUids: [], modseq: target.modseq };
  if (rows.length === 0) return result;
  const user = ctx.stmt<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(target.user_id)!;
  const bytes = rows.reduce((sum, r) => sum + r.size, 0);
  checkQuota(user, bytes);
  const now = Date.now();
  const modseq = target.modseq + 1;
  let uid = target.uidnext;
  const insert = ctx.stmt(
    `INSERT INTO messages (mailbox_id, user_id, uid, modseq, sysflags, keywords, internal_date, size, blob_id, thread_id, expires, prefix, saved)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ref = ctx.stmt('UPDATE blobs SET refcount = refcount + 1, unreferenced_at = NULL WHERE id = ?');
  const expires = expiryFor(target, user, undefined, now);
  for (const r of rows) {
    // RFC 8514 §3: a copy is saved in its mailbox now, whatever its internal date.
    insert.run(target.id, r.user_id, uid, modseq, r.sysflags, r.keywords, r.internal_date, r.size, r.blob_id, r.thread_id, expires, r.prefix, now);
    ref.run(r.blob_id);
    ctx.journal(tx, { userId: target.user_id, mailboxId: target.id, kind: 'exists', uid, modseq }, now);
    result.sourceUids.push(r.uid);
    result.destinationUids.push(uid);
    uid++;
  }
  ctx.stmt('UPDATE mailboxes SET uidnext = ?, modseq = ? WHERE id = ?').run(uid, modseq, target.id);
  ctx.stmt('UPDATE users SET storage_used = storage_used + ? WHERE id = ?').run(bytes, target.user_id);
  result.modseq = modseq;
  return result;
}

/**
 * MOVE (RFC 6851) as one transaction: rows are re-homed in place (same row,
 * same blob reference, new mailbox/UID/modseq), so nothing is copied and
 * quota does not change; the source journals an expunge per message.
 */
export function moveInTx(
  ctx: SqliteContext,
  tx: TxEvents,
  sourceId: string,
  ranges: UidRanges,
  targetId: string,
): CopyResult & { expungeModseq: number } {
  const source = requireMailbox(ctx, sourceId);
  const target = requireMailbox(ctx, targetId);
  sameUser(source, target);
  const rows = selectRows(ctx, sourceId, ranges, 'id, uid, user_id');
  const result = { uidValidity: target.uidvalidity, sourceUids: [] as number[], destinationUids: [] as number[], modseq: target.modseq, expungeModseq: source.modseq };
  if (rows.length === 0 || sourceId === targetId) return result;
  const user = ctx.stmt<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(target.user_id)!;
  const now = Date.now();
  const modseq = target.modseq + 1;
  const expungeModseq = source.modseq + 1;
  const expires = expiryFor(target, user, undefined, now);
  let uid = target.uidnext;
  const update = ctx.stmt('UPDATE messages SET mailbox_id = ?, uid = ?, modseq = ?, expires = ?, saved = ? WHERE id = ?');
  for (const r of rows) {
    update.run(target.id, uid, modseq, expires, now, r.id);
    ctx.journal(tx, { userId: source.user_id, mailboxId: source.id, kind: 'expunge', uid: r.uid, modseq: expungeModseq }, now);
    ctx.journal(tx, { userId: target.user_id, mailboxId: target.id, kind: 'exists', uid, modseq }, now);
    result.sourceUids.push(r.uid);
    result.destinationUids.push(uid);
    uid++;
  }
  ctx.stmt('UPDATE mailboxes SET uidnext = ?, modseq = ? WHERE id = ?').run(uid, modseq, target.id);
  ctx.stmt('UPDATE mailboxes SET modseq = ? WHERE id = ?').run(expungeModseq, source.id);
  result.modseq = modseq;
  result.expungeModseq = expungeModseq;
  return result;
}
