import type { Readable } from 'node:stream';
import type { Autoreply, AutoreplyInput, Filter, FilterPatch, NewFilter } from '../filters/types.js';
import type { ParsedMessage } from '../mime/types.js';
import type { StagedBlob } from './interface.js';
import type { Id } from './types.js';

/** Per-user filters, evaluated by the delivery pipeline in creation order. */
export interface FilterStore {
  /** In creation order. */
  list(userId: Id): Promise<Filter[]>;
  get(userId: Id, id: Id): Promise<Filter | null>;
  /** @throws NotFoundError('user') */
  create(userId: Id, filter: NewFilter): Promise<Filter>;
  /** Atomic. @throws NotFoundError('filter') */
  update(userId: Id, id: Id, patch: FilterPatch): Promise<Filter>;
  /** @throws NotFoundError('filter') */
  delete(userId: Id, id: Id): Promise<void>;
}

export interface AutoreplyStore {
  /** Null when never configured. */
  get(userId: Id): Promise<Autoreply | null>;
  /** Creates or merges the settings. @throws NotFoundError('user') */
  set(userId: Id, input: AutoreplyInput): Promise<Autoreply>;
  delete(userId: Id): Promise<void>;
  /**
   * Atomic check-and-record for RFC 3834 §2 rate limiting: true (and the
   * send is recorded) when no autoreply went to `sender` within intervalMs.
   */
  claimReply(userId: Id, sender: string, intervalMs: number): Promise<boolean>;
}

// ---------------------------------------------------------------- outbox

export type OutboxKind = 'autoreply' | 'forward';
/** How an entry leaves: SMTP through the relay, or an HTTP POST of the raw message. */
export type OutboxTransport = 'smtp' | 'http';
export type OutboxStatus = 'queued' | 'sent' | 'failed';

export interface NewOutboxMessage {
  kind: OutboxKind;
  /** The user it is sent for (logs, listings); null for system mail. */
  userId: Id | null;
  /** Envelope sender; '' is the null sender <>. */
  from: string;
  /** SMTP envelope recipients; empty when `url` is set. */
  to: string[];
  /** http(s) URL the raw message is POSTed to instead (transport 'http'). */
  url?: string | null;
  /** The message, for small ones built in memory (autoreplies). */
  raw?: Buffer;
  /** Or a body staged by spoolMessage plus per-copy bytes in front: forwards share the delivered body. */
  body?: { blob: StagedBlob; parsed: ParsedMessage; prefix?: Buffer };
  /**
   * Idempotency key: enqueueing a key that is already queued, or was sent
   * within the retention of sent entries, returns that entry instead (an MTA
   * retrying a delivery must not forward twice).
   */
  key?: string;
}

export interface OutboxEntry {
  id: Id;
  kind: OutboxKind;
  transport: OutboxTransport;
  userId: Id | null;
  from: string;
  to: string[];
  url: string | null;
  /** Bytes of the message. */
  size: number;
  /** failed: given up after a permanent refusal (kept for inspection, never silently dropped). */
  status: OutboxStatus;
  attempts: number;
  nextAttempt: Date;
  lastError: string | null;
  created: Date;
  sent: Date | null;
}

/**
 * The durable outbox: outbound mail (autoreplies, forwards) waits here until
 * a relay takes it, so nothing is lost when no relay is configured or it is
 * down. Several processes may work it: claims are leases.
 */
export interface OutboxStore {
  /** Stores a message to send. Atomic; durable when it resolves. `created` false: the key existed. */
  enqueue(message: NewOutboxMessage): Promise<{ entry: OutboxEntry; created: boolean }>;
  /**
   * Claims up to `limit` queued entries that are due and not leased by
   * anyone else, for `owner`, for leaseMs; oldest due first. Atomic.
   */
  claimDue(owner: string, options: { limit: number; leaseMs: number; transports: OutboxTransport[]; now?: Date }): Promise<OutboxEntry[]>;
  /** The message bytes. @throws NotFoundError('object') */
  open(id: Id): Promise<Readable>;
  /** Marks it sent (kept for the idempotency key until purged) and drops its body reference. Atomic. */
  markSent(id: Id): Promise<void>;
  /** Records a failed attempt: attempts + 1, the error, the next attempt time; the lease ends. Atomic. */
  reschedule(id: Id, nextAttempt: Date, error: string): Promise<void>;
  /** Gives up after a permanent refusal: status failed, the error kept, the body reference dropped. Atomic. */
  fail(id: Id, error: string): Promise<void>;
  get(id: Id): Promise<OutboxEntry | null>;
  /** Oldest first. */
  list(query?: { status?: OutboxStatus; userId?: Id; limit?: number }): Promise<OutboxEntry[]>;
  /** Deletes sent entries older than `before`; returns how many. */
  purgeSent(before: Date): Promise<number>;
}
