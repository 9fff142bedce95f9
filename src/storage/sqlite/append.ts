import type { AddressFact, MessageFacts, ParsedMessage } from '../../mime/types.js';
import { NotFoundError, OverQuotaError } from '../errors.js';
import { encodeKeywords, splitFlags } from '../flags.js';
import { newId } from '../ids.js';
import type { AppendResult, NewMessage, StagedBlob } from '../interface.js';
import type { SqliteContext, TxEvents } from './context.js';
import type { StoredFacts } from './records.js';
import { mailboxRowById } from './mailboxes.js';
import { QUEUE_SQL } from './text-index.js';
import { storedRendition } from './renditions.js';
import type { MailboxRow, UserRow } from './rows.js';

/** Root header blocks larger than this are stored truncated (search and header fetches still read the blob). */
export const MAX_STORED_HEADER = 1024 * 1024;

const formatAddresses = (list: AddressFact[]): string =>
  list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');

/**
 * References the blob for one more message copy, inside the caller's
 * transaction: the first reference moves the staged file into place and
 * stores everything derived from the body (header block, ENVELOPE, MIME tree,
 * facts, renditions) once for all copies, and queues it for the full-text index.
 */
export function refBlob(ctx: SqliteContext, staged: StagedBlob, parsed: ParsedMessage, header: Buffer): number {
  const existing = ctx.stmt<[string], { id: number; refcount: number }>('SELECT id, refcount FROM blobs WHERE hash = ?').get(staged.hash);
  if (existing) {
    // refcount 0: awaiting collection; the file may be gone only if GC already ran, which also deletes the row.
    if (existing.refcount <= 0) ctx.files.promote(staged);
    ctx.stmt('UPDATE blobs SET refcount = refcount + 1, unreferenced_at = NULL WHERE id = ?').run(existing.id);
    return existing.id;
  }
  ctx.files.promote(staged);
  const facts = parsed.facts;
  const { text: ownText, attachedText: _attached, ...storedFacts } = facts;
  const info = ctx
    .stmt(
      `INSERT INTO blobs (hash, size, refcount, header_length, sent_date, has_attachments, message_id, subject, from_text, to_text, cc_text, preview, header, envelope, mime, facts)
       VALUES (@hash, @size, 1, @header_length, @sent_date, @has_attachments, @message_id, @subject, @from_text, @to_text, @cc_text, @preview, @header, @envelope, @mime, @facts)`,
    )
    .run({
      hash: staged.hash,
      size: staged.size,
      header_length: parsed.headerLength,
      sent_date: facts.date,
      has_attachments: facts.hasAttachments ? 1 : 0,
      message_id: facts.messageId,
      subject: facts.subject,
      from_text: formatAddresses(facts.from),
      to_text: formatAddresses(facts.to),
      cc_text: formatAddresses(facts.cc),
      preview: facts.preview,
      header,
      envelope: JSON.stringify(parsed.envelope),
      mime: JSON.stringify(parsed.root),
      facts: JSON.stringify({ ...storedFacts, textLength: ownText.length } satisfies StoredFacts),
    });
  const blobId = Number(info.lastInsertRowid);
  const rendition = ctx.stmt('INSERT INTO blob_renditions (blob_id, name, data) VALUES (?, ?, ?)');
  for (const renderer of ctx.renderers) {
    let data: Buffer;
    try {
      data = renderer.render(parsed);
    } catch {
      // A rendering bug must not refuse mail: without the rendition, readers render from envelope/mime.
      continue;
    }
    rendition.run(blobId, renderer.name, storedRendition(data));
  }
  // Indexed after the commit, off this thread (text-index.ts).
  ctx.stmt(QUEUE_SQL).run(blobId, 'add');
  ctx.textQueued = true;
  return blobId;
}

const normRef = (ref: string): string => ref.trim().toLowerCase();

/**
 * Thread id by message references (RFC 5256 REFERENCES-style linking, without
 * subject merging): a message joins the thread of any message it names or that
 * names it, else starts one.
 */
export function assignThread(ctx: SqliteContext, userId: string, facts: MessageFacts, now: number): string {
  const refs = [...new Set([facts.messageId, facts.inReplyTo, ...facts.references].filter((r): r is string => !!r).map(normRef))].slice(
    0,
    64,
  );
  const lookup = ctx.stmt<[string, string], { thread_id: string }>('SELECT thread_id FROM thread_refs WHERE user_id = ? AND ref = ?');
  let thread: string | null = null;
  for (const ref of refs) {
    const row = lookup.get(userId, ref);
    if (row) {
      thread = row.thread_id;
      break;
    }
  }
  thread ??= newId(now);
  const insert = ctx.stmt('INSERT OR IGNORE INTO thread_refs (user_id, ref, thread_id) VALUES (?, ?, ?)');
  for (const ref of refs) insert.run(userId, ref, thread);
  return thread;
}

/** The expiry a new copy gets: explicit, else the mailbox's retention, else the user's default. */
export function expiryFor(mailbox: MailboxRow, user: UserRow, explicit: Date | null | undefined, now: number): number | null {
  if (explicit !== undefined) return explicit === null ? null : explicit.getTime();
  if (mailbox.retention > 0) return now + mailbox.retention;
  const userRetention = (JSON.parse(user.settings) as { retention?: number }).retention ?? 0;
  return userRetention > 0 ? now + userRetention : null;
}

export function checkQuota(user: UserRow, needed: number): void {
  if (user.quota > 0 && user.storage_used + needed > user.quota) {
    throw new OverQuotaError(user.storage_used, user.quota, needed);
  }
}

/** The whole append, inside one write transaction. */
export function appendInTx(
  ctx: SqliteContext,
  tx: TxEvents,
  mailboxId: string,
  message: NewMessage,
  header: Buffer,
  now: number,
): AppendResult {
  const mailbox = mailboxRowById(ctx, mailboxId);
  if (!mailbox) throw new NotFoundError('mailbox');
  const user = ctx.stmt<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(mailbox.user_id);
  if (!user) throw new NotFoundError('user');
  const prefix = message.prefix && message.prefix.length > 0 ? message.prefix : null;
  const size = message.blob.size + (prefix?.length ?? 0);
  if (!message.ignoreQuota) checkQuota(user, size);

  const blobId = refBlob(ctx, message.blob, message.parsed, header);
  const threadId = assignThread(ctx, user.id, message.parsed.facts, now);
  const { bits, keywords } = splitFlags(message.flags ?? []);
  const uid = mailbox.uidnext;
  const modseq = mailbox.modseq + 1;
  const internalDate = message.internalDate?.getTime() ?? now;
  const info = ctx
    .stmt(
      `INSERT INTO messages (mailbox_id, user_id, uid, modseq, sysflags, keywords, internal_date, size, blob_id, thread_id, expires, prefix, saved)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      mailbox.id,
      user.id,
      uid,
      modseq,
      bits,
      encodeKeywords(keywords),
      internalDate,
      size,
      blobId,
      threadId,
      expiryFor(mailbox, user, message.expires, now),
      prefix,
      now,
    );
  ctx.stmt('UPDATE mailboxes SET uidnext = ?, modseq = ? WHERE id = ?').run(uid + 1, modseq, mailbox.id);
  ctx.stmt('UPDATE users SET storage_used = storage_used + ? WHERE id = ?').run(size, user.id);
  ctx.journal(tx, { userId: user.id, mailboxId: mailbox.id, kind: 'exists', uid, modseq }, now);
  return { id: Number(info.lastInsertRowid), mailboxId: mailbox.id, uid, modseq, uidValidity: mailbox.uidvalidity, size };
}
