/**
 * The storage-level message query that IMAP SEARCH and the API's search both
 * compile to. Sequence numbers, \Recent and saved results are session
 * concepts: the IMAP layer turns them into UID ranges before asking storage.
 */

/** Inclusive UID ranges, ascending, non-overlapping is not required. */
export type UidRanges = ReadonlyArray<readonly [number, number]>;

export type MessageQuery =
  | { op: 'all' }
  | { op: 'none' }
  | { op: 'and'; of: MessageQuery[] }
  | { op: 'or'; of: MessageQuery[] }
  | { op: 'not'; of: MessageQuery }
  | { op: 'uid'; ranges: UidRanges }
  /** A system flag ("\\Seen") or keyword, present or absent. Keywords compare case-insensitively (RFC 3501 flags are case-insensitive). */
  | { op: 'flag'; flag: string; present: boolean }
  /** INTERNALDATE in [gte, lt) (ms since epoch; either bound optional). */
  | { op: 'internalDate'; gte?: number; lt?: number }
  /** The save date (MessageRecord.savedDate), in ms. */
  | { op: 'savedDate'; gte?: number; lt?: number }
  /** Date: header in [gte, lt); messages without a parseable Date never match. */
  | { op: 'sentDate'; gte?: number; lt?: number }
  /** RFC822.SIZE strictly greater than gt / strictly less than lt. */
  | { op: 'size'; gt?: number; lt?: number }
  /**
   * Header field contains value (case-insensitive substring of the unfolded,
   * RFC 2047-decoded value). Empty value: the field is present (RFC 3501).
   */
  | { op: 'header'; field: string; value: string }
  /** Case-insensitive substring of the decoded body text. */
  | { op: 'body'; value: string }
  /** Case-insensitive substring of headers or decoded body text. */
  | { op: 'text'; value: string }
  /** MODSEQ >= value (RFC 7162 §3.1.5). */
  | { op: 'modseq'; gte: number }
  /** Message has attachments (API). */
  | { op: 'hasAttachments'; value: boolean }
  /** Thread id (API). */
  | { op: 'thread'; id: string }
  /** Messages whose body is the blob with this content hash (IMAP EMAILID, RFC 8474). */
  | { op: 'blob'; hash: string };

/** Sort keys for SORT (RFC 5256) and API listings. */
/**
 * RFC 5256 §3 keys (from/to/cc: the first address's mailbox; subject: the base
 * subject) plus RFC 5957 display keys (the first address's display name, else
 * its address). String keys compare with i;ascii-casemap.
 */
export type SortKey = 'uid' | 'arrival' | 'date' | 'size' | 'subject' | 'from' | 'to' | 'cc' | 'displayfrom' | 'displayto';
export interface SortSpec {
  key: SortKey;
  reverse?: boolean;
}
