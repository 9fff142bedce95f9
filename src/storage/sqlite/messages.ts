import { Readable } from 'node:stream';
import { NotFoundError } from '../errors.js';
import type {
  AppendResult,
  ChangesSince,
  CopyResult,
  ExpungeResult,
  FlagChange,
  FlagChangeResult,
  MessageStore,
  NewMessage,
  RecordFields,
  SummaryColumns,
  SummaryFields,
  ThreadFacts,
} from '../interface.js';
import type { MessageQuery, SortSpec, UidRanges } from '../query.js';
import type { Id, MessageDetail, MessageRecord, MessageSummary, Page, PageQuery } from '../types.js';
import { appendInTx, MAX_STORED_HEADER } from './append.js';
import { GroupCommit } from './group-commit.js';
import type { SqliteContext } from './context.js';
import { updateFlagsInTx } from './flag-writes.js';
import { copyInTx, moveInTx } from './message-writes.js';
import { removeMessages } from './expunge.js';
import { mailboxRowById } from './mailboxes.js';
import { pageOf } from './paging.js';
import { rangesSql } from './ranges.js';
import { changesSince, matchingUids, summaryColumns, uidArray } from './columns.js';
import { extraText, FULL_LAYOUT, recordLayout, toDetail, tupleRecord, type RecordTuple } from './records.js';
import { decodeKeywords, joinFlags } from '../flags.js';
import type { MessageRow } from './rows.js';
import { compileQuery, compileSort, usesText, type Compiled } from './search.js';
import { pendingDocs } from './text-index.js';
import { extractTextDoc } from './text-extract.js';

type SummaryTuple = [number, number, number, number, string, number, number, string, number | null, number | null];

export class SqliteMessages implements MessageStore {
  private readonly group: GroupCommit;

  constructor(private readonly ctx: SqliteContext) {
    this.group = new GroupCommit(ctx);
  }

  /**
   * Outside the transaction: the stored header block, and a new body moved
   * into place (its directory fsync off the event loop) before the commit
   * that first references it.
   */
  private async prepare(message: NewMessage): Promise<Buffer> {
    const headerEnd = Math.min(message.parsed.headerLength, message.blob.size, MAX_STORED_HEADER);
    const header = message.header?.length === headerEnd ? message.header : await this.ctx.files.readStaged(message.blob, 0, headerEnd);
    if (!this.ctx.stmt<[string], { refcount: number }>('SELECT refcount FROM blobs WHERE hash = ?').get(message.blob.hash)?.refcount) {
      await this.ctx.files.promoteEarly(message.blob);
    }
    return header;
  }

  async append(mailboxId: Id, message: NewMessage): Promise<AppendResult> {
    const header = await this.prepare(message);
    return this.group.submit((events, now) => appendInTx(this.ctx, events, mailboxId, message, header, now));
  }

  async appendAll(mailboxId: Id, messages: readonly NewMessage[]): Promise<AppendResult[]> {
    const headers: Buffer[] = [];
    for (const message of messages) headers.push(await this.prepare(message));
    // One group job is one savepoint: a failing message rolls back the ones before it.
    return this.group.submit((events, now) => messages.map((m, i) => appendInTx(this.ctx, events, mailboxId, m, headers[i]!, now)));
  }

  async uids(mailboxId: Id): Promise<Uint32Array> {
    // Every SELECT reads this: one JSON array instead of a row per message (columns.ts).
    const json = this.ctx
      .pluck<[string], string>('SELECT json_group_array(uid) FROM (SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid)')
      .get(mailboxId);
    return uidArray(json);
  }

  async summaryColumns(
    mailboxId: Id,
    ranges: UidRanges,
    fields: SummaryFields = {},
  ): Promise<SummaryColumns> {
    return summaryColumns(this.ctx, mailboxId, ranges, fields);
  }

  async list(mailboxId: Id, options: { ranges?: UidRanges; afterUid?: number; limit: number }): Promise<MessageSummary[]> {
    const params: Array<string | number> = [mailboxId, options.afterUid ?? 0];
    const ranges = rangesSql(options.ranges, params);
    params.push(Math.max(1, Math.floor(options.limit)));
    // Raw rows and no mailbox column (it is the argument): this is the sync hot path
    // (`UID FETCH 1:* (UID FLAGS)`), where building row objects cost more than the query.
    const rows = this.ctx
      .raw<Array<string | number>, SummaryTuple>(
        `SELECT id, uid, modseq, sysflags, keywords, internal_date, size, thread_id, expires, saved FROM messages
         WHERE mailbox_id = ? AND uid > ? AND ${ranges} ORDER BY uid LIMIT ?`,
      )
      .all(...params);
    const out: MessageSummary[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [id, uid, modseq, sysflags, keywords, internalDate, size, threadId, expires, saved] = rows[i]!;
      out[i] = {
        id,
        mailboxId,
        uid,
        modseq,
        flags: joinFlags(sysflags, decodeKeywords(keywords)),
        internalDate: new Date(internalDate),
        savedDate: new Date(saved ?? internalDate),
        size,
        threadId,
        expires: expires === null ? null : new Date(expires),
      };
    }
    return out;
  }

  async getRecords(mailboxId: Id, uids: readonly number[], fields: RecordFields = {}): Promise<MessageRecord[]> {
    if (uids.length === 0) return [];
    const layout = recordLayout(fields);
    const rows = this.ctx
      .raw<string[], RecordTuple>(
        `SELECT ${layout.columns} FROM ${layout.from}
         WHERE m.mailbox_id = ? AND m.uid IN (SELECT value FROM json_each(?)) ORDER BY m.uid`,
      )
      .all(...layout.renditions, mailboxId, JSON.stringify(uids));
    const out: MessageRecord[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = tupleRecord(mailboxId, rows[i]!, layout);
    return out;
  }

  async getDetail(mailboxId: Id, uid: number): Promise<MessageDetail | null> {
    const row = this.ctx
      .raw<[string, number], RecordTuple>(
        `SELECT ${FULL_LAYOUT.columns}, b.facts, m.blob_id FROM ${FULL_LAYOUT.from} WHERE m.mailbox_id = ? AND m.uid = ?`,
      )
      .get(mailboxId, uid);
    if (!row) return null;
    const blobId = Number(row[FULL_LAYOUT.renditionsAt + 1]);
    const indexed = this.ctx.search.stmt<[number], { body: string }>('SELECT body FROM txt.blob_text WHERE rowid = ?').get(blobId);
    // Not indexed yet: the same text, taken from the body itself.
    const body = indexed?.body ?? (await pendingText(this.ctx, blobId));
    return toDetail(mailboxId, row, extraText(row, 0) ?? '{}', body);
  }

  open(record: Pick<MessageRecord, 'blob' | 'prefix' | 'size'>, start = 0, end = record.size): Readable {
    const files = this.ctx.files;
    const prefix = record.prefix;
    const stop = Math.min(end, record.size);
    async function* bytes(): AsyncGenerator<Buffer> {
      if (start < prefix.length) yield prefix.subarray(start, Math.min(stop, prefix.length));
      if (stop > prefix.length) {
        yield* files.open(record.blob, Math.max(0, start - prefix.length), stop - prefix.length) as AsyncIterable<Buffer>;
      }
    }
    return Readable.from(bytes(), { objectMode: false });
  }

  async read(record: Pick<MessageRecord, 'blob' | 'prefix' | 'size'>, start = 0, end = record.size): Promise<Buffer> {
    const prefix = record.prefix;
    const stop = Math.min(end, record.size);
    if (stop <= start) return Buffer.alloc(0);
    const head = start < prefix.length ? prefix.subarray(start, Math.min(stop, prefix.length)) : null;
    if (stop <= prefix.length) return Buffer.from(head!);
    const tail = await this.ctx.files.read(record.blob, Math.max(0, start - prefix.length), stop - prefix.length);
    return head ? Buffer.concat([head, tail]) : tail;
  }

  async updateFlags(mailboxId: Id, ranges: UidRanges, change: FlagChange): Promise<FlagChangeResult> {
    // Grouped: concurrent sessions' STOREs (and \Seen from their FETCHes) share one commit's fsync.
    return this.group.submit((events) => updateFlagsInTx(this.ctx, events, mailboxId, ranges, change));
  }

  async expunge(mailboxId: Id, options: { ranges?: UidRanges; onlyDeleted: boolean }): Promise<ExpungeResult> {
    return this.ctx.write((tx) => {
      const mailbox = mailboxRowById(this.ctx, mailboxId);
      if (!mailbox) throw new NotFoundError('mailbox');
      const params: Array<string | number> = [mailboxId];
      const ranges = rangesSql(options.ranges, params);
      const deleted = options.onlyDeleted ? '(sysflags & 8) != 0' : '1';
      const rows = this.ctx
        .stmt<Array<string | number>, MessageRow>(`SELECT * FROM messages WHERE mailbox_id = ? AND ${ranges} AND ${deleted} ORDER BY uid`)
        .all(...params);
      return removeMessages(this.ctx, tx, mailbox, rows, { archive: true, journal: true, now: Date.now() });
    });
  }

  async copy(sourceMailboxId: Id, ranges: UidRanges, targetMailboxId: Id): Promise<CopyResult> {
    return this.ctx.write((tx) => copyInTx(this.ctx, tx, sourceMailboxId, ranges, targetMailboxId));
  }

  async move(sourceMailboxId: Id, ranges: UidRanges, targetMailboxId: Id): Promise<CopyResult & { expungeModseq: number }> {
    return this.ctx.write((tx) => moveInTx(this.ctx, tx, sourceMailboxId, ranges, targetMailboxId));
  }

  /**
   * Compiles a query for the messages matching `scope`; text keys also match
   * bodies the indexer has not reached yet, and send the query to the
   * connection that has the index.
   */
  private async compile(query: MessageQuery, scope: string, scopeParams: Record<string, string | number>): Promise<Compiled & { on: SqliteContext }> {
    if (!usesText(query)) return { ...compileQuery(query), on: this.ctx };
    const pending = await pendingDocs(this.ctx.search, scope, scopeParams);
    return { ...compileQuery(query, pending), on: this.ctx.search };
  }

  async search(mailboxId: Id, query: MessageQuery): Promise<number[]> {
    const { sql, params, blobs, on } = await this.compile(query, 'm.mailbox_id = @mailbox', { mailbox: mailboxId });
    // Flag and date searches (SEARCH UNSEEN SINCE ...) stay on the messages table: a blob row per match is a page read each.
    const from = blobs ? 'messages m JOIN blobs b ON b.id = m.blob_id' : 'messages m';
    return matchingUids(on, from, `m.mailbox_id = @mailbox AND ${sql}`, { ...params, mailbox: mailboxId });
  }

  async sort(mailboxId: Id, query: MessageQuery, sort: SortSpec[]): Promise<number[]> {
    const { sql, params, on } = await this.compile(query, 'm.mailbox_id = @mailbox', { mailbox: mailboxId });
    return on
      .pluck<[Record<string, string | number>], number>(
        `SELECT m.uid FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = @mailbox AND ${sql} ORDER BY ${compileSort(sort)}`,
      )
      .all({ ...params, mailbox: mailboxId });
  }

  async threadFacts(mailboxId: Id, query: MessageQuery): Promise<ThreadFacts[]> {
    const { sql, params, on } = await this.compile(query, 'm.mailbox_id = @mailbox', { mailbox: mailboxId });
    return on
      .stmt<[Record<string, string | number>], { uid: number; message_id: string | null; in_reply_to: string | null; refs: string | null; subject: string; sent_date: number | null; internal_date: number }>(
        `SELECT m.uid, b.message_id, json_extract(b.facts, '$.inReplyTo') AS in_reply_to, json_extract(b.facts, '$.references') AS refs,
           b.subject, b.sent_date, m.internal_date
         FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = @mailbox AND ${sql} ORDER BY m.uid`,
      )
      .all({ ...params, mailbox: mailboxId })
      .map((r) => ({
        uid: r.uid,
        messageId: r.message_id,
        inReplyTo: r.in_reply_to,
        references: r.refs ? (JSON.parse(r.refs) as string[]) : [],
        subject: r.subject,
        sentDate: r.sent_date,
        internalDate: r.internal_date,
      }));
  }

  async searchUser(
    userId: Id,
    query: MessageQuery,
    options: PageQuery & { mailboxId?: Id; order?: 'asc' | 'desc' },
  ): Promise<Page<MessageRecord>> {
    const scope = options.mailboxId ? 'm.mailbox_id = @mailbox' : 'm.user_id = @user';
    const { sql, params, on } = await this.compile(query, scope, options.mailboxId ? { mailbox: options.mailboxId } : { user: userId });
    const where = ['m.user_id = @user', sql];
    const allParams: Record<string, string | number> = { ...params, user: userId };
    if (options.mailboxId) {
      where.push('m.mailbox_id = @mailbox');
      allParams.mailbox = options.mailboxId;
    }
    return pageOf<RecordTuple, MessageRecord>(on, {
      table: FULL_LAYOUT.from,
      columns: `${FULL_LAYOUT.columns}, m.mailbox_id`,
      raw: true,
      where,
      params: allParams,
      keys: ['m.internal_date', 'm.id'],
      desc: options.order !== 'asc',
      query: options,
      map: (t) => tupleRecord(extraText(t, 0) ?? '', t, FULL_LAYOUT),
      cursorOf: (t) => [t[5], t[0]],
    });
  }

  async changesSince(mailboxId: Id, modseq: number, options: { ranges?: UidRanges } = {}): Promise<ChangesSince> {
    return changesSince(this.ctx, mailboxId, modseq, options.ranges);
  }

  async setExpiry(mailboxId: Id, ranges: UidRanges, expires: Date | null): Promise<number> {
    return this.ctx.write(() => {
      const params: Array<string | number> = [];
      const where = rangesSql(ranges, params);
      return this.ctx
        .stmt(`UPDATE messages SET expires = ? WHERE mailbox_id = ? AND ${where}`)
        .run(expires ? expires.getTime() : null, mailboxId, ...params).changes;
    });
  }
}

/** A stored body's indexed text, extracted from its file ('' if it is gone). */
async function pendingText(ctx: SqliteContext, blobId: number): Promise<string> {
  const hash = ctx.stmt<[number], { hash: string }>('SELECT hash FROM blobs WHERE id = ?').get(blobId)?.hash;
  if (!hash) return '';
  try {
    return (await extractTextDoc(ctx.files.open(hash), ctx.config.textIndexLimit)).body;
  } catch {
    return '';
  }
}
