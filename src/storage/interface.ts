/**
 * The storage interface. Every protocol server, the delivery pipeline and the
 * admin API reach data only through these methods; nothing outside
 * src/storage touches SQL or the blob directory.
 *
 * Conventions for every method:
 * - Asynchronous, so engines that talk to a network (MongoDB) fit the same shape.
 * - "Atomic" means all of the method's writes commit together or none do,
 *   and concurrent callers in any process see either the before or the after.
 * - Errors are the typed classes of ./errors.ts; anything else is a bug or an
 *   I/O failure and is surfaced as is.
 * - Every committed change that a session or live-update stream must hear of
 *   is journalled and passed to the engine's `onChange` hook after commit.
 */
import type { Readable } from 'node:stream';
import type { MetadataStore } from './metadata-store.js';
import type { AutoreplyStore, FilterStore, OutboxStore } from './delivery-stores.js';
import type { AspStore, AuthLogStore, TwoFactorStore } from './security-stores.js';

export type { RecordFields, Renderer, SummaryColumns, SummaryFields } from './record-types.js';
export type * from './message-store.js';
import type { AppendResult, MessageStore } from './message-store.js';
import type {
  Address,
  ArchivedMessage,
  Id,
  JournalEntry,
  Mailbox,
  MailboxCounters,
  NewUser,
  Page,
  PageQuery,
  SpecialUse,
  User,
  UserPatch,
  UserQuery,
} from './types.js';

// ---------------------------------------------------------------- accounts

export interface AccountStore {
  /**
   * Creates the user, its main address (when given) and, unless told not to,
   * INBOX, Drafts, Sent, Junk, Trash and Archive with their special-use
   * attributes. Atomic.
   * @throws AlreadyExistsError('user') when the username is taken,
   *         AlreadyExistsError('address') when the address belongs to anyone,
   *         InvalidError for a malformed username or address.
   */
  createUser(user: NewUser): Promise<User>;
  /** Null when absent. */
  getUser(id: Id): Promise<User | null>;
  /** Exact (case-insensitive) username match; null when absent. */
  getUserByUsername(username: string): Promise<User | null>;
  /**
   * The user a login name refers to: a username, or any of a user's
   * addresses (main or alias; case-insensitive, IDN-normalised). Null when none.
   */
  findUserForLogin(name: string): Promise<User | null>;
  /** Paged, ordered by username. */
  listUsers(query: UserQuery): Promise<Page<User>>;
  /** Atomic. @throws NotFoundError('user') */
  updateUser(id: Id, patch: UserPatch): Promise<User>;
  /** Replaces the password hash (null removes the password). Atomic. @throws NotFoundError('user') */
  setPasswordHash(id: Id, hash: string | null, requireChange: boolean): Promise<void>;
  /** The stored argon2id PHC string, or null. @throws NotFoundError('user') */
  getPasswordHash(id: Id): Promise<string | null>;
  /**
   * Removes the user and everything it owns: addresses, mailboxes, messages,
   * archive, filters, and the blob references those held. Atomic (blob files
   * are collected later by maintenance). @throws NotFoundError('user')
   */
  deleteUser(id: Id): Promise<void>;

  /**
   * Adds an address (alias). `main: true` makes it the main address. Atomic.
   * @throws NotFoundError('user'), AlreadyExistsError('address'), InvalidError('address')
   */
  addAddress(userId: Id, address: string, options?: { main?: boolean }): Promise<Address>;
  listAddresses(userId: Id): Promise<Address[]>;
  /** Every address of every user, filtered by substring, paged by address. */
  listAllAddresses(query: PageQuery & { query?: string }): Promise<Page<Address>>;
  getAddress(userId: Id, id: Id): Promise<Address | null>;
  /**
   * Resolves an address to its owner: exact match after normalisation; the
   * caller handles plus-addressing and local-part policies. Null when none.
   */
  resolveAddress(address: string): Promise<Address | null>;
  /** Makes this the main address (the user's `address` follows). Atomic. @throws NotFoundError('address') */
  setMainAddress(userId: Id, id: Id): Promise<Address>;
  /** Changes the address text. Atomic. @throws NotFoundError, AlreadyExistsError, InvalidError */
  renameAddress(userId: Id, id: Id, address: string): Promise<Address>;
  /** @throws NotFoundError('address'), CannotError when it is the main address */
  deleteAddress(userId: Id, id: Id): Promise<void>;
}

// ---------------------------------------------------------------- mailboxes

export interface NewMailboxOptions {
  specialUse?: SpecialUse | null;
  /** ms; 0 keeps forever. */
  retention?: number;
  subscribed?: boolean;
}

export interface MailboxStore {
  /** Every mailbox of the user, ordered by path. */
  listMailboxes(userId: Id): Promise<Mailbox[]>;
  /** Path lookup; "INBOX" matches case-insensitively (RFC 3501 §5.1), other paths exactly. Null when absent. */
  getMailbox(userId: Id, path: string): Promise<Mailbox | null>;
  getMailboxById(userId: Id, id: Id): Promise<Mailbox | null>;
  /** The user's mailbox with this special use, or null. */
  getSpecialMailbox(userId: Id, specialUse: SpecialUse): Promise<Mailbox | null>;
  /**
   * Creates the mailbox and any missing parents (RFC 3501 §6.3.3 allows it;
   * clients expect it). A new UIDVALIDITY is chosen. Atomic.
   * @throws AlreadyExistsError('mailbox'), InvalidError('path') for empty
   *         segments, NUL, or paths over 1024 bytes; NotFoundError('user')
   */
  createMailbox(userId: Id, path: string, options?: NewMailboxOptions): Promise<Mailbox>;
  /**
   * Renames the mailbox and every mailbox below it, keeping their ids,
   * UIDVALIDITY and messages; missing parents of the new path are created.
   * Renaming INBOX (RFC 3501 §6.3.5) instead creates the new mailbox and moves
   * INBOX's messages into it, leaving INBOX empty. Atomic.
   * @throws NotFoundError('mailbox'), AlreadyExistsError('mailbox'), InvalidError('path'),
   *         CannotError when renaming a mailbox into its own subtree
   */
  renameMailbox(userId: Id, id: Id, newPath: string): Promise<Mailbox>;
  /**
   * Deletes one mailbox (children stay). Its messages are expunged into the
   * archive. Atomic. @throws NotFoundError('mailbox'), CannotError for INBOX
   */
  deleteMailbox(userId: Id, id: Id): Promise<void>;
  /** Atomic. @throws NotFoundError('mailbox'), AlreadyExistsError when another mailbox has that special use */
  updateMailbox(
    userId: Id,
    id: Id,
    patch: { subscribed?: boolean; retention?: number; specialUse?: SpecialUse | null },
  ): Promise<Mailbox>;
  /** Live counters (messages, unseen, size, uidNext, ...). @throws NotFoundError('mailbox') */
  counters(mailboxId: Id): Promise<MailboxCounters>;
  /** UID of the lowest message without \Seen, or null (SELECT's [UNSEEN], RFC 3501 §7.1). @throws NotFoundError('mailbox') */
  firstUnseen(mailboxId: Id): Promise<number | null>;
  /**
   * Claims \Recent for a selecting session (RFC 3501 §2.3.2): returns the
   * UIDs >= the mailbox's recent mark and moves the mark to UIDNEXT, so no
   * other session sees them as recent. Atomic. @throws NotFoundError('mailbox')
   */
  claimRecent(mailboxId: Id): Promise<{ firstUid: number; uidNext: number }>;
}

// ---------------------------------------------------------------- blobs

/** A message body written to disk (fsynced) but not yet referenced by any row. */
export interface StagedBlob {
  /** sha256 hex of the content. */
  readonly hash: string;
  readonly size: number;
}

export interface BlobStore {
  /**
   * Streams `input` to a temporary file while hashing it, fsyncs it, and
   * returns a handle. `onChunk` sees every chunk (the MIME scanner rides
   * along). Nothing is visible to readers until a message row references it.
   * Throws (and leaves nothing behind) when `input` errors or exceeds maxSize.
   */
  stage(input: AsyncIterable<Buffer> | Iterable<Buffer> | Readable, options?: { maxSize?: number; onChunk?: (chunk: Buffer) => void }): Promise<StagedBlob>;
  /** Releases a staged blob's temporary file (always call when done; a no-op if already released). */
  release(staged: StagedBlob): Promise<void>;
  /** Reads bytes [start, end) of a stored blob as a stream. @throws NotFoundError('blob') */
  open(hash: string, start?: number, end?: number): Readable;
  /** Reads bytes [start, end) of a stored blob into memory (small ranges only). @throws NotFoundError('blob') */
  read(hash: string, start?: number, end?: number): Promise<Buffer>;
  /**
   * Reads bytes [start, end) of a staged blob into memory, from its temporary
   * file or, once promoted, from the stored copy (delivery-time rewrites such
   * as encryption to the user's key). @throws NotFoundError('blob')
   */
  readStaged(staged: StagedBlob, start?: number, end?: number): Promise<Buffer>;
  /** Whether the file for `hash` exists. */
  exists(hash: string): Promise<boolean>;
  /** Current reference count (0 when unknown). */
  refCount(hash: string): Promise<number>;
}

// ---------------------------------------------------------------- journal

export interface JournalStore {
  /** The user's journal entries with id > afterId, ascending, at most limit (live updates, SSE resumption). */
  since(userId: Id, afterId: number, limit: number): Promise<JournalEntry[]>;
  /** The newest journal id of the user (0 when none). */
  latestId(userId: Id): Promise<number>;
}

// ---------------------------------------------------------------- quota

export interface QuotaStore {
  /** Bytes used and the quota (0 = unlimited). @throws NotFoundError('user') */
  usage(userId: Id): Promise<{ used: number; quota: number }>;
  /**
   * Recomputes bytes used from the stored messages and writes it back.
   * Atomic with respect to concurrent appends. Returns the new value.
   */
  recalculate(userId: Id): Promise<number>;
}

// ---------------------------------------------------------------- archive

export interface ArchiveStore {
  /** Newest first. */
  list(userId: Id, query: PageQuery): Promise<Page<ArchivedMessage>>;
  get(userId: Id, id: Id): Promise<ArchivedMessage | null>;
  /**
   * Restores an archived message into `targetMailboxId` (default: the mailbox
   * it came from, else INBOX) with a new UID, and removes it from the archive.
   * Atomic. @throws NotFoundError('archived'), OverQuotaError
   */
  restore(userId: Id, id: Id, targetMailboxId?: Id): Promise<AppendResult>;
}

// ---------------------------------------------------------------- coordination

/** Cross-process coordination that works on the embedded engine (no Redis needed). */
export interface CoordinationStore {
  /**
   * Takes or renews the named lease for `owner` for ttlMs. True when owned
   * by `owner` afterwards; false when someone else holds an unexpired lease.
   */
  acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases the lease if `owner` holds it. */
  releaseLease(key: string, owner: string): Promise<void>;
  /**
   * Adds `by` to a counter in a fixed window of windowMs starting at the
   * first increment; returns the count after adding. Atomic.
   */
  increment(key: string, windowMs: number, by?: number): Promise<number>;
  /** The counter's value in its current window (0 when none or expired). */
  counter(key: string): Promise<number>;
  /** Removes a counter. */
  resetCounter(key: string): Promise<void>;
}

// ---------------------------------------------------------------- maintenance

export interface MaintenanceReport {
  archivePurged: number;
  retentionExpunged: number;
  journalPruned: number;
  blobsDeleted: number;
  stagedCleaned: number;
  authLogPruned: number;
  /** Renditions rendered for bodies stored before their renderer existed. */
  renditionsBackfilled: number;
}

export interface MaintenanceStore {
  /**
   * Purges archive entries past retention, expunges messages past their
   * expiry, prunes the journal, deletes unreferenced blobs and stale staging
   * files, and renders missing renditions of older bodies (a bounded number
   * per run). Safe to run from several processes at once.
   */
  run(now?: Date): Promise<MaintenanceReport>;
}

// ---------------------------------------------------------------- the store

export interface Store {
  readonly accounts: AccountStore;
  readonly mailboxes: MailboxStore;
  readonly messages: MessageStore;
  readonly blobs: BlobStore;
  readonly journal: JournalStore;
  readonly quota: QuotaStore;
  readonly archive: ArchiveStore;
  readonly coordination: CoordinationStore;
  readonly maintenance: MaintenanceStore;
  readonly filters: FilterStore;
  readonly autoreplies: AutoreplyStore;
  readonly asps: AspStore;
  readonly twoFactor: TwoFactorStore;
  readonly authLog: AuthLogStore;
  readonly outbox: OutboxStore;
  readonly metadata: MetadataStore;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  /** Waits for in-flight writes, then closes. Further calls throw UnavailableError. */
  close(): Promise<void>;
}
