import type { Envelope, MessageFacts, MimePart } from '../mime/types.js';

/** Opaque ids: 24 lowercase hex characters (the shape WildDuck clients validate). */
export type Id = string;

export type SpecialUse = '\\Inbox' | '\\Drafts' | '\\Sent' | '\\Junk' | '\\Trash' | '\\Archive' | '\\Flagged' | '\\All';

/** System flags as IMAP spells them; anything else in a flag list is a keyword. */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
export type SystemFlag = (typeof SYSTEM_FLAGS)[number];

export interface Page<T> {
  results: T[];
  total: number;
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
  /** Opaque cursor for the previous page, or null at the start. */
  previous: string | null;
}

export interface PageQuery {
  /** 1..250, default 20. */
  limit?: number;
  next?: string;
  previous?: string;
}

/** Per-user settings kept as one document; fields are optional so new ones need no migration. */
export interface UserSettings {
  language?: string;
  /** Spam score threshold 0..100 (WildDuck's spamLevel): 0 treats everything flagged as spam... see filters. */
  spamLevel?: number;
  /** Default retention for messages, ms; 0 keeps forever. */
  retention?: number;
  /** Forward every delivered message to these targets (addresses or URLs). */
  forwards?: string[];
  /** Forwarded messages allowed per day. */
  forwardLimit?: number;
  /** Messages a user may receive per window (0: unlimited). */
  receivedMax?: number;
  pubKey?: string;
  encryptMessages?: boolean;
  encryptForwarded?: boolean;
  /** Max recipients per day when sending through the (future) submission server. */
  recipients?: number;
  imapMaxConnections?: number;
  /** Protocol scopes disabled for this user: 'imap' | 'pop3' | 'smtp'. */
  disabledScopes?: string[];
  metaData?: Record<string, unknown>;
  internalData?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface User {
  id: Id;
  /** Login name, lowercase, unique. */
  username: string;
  /** Display name. */
  name: string;
  /** Main address, or null. */
  address: string | null;
  /** Storage quota in bytes; 0 = unlimited. */
  quota: number;
  /** Bytes used by messages in mailboxes (not the archive). */
  storageUsed: number;
  disabled: boolean;
  suspended: boolean;
  tags: string[];
  /** Whether a password is set (false: login with the master password is impossible). */
  hasPassword: boolean;
  requirePasswordChange: boolean;
  settings: UserSettings;
  created: Date;
}

export interface NewUser {
  username: string;
  /** argon2id PHC string, or null for "no password". */
  passwordHash: string | null;
  name?: string;
  /** Main address; normalised by the store (lowercase domain, IDN → unicode). */
  address?: string;
  quota?: number;
  tags?: string[];
  requirePasswordChange?: boolean;
  settings?: UserSettings;
  /** Skip creating INBOX, Drafts, Sent, Junk, Trash, Archive (never used by the CLI or API). */
  noDefaultMailboxes?: boolean;
}

export interface UserPatch {
  name?: string;
  quota?: number;
  disabled?: boolean;
  suspended?: boolean;
  tags?: string[];
  requirePasswordChange?: boolean;
  /** Shallow-merged into settings; a key set to undefined... is removed. */
  settings?: Partial<UserSettings>;
}

export interface UserQuery extends PageQuery {
  /** Substring of username or address. */
  query?: string;
  /** Any of these tags. */
  tags?: string[];
  /** All of these tags. */
  requiredTags?: string[];
}

export interface Address {
  id: Id;
  userId: Id;
  /** Normalised address (local part as given, domain lowercase unicode). */
  address: string;
  main: boolean;
  created: Date;
}

export interface Mailbox {
  id: Id;
  userId: Id;
  /** Full path with '/' as separator, UTF-8 (IMAP encodes to modified UTF-7 on the wire). "INBOX" for the inbox. */
  path: string;
  specialUse: SpecialUse | null;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  subscribed: boolean;
  /** Retention for messages stored here, ms; 0 = keep. */
  retention: number;
  created: Date;
}

export interface MailboxCounters {
  messages: number;
  unseen: number;
  /** Sum of message sizes, bytes. */
  size: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: number;
  /** Messages whose UID is at or above the mailbox's recent mark (not yet claimed by a session). */
  recent: number;
}

/** The per-message row without the heavy MIME data; what listing and sync need. */
export interface MessageSummary {
  /** Store-wide numeric id of this copy (stable until expunged). */
  id: number;
  mailboxId: Id;
  uid: number;
  modseq: number;
  /** System flags (e.g. "\\Seen") and keywords, system flags first. */
  flags: string[];
  internalDate: Date;
  /**
   * When this copy was stored in its mailbox (RFC 8514 save date: APPEND,
   * delivery, COPY, MOVE, restore); the internal date for copies stored
   * before the save date was kept.
   */
  savedDate: Date;
  /** RFC822.SIZE: prefix + blob. */
  size: number;
  threadId: Id;
  /** Expiry (retention) time, or null. */
  expires: Date | null;
}

/**
 * Everything needed to answer FETCH without touching the blob (except body
 * sections). The heavy parts (blob, header, envelope, mime) and the
 * overview fields (subject ... sentDate) may be left out by `getRecords`
 * fields; reading one that was left out throws.
 */
export interface MessageRecord extends MessageSummary {
  /** sha256 hex of the shared body blob. */
  blob: string;
  /** Bytes stored per message in front of the blob (e.g. Delivered-To, Return-Path); empty when none. */
  prefix: Buffer;
  /** Root header block of the blob (including the blank line), for header fetches and header search. */
  header: Buffer;
  /**
   * Length of the blob's root header block, blank line included (= mime.bodyStart), even when
   * `header` was stored truncated: top-level sections need no MIME tree. Loaded with any of blob,
   * header, envelope, mime or the overview.
   */
  headerLength: number;
  envelope: Envelope;
  /** MIME tree with offsets relative to the blob (add prefix.length for message offsets). */
  mime: MimePart;
  subject: string;
  from: string;
  preview: string;
  hasAttachments: boolean;
  /** Message-ID header value, or null. */
  messageId: string | null;
  /** Date header, or null. */
  sentDate: Date | null;
  /**
   * The stored rendition of this name (see Renderer in interface.ts): its
   * bytes, as a string when they are 7-bit (the usual case) and as a Buffer
   * otherwise. Null when it was not asked for or this body has none (stored
   * before the renderer existed): the reader then renders from `envelope`/`mime`.
   */
  rendition(name: string): string | Buffer | null;
}

/** Decoded facts kept per message for the API (list and detail views). */
export interface MessageDetail extends MessageRecord {
  facts: MessageFacts;
}

export interface ArchivedMessage {
  id: Id;
  userId: Id;
  /** Mailbox it was expunged from (may no longer exist). */
  mailboxId: Id;
  mailboxPath: string;
  uid: number;
  flags: string[];
  internalDate: Date;
  archived: Date;
  size: number;
  subject: string;
  from: string;
  preview: string;
}

export type JournalKind =
  | 'exists'
  | 'expunge'
  | 'flags'
  | 'mailbox-create'
  | 'mailbox-rename'
  | 'mailbox-delete'
  | 'mailbox-update';

/** One committed change. `id` is store-wide increasing: the SSE event id. */
export interface JournalEntry {
  id: number;
  userId: Id;
  mailboxId: Id;
  kind: JournalKind;
  /** For message events. */
  uid: number | null;
  /** The mailbox modseq at which the change happened (message events). */
  modseq: number | null;
  /** Flags after the change (flags events). */
  flags: string[] | null;
  /** Path (mailbox events; for rename: the new path). */
  path: string | null;
  created: Date;
}

/**
 * A change as broadcast after commit. Small by design: listeners re-read
 * what they need from storage (or the journal) rather than trusting the event.
 */
export interface ChangeEvent {
  userId: Id;
  mailboxId: Id;
  kind: JournalKind | 'logout';
  uid?: number;
  modseq?: number;
  /** The journal id of this change (absent for events that are not journalled, like logout). */
  journalId?: number;
}
