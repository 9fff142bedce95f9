/**
 * The message store: appends, reads, flag changes, copy/move/expunge,
 * search and sort, and the change journal reads IMAP sync needs. Part of the
 * storage interface (interface.ts re-exports it); the conventions there
 * (atomicity, typed errors, post-commit announcements) apply to every method.
 */
import type { Readable } from 'node:stream';
import type { ParsedMessage } from '../mime/types.js';
import type { StagedBlob } from './interface.js';
import type { MessageQuery, SortSpec, UidRanges } from './query.js';
import type { RecordFields, SummaryColumns, SummaryFields } from './record-types.js';
import type { Id, MessageDetail, MessageRecord, MessageSummary, Page, PageQuery } from './types.js';

export interface NewMessage {
  blob: StagedBlob;
  parsed: ParsedMessage;
  /** Per-copy bytes in front of the body (Delivered-To, Return-Path); CRLF-terminated header lines. */
  prefix?: Buffer;
  /**
   * The body's root header block, when the caller captured it while spooling
   * (spoolMessage `captureHeader`): saves reading it back from the staged file.
   * Ignored unless it is the whole block.
   */
  header?: Buffer;
  /** Flags and keywords; \Recent is never stored. */
  flags?: string[];
  internalDate?: Date;
  /** Explicit expiry; default: mailbox retention, else the user's retention, else none. */
  expires?: Date | null;
  /** Store even when it takes the user over quota (used by restore and admin uploads when asked). */
  ignoreQuota?: boolean;
}

export interface AppendResult {
  id: number;
  mailboxId: Id;
  uid: number;
  modseq: number;
  uidValidity: number;
  size: number;
}

export interface FlagChange {
  /** FLAGS (replace), +FLAGS (add) or -FLAGS (remove). */
  mode: 'set' | 'add' | 'remove';
  flags: string[];
  /** CONDSTORE UNCHANGEDSINCE (RFC 7162 §3.1.3): messages with a greater modseq are left alone and reported. */
  unchangedSince?: number;
  /** Whether to list the messages that already had the flags in `unchanged` (default true; STORE .SILENT reports none). */
  listUnchanged?: boolean;
}

export interface FlagChangeResult {
  /** The modseq assigned to this change (shared by every message it changed); unchanged highest modseq when nothing changed. */
  modseq: number;
  /**
   * The mailbox's highest modseq just before this change. A caller that had
   * seen everything up to it knows, when the change succeeds, that nothing
   * else happened in between (RFC 7162 sessions then need not re-read it).
   */
  previousModseq: number;
  changed: Array<{ uid: number; modseq: number; flags: string[] }>;
  /** Matched but already had the requested flags (empty when `listUnchanged` was false). */
  unchanged: Array<{ uid: number; modseq: number; flags: string[] }>;
  /** Failed the UNCHANGEDSINCE test (the MODIFIED response code). */
  conflicts: number[];
}

export interface ExpungeResult {
  /** Expunged UIDs, ascending. */
  uids: number[];
  modseq: number;
}

export interface CopyResult {
  uidValidity: number;
  /** Source UIDs and the UIDs their copies got, both ascending (COPYUID, RFC 4315). */
  sourceUids: number[];
  destinationUids: number[];
  modseq: number;
}

export interface ThreadFacts {
  uid: number;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Decoded subject. */
  subject: string;
  /** Date header (ms), or null. */
  sentDate: number | null;
  internalDate: number;
}

export interface ChangesSince {
  highestModseq: number;
  /** Messages (still present) whose modseq > since, ascending by uid. */
  changed: Array<{ uid: number; modseq: number; flags: string[] }>;
  /** Expunged UIDs with modseq > since, ascending. Complete only when `complete` is true. */
  expunged: number[];
  /** False when the journal was pruned past `since` (the caller must fall back to a full resync). */
  complete: boolean;
}

export interface MessageStore {
  /**
   * Stores a message. Atomic: quota is checked and charged, the blob is
   * moved into place (if this is its first reference) and referenced, the
   * UID (UIDNEXT) and MODSEQ are assigned, the full-text index, thread and
   * journal are written, all in one transaction; durable when it resolves.
   * The staged blob stays usable for further appends (one body, many recipients).
   * @throws NotFoundError('mailbox'), OverQuotaError
   */
  append(mailboxId: Id, message: NewMessage): Promise<AppendResult>;
  /**
   * Stores several messages in one mailbox, all or none (IMAP MULTIAPPEND,
   * RFC 3502): one transaction, consecutive UIDs in the given order; if any
   * fails (quota, mailbox gone) nothing is stored and nothing is announced.
   * @throws NotFoundError('mailbox'), OverQuotaError
   */
  appendAll(mailboxId: Id, messages: readonly NewMessage[]): Promise<AppendResult[]>;
  /** Every UID in the mailbox, ascending (the session's sequence map). */
  uids(mailboxId: Id): Promise<Uint32Array>;
  /** Summaries in UID order: those in `ranges` (all when omitted) with uid > afterUid, at most `limit` (page with afterUid). */
  list(mailboxId: Id, options: { ranges?: UidRanges; afterUid?: number; limit: number }): Promise<MessageSummary[]>;
  /**
   * The summaries of the messages in `ranges` as columns (uids and flags
   * always; modseq, internal date, size and renditions when asked for),
   * ascending by UID. One read: every column describes the same snapshot.
   */
  summaryColumns(mailboxId: Id, ranges: UidRanges, fields?: SummaryFields): Promise<SummaryColumns>;
  /**
   * Full records for these UIDs (missing ones are skipped), in UID order. Batch ≤ 1000.
   * `fields` leaves out heavy parts nobody will read (FETCH of BODYSTRUCTURE needs no header
   * block); reading a left-out part of the record throws.
   */
  getRecords(mailboxId: Id, uids: readonly number[], fields?: RecordFields): Promise<MessageRecord[]>;
  /** Record plus decoded facts. Null when absent. */
  getDetail(mailboxId: Id, uid: number): Promise<MessageDetail | null>;
  /**
   * The message bytes [start, end) as stored, byte-exact: prefix followed by
   * the blob. @throws NotFoundError('blob') if the blob is gone (never for a committed row).
   */
  open(record: Pick<MessageRecord, 'blob' | 'prefix' | 'size'>, start?: number, end?: number): Readable;
  /** As open(), into memory; for header-sized ranges. */
  read(record: Pick<MessageRecord, 'blob' | 'prefix' | 'size'>, start?: number, end?: number): Promise<Buffer>;
  /**
   * Changes flags of the messages in `ranges`. Atomic; every changed message
   * gets the same new modseq; a flags journal entry per changed message.
   * @throws NotFoundError('mailbox')
   */
  updateFlags(mailboxId: Id, ranges: UidRanges, change: FlagChange): Promise<FlagChangeResult>;
  /**
   * Expunges messages into the archive: those in `ranges` (all when omitted)
   * and, when onlyDeleted, only those flagged \Deleted. Atomic; quota released.
   */
  expunge(mailboxId: Id, options: { ranges?: UidRanges; onlyDeleted: boolean }): Promise<ExpungeResult>;
  /**
   * Copies messages to another mailbox of the same user with new UIDs, flags
   * and internal dates kept (bodies shared). Atomic; quota checked.
   * @throws NotFoundError('mailbox'), OverQuotaError
   */
  copy(sourceMailboxId: Id, ranges: UidRanges, targetMailboxId: Id): Promise<CopyResult>;
  /**
   * Moves messages (RFC 6851): copies then removes from the source (not into
   * the archive), atomically. Quota unchanged. @throws NotFoundError('mailbox')
   */
  move(sourceMailboxId: Id, ranges: UidRanges, targetMailboxId: Id): Promise<CopyResult & { expungeModseq: number }>;
  /** UIDs matching the query, ascending. */
  search(mailboxId: Id, query: MessageQuery): Promise<number[]>;
  /** UIDs matching the query, in the requested order (RFC 5256 SORT). */
  sort(mailboxId: Id, query: MessageQuery, sort: SortSpec[]): Promise<number[]>;
  /** What THREAD needs for each message matching the query, in UID order (RFC 5256 §2.2). */
  threadFacts(mailboxId: Id, query: MessageQuery): Promise<ThreadFacts[]>;
  /**
   * Across the user's mailboxes (or one): paged summaries with their mailbox,
   * newest first. For the API's search and listing.
   */
  searchUser(
    userId: Id,
    query: MessageQuery,
    options: PageQuery & { mailboxId?: Id; order?: 'asc' | 'desc' },
  ): Promise<Page<MessageRecord>>;
  /** What changed since `modseq` (CONDSTORE/QRESYNC resync and session catch-up). */
  changesSince(mailboxId: Id, modseq: number, options?: { ranges?: UidRanges }): Promise<ChangesSince>;
  /** Sets or clears the retention expiry of messages. Atomic. */
  setExpiry(mailboxId: Id, ranges: UidRanges, expires: Date | null): Promise<number>;
}
