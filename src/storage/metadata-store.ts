/**
 * Annotations on a mailbox or on the server as a whole (IMAP METADATA,
 * RFC 5464): entry names such as `/private/comment` or `/shared/vendor/x`,
 * octet-string values. "Server" entries belong to the user too (one
 * account per login here; `/shared` is not shared with other users).
 */
import type { Id } from './types.js';

export interface MetadataEntry {
  /** Lower-cased entry name, `/private/...` or `/shared/...`. */
  readonly name: string;
  readonly value: Buffer;
}

export interface MetadataLimits {
  /** Most entries per mailbox (or server), counted after a set. */
  readonly maxEntries: number;
  /** Largest value in octets. */
  readonly maxValueSize: number;
}

export interface MetadataStore {
  /**
   * Entries of a mailbox (`mailboxId`) or of the server (null) named in
   * `names`; with `depth` 1 also their direct children, with "infinity" all
   * descendants (RFC 5464 §4.2.2). Sorted by name. A read; no errors for
   * names that have no value.
   * @throws NotFoundError('mailbox') when the mailbox is not the user's
   */
  get(userId: Id, mailboxId: Id | null, names: readonly string[], depth: 0 | 1 | 'infinity'): Promise<MetadataEntry[]>;
  /**
   * Sets (value) or removes (null) entries, all or none, in one transaction.
   * @throws NotFoundError('mailbox'), MetadataLimitError when the result would pass `limits`
   */
  set(
    userId: Id,
    mailboxId: Id | null,
    entries: ReadonlyArray<{ name: string; value: Buffer | null }>,
    limits: MetadataLimits,
  ): Promise<void>;
}
