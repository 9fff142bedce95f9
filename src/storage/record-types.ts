/**
 * The shapes of protocol-sized reads: which parts of a record to load,
 * renditions protocols store with each body, and summaries as columns.
 * Part of the storage interface (interface.ts re-exports them).
 */
import type { ParsedMessage } from '../mime/types.js';

/** Heavy parts of a MessageRecord, each loaded unless set to false. */
export interface RecordFields {
  /** The body's hash (`record.blob`): needed only to read the message bytes (open, read). */
  blob?: boolean;
  envelope?: boolean;
  mime?: boolean;
  header?: boolean;
  /** subject, from, preview, hasAttachments, messageId and sentDate (what listings show; protocol fetches rarely need them). */
  overview?: boolean;
  /** Renditions (see Renderer) to load; `record.rendition(name)` answers null for any other name. */
  renditions?: readonly string[];
}

/**
 * Protocol text derived from a message's parse (IMAP's BODYSTRUCTURE, say),
 * computed once, when the body is first stored, and kept with it: a protocol
 * registers its renderers when the store is opened (`openStore`), so storage
 * stays protocol-agnostic and a fetch reads finished bytes instead of
 * parsing the stored MIME tree and rendering it again for every read.
 *
 * Bodies stored before a renderer existed have no rendition under its name:
 * readers must fall back to rendering from the record (`envelope`, `mime`).
 */
export interface Renderer {
  /**
   * Stable and versioned by its owner ("imap.bodystructure.1"): output that
   * changes gets a new name, so text rendered by an older version is never
   * served (it is simply not found, and the reader renders afresh).
   */
  readonly name: string;
  render(parsed: Pick<ParsedMessage, 'root' | 'envelope'>): Buffer;
}

/** What summaryColumns reads besides UIDs and flags. */
export interface SummaryFields {
  modseq?: boolean;
  internalDate?: boolean;
  size?: boolean;
  /** Renditions (see Renderer) to read along: a client's header listing (ENVELOPE, BODYSTRUCTURE) with no record per message. */
  renditions?: readonly string[];
}

/**
 * Summary data of many messages as parallel arrays (index i is one message),
 * ascending by UID: the shape of a sync read such as `UID FETCH 1:* (FLAGS)`,
 * which costs no object per message.
 */
export interface SummaryColumns {
  readonly uids: Uint32Array;
  /**
   * Flags as in MessageSummary.flags. Messages with the same flags share one
   * frozen array, so a consumer may cache whatever it derives per array.
   */
  readonly flags: ReadonlyArray<readonly string[]>;
  /** Present when asked for in `fields`. */
  readonly modseqs: Float64Array | null;
  /** ms since the epoch; present when asked for. */
  readonly internalDates: Float64Array | null;
  /** RFC822.SIZE; present when asked for. */
  readonly sizes: Float64Array | null;
  /**
   * One column per name in `fields.renditions`, in that order: the stored
   * rendition as a 7-bit string or as bytes, null where the body has none
   * (stored before its renderer existed, or the renderer failed).
   */
  readonly renditions: ReadonlyArray<ReadonlyArray<string | Buffer | null>>;
}
