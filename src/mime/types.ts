/**
 * What the MIME scanner learns about a message in one streaming pass at
 * ingest time. Storage keeps this next to the blob so that IMAP FETCH of
 * ENVELOPE, BODYSTRUCTURE and any BODY[section] is served without reparsing.
 *
 * All byte offsets are relative to the start of the stored blob (the message
 * as delivered, without any per-recipient prefix such as Delivered-To).
 */

/** One address as IMAP's ENVELOPE wants it (RFC 3501 §7.4.2). */
export interface EnvelopeAddress {
  /** Display name exactly as in the header (RFC 2047 words left encoded), or null. */
  name: string | null;
  /** Obsolete source route as written ("@a.example,@b.example", RFC 5322 §4.4), almost always null. */
  adl: string | null;
  /**
   * Local part, or for group syntax (RFC 3501): the group name on the start
   * marker (host null) and null on the end marker (host null).
   */
  mailbox: string | null;
  /**
   * Domain, or null for group markers. Also null for an address written
   * without a domain ("To: john"), which an ENVELOPE consumer cannot tell
   * from a group start marker; "" (with mailbox "") for "<>".
   */
  host: string | null;
}

/** RFC 3501 ENVELOPE, with the defaulting rules applied (sender/reply-to fall back to from). */
export interface Envelope {
  date: string | null;
  /** Raw, unfolded Subject value (RFC 2047 words left encoded). */
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

export interface Disposition {
  /** As written, e.g. "attachment", "inline". */
  type: string;
  /** Same rules as MimePart.params. */
  params: Array<[string, string]>;
  /** Same rules as MimePart.rawParams. */
  rawParams?: Array<[string, string]>;
}

/**
 * One node of the MIME tree. `path` is the IMAP part specifier ("1", "1.2",
 * ...); the root of the message has path "" and, when it is not multipart,
 * is also reachable as part "1" (RFC 3501 §6.4.5).
 *
 * The root of an embedded message (`EmbeddedMessage.root`) carries the path
 * of the message/rfc822 part that holds it, exactly as the top-level root
 * carries "": its children are "<path>.1", "<path>.2", and when it is not
 * multipart it is reachable as "<path>.1". (For a message/rfc822 part that
 * is itself the non-multipart root of a message, that path is "1" or
 * "<path>.1", its IMAP part number.)
 */
export interface MimePart {
  path: string;
  /** Offset of the first header byte of this part. */
  headerStart: number;
  /** Offset of the first body byte (just after the blank line ending the header; == bodyEnd of header block). */
  bodyStart: number;
  /** Offset one past the last body byte (excluding the CRLF that precedes the next boundary). */
  bodyEnd: number;
  /** Media type and subtype as written, lowercased (defaults: text/plain, or message/rfc822 in multipart/digest). */
  type: string;
  subtype: string;
  /**
   * Content-Type parameters in header order, names lowercased, values
   * unquoted, RFC 2231 continuations joined and decoded to UTF-8 (one entry
   * per logical parameter; RFC 2047 words inside values are left alone).
   * Empty when there is no Content-Type: defaults such as charset=us-ascii
   * are for the IMAP layer to add.
   */
  params: Array<[string, string]>;
  /**
   * Every parameter as written: names lowercased, quotes removed, RFC 2231
   * sections ("name*0*") kept separate and undecoded. Always set by the
   * scanner; what RFC 3501 servers traditionally put in BODYSTRUCTURE.
   */
  rawParams?: Array<[string, string]>;
  /** Content-ID, raw. */
  id: string | null;
  /** Content-Description, raw. */
  description: string | null;
  /** Content-Transfer-Encoding, as written (uppercased); "7BIT" when absent. */
  encoding: string;
  /** Body size in octets (bodyEnd - bodyStart). */
  size: number;
  /**
   * Number of lines in the body, for text/*, message/rfc822 and
   * message/global parts, null otherwise: line breaks in the body plus one
   * when the body ends with a line that has no line break.
   */
  lines: number | null;
  /**
   * Line breaks in the body alone, for the same parts as `lines` (absent
   * otherwise, and in records stored before it existed): a last line without
   * a line break, such as the one before a boundary, is not counted. This is
   * the body-fld-lines Dovecot reports (RFC 3501 §7.4.2), which the IMAP layer
   * sends; `lines` stays the count applications expect.
   */
  lineBreaks?: number;
  /** Content-MD5, raw. */
  md5: string | null;
  disposition: Disposition | null;
  /** Content-Language values. */
  language: string[] | null;
  /** Content-Location, raw. */
  location: string | null;
  /**
   * Children of a multipart part: empty for a multipart with no parts found
   * (no boundary parameter, boundary never seen, nesting limit hit).
   */
  children?: MimePart[];
  /**
   * The embedded message of a message/rfc822 (or message/global) part.
   * Absent when the scanner did not descend into it: a transfer encoding
   * other than 7bit/8bit/binary, the nesting limit, or no body at all.
   */
  message?: EmbeddedMessage;
}

export interface EmbeddedMessage {
  envelope: Envelope;
  /** The embedded message's own root: its headerStart == the enclosing part's bodyStart. */
  root: MimePart;
}

export interface AddressFact {
  /** Decoded display name ("" when none). */
  name: string;
  /** Address as written, lowercased domain. "" for group markers is never emitted here. */
  address: string;
}

/**
 * A part a user would call an attachment (rules in facts.ts): disposition
 * "attachment"; a named part other than the first text body; any other
 * non-text leaf (images, application/*, ...) including inline images
 * referenced by Content-ID. Not listed: text bodies, signatures of
 * multipart/signed, the control part of multipart/encrypted, and anything
 * inside an attached message (the message/rfc822 part is listed instead).
 */
export interface AttachmentFact {
  /** IMAP part path, e.g. "2" or "1.3" ("1" when the whole message is the file). */
  part: string;
  /** Decoded filename (RFC 2231, and RFC 2047 words that mailers put in parameters), or null. */
  filename: string | null;
  /** "type/subtype", lowercased. */
  contentType: string;
  /** Disposition type, lowercased, or null when there is no Content-Disposition. */
  disposition: string | null;
  contentId: string | null;
  /** Encoded size in octets. */
  size: number;
  /** Content-Transfer-Encoding, uppercased. */
  encoding: string;
}

/**
 * Decoded facts for search, filters, the API list views and threading.
 * Everything a consumer needs without reopening the blob.
 */
export interface MessageFacts {
  /** Decoded Subject (RFC 2047), "" when absent. */
  subject: string;
  /** Address fields as written: no RFC 3501 defaulting of sender/replyTo here. */
  from: AddressFact[];
  sender: AddressFact[];
  replyTo: AddressFact[];
  to: AddressFact[];
  cc: AddressFact[];
  bcc: AddressFact[];
  /** Date: header parsed to ms since epoch, null when missing or unparseable. */
  date: number | null;
  /** Message-ID with angle brackets, or null. */
  messageId: string | null;
  inReplyTo: string | null;
  /** Message-IDs from References, in order. */
  references: string[];
  /** List-Id value (the id inside <>), or null. */
  listId: string | null;
  /**
   * True when some attachment is not an inline resource: parts with a
   * Content-ID whose disposition is not "attachment" (images referenced
   * from HTML) are listed in `attachments` but do not count here.
   */
  hasAttachments: boolean;
  attachments: AttachmentFact[];
  /**
   * Decoded text of the message: every text/plain body part (not
   * attachments, not inside attached messages, inline-forwarded messages
   * included) joined with newlines; when there is none with content, the
   * text extracted from the text/html parts. Line breaks are LF. Capped.
   */
  text: string;
  /** First ~200 characters of text, whitespace collapsed. */
  preview: string;
  /** Whether the decoded text was cut at the cap. */
  textTruncated: boolean;
  /**
   * Further searchable text that is not the message's own text: the text
   * parts of attached messages (a forwarded message/rfc822) and the
   * attachments' filenames. SEARCH TEXT/BODY look there too, since RFC 3501
   * §6.4.4 matches anywhere in the body. Line breaks are LF. Capped.
   */
  attachedText: string;
}

export interface ParsedMessage {
  /** Total size in octets. */
  size: number;
  /** Offset where the root body starts (== length of the root header block including the blank line). */
  headerLength: number;
  envelope: Envelope;
  root: MimePart;
  facts: MessageFacts;
  /** Malformations noticed (bare LF, NUL, overlong lines, missing boundary...), for logging; never fatal. */
  warnings: string[];
}
