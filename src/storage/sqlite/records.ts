import type { Envelope, MessageFacts, MimePart } from '../../mime/types.js';
import { decodeKeywords, joinFlags } from '../flags.js';
import type { MessageDetail, MessageRecord } from '../types.js';

/** messages m JOIN blobs b columns needed for a MessageRecord. */
export const RECORD_COLUMNS = recordColumns({});

/** The record columns, with heavy ones left out (as NULL) when not wanted. */
export function recordColumns(fields: { envelope?: boolean; mime?: boolean; header?: boolean }): string {
  const pick = (want: boolean | undefined, column: string, name: string) => (want === false ? `NULL AS ${name}` : column);
  return `m.id, m.mailbox_id, m.uid, m.modseq, m.sysflags, m.keywords, m.internal_date, m.size, m.thread_id,
  m.expires, m.prefix, b.hash, ${pick(fields.header, 'b.header', 'header')}, ${pick(fields.envelope, 'b.envelope', 'envelope')},
  ${pick(fields.mime, 'b.mime', 'mime')}, b.subject, b.from_text, b.preview, b.has_attachments, b.message_id, b.sent_date`;
}

export interface RecordRow {
  id: number;
  mailbox_id: string;
  uid: number;
  modseq: number;
  sysflags: number;
  keywords: string;
  internal_date: number;
  size: number;
  thread_id: string;
  expires: number | null;
  prefix: Buffer | null;
  hash: string;
  header: Buffer | null;
  envelope: string | null;
  mime: string | null;
  subject: string;
  from_text: string;
  preview: string;
  has_attachments: number;
  message_id: string | null;
  sent_date: number | null;
}

const EMPTY = Buffer.alloc(0);

/**
 * A MessageRecord whose ENVELOPE and MIME tree are parsed from JSON only
 * when read, so listing thousands of records for a header fetch does not pay
 * for structures nobody asked for.
 */
class LazyRecord implements MessageRecord {
  readonly id: number;
  readonly mailboxId: string;
  readonly uid: number;
  readonly modseq: number;
  readonly flags: string[];
  readonly internalDate: Date;
  readonly size: number;
  readonly threadId: string;
  readonly expires: Date | null;
  readonly blob: string;
  readonly prefix: Buffer;
  readonly subject: string;
  readonly from: string;
  readonly preview: string;
  readonly hasAttachments: boolean;
  readonly messageId: string | null;
  readonly sentDate: Date | null;
  #header: Buffer | null;
  #envelopeJson: string | null;
  #mimeJson: string | null;
  #envelope: Envelope | undefined;
  #mime: MimePart | undefined;

  constructor(r: RecordRow) {
    this.id = r.id;
    this.mailboxId = r.mailbox_id;
    this.uid = r.uid;
    this.modseq = r.modseq;
    this.flags = joinFlags(r.sysflags, decodeKeywords(r.keywords));
    this.internalDate = new Date(r.internal_date);
    this.size = r.size;
    this.threadId = r.thread_id;
    this.expires = r.expires === null ? null : new Date(r.expires);
    this.blob = r.hash;
    this.prefix = r.prefix ?? EMPTY;
    this.#header = r.header;
    this.subject = r.subject;
    this.from = r.from_text;
    this.preview = r.preview;
    this.hasAttachments = r.has_attachments !== 0;
    this.messageId = r.message_id;
    this.sentDate = r.sent_date === null ? null : new Date(r.sent_date);
    this.#envelopeJson = r.envelope;
    this.#mimeJson = r.mime;
  }

  get header(): Buffer {
    if (this.#header === null) throw new Error('MessageRecord.header was not loaded (getRecords fields)');
    return this.#header;
  }

  get envelope(): Envelope {
    if (this.#envelopeJson === null) throw new Error('MessageRecord.envelope was not loaded (getRecords fields)');
    return (this.#envelope ??= JSON.parse(this.#envelopeJson) as Envelope);
  }

  get mime(): MimePart {
    if (this.#mimeJson === null) throw new Error('MessageRecord.mime was not loaded (getRecords fields)');
    return (this.#mime ??= JSON.parse(this.#mimeJson) as MimePart);
  }
}

export function toRecord(r: RecordRow): MessageRecord {
  return new LazyRecord(r);
}

export function toDetail(r: RecordRow, factsJson: string, text: string): MessageDetail {
  const record = new LazyRecord(r);
  const facts = { ...(JSON.parse(factsJson) as Omit<MessageFacts, 'text'>), text };
  return Object.assign(record, { facts });
}
