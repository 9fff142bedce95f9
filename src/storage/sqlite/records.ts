import type { Envelope, MessageFacts, MimePart } from '../../mime/types.js';
import { decodeKeywords, joinFlags } from '../flags.js';
import type { RecordFields } from '../interface.js';
import type { MessageDetail, MessageRecord } from '../types.js';
import { renditionJoins } from './renditions.js';

/** Columns every record query reads (from messages), in RecordTuple order. */
const BASE_COLUMNS = 'm.id, m.uid, m.modseq, m.sysflags, m.keywords, m.internal_date, m.size, m.thread_id, m.expires, m.prefix, m.saved';
/** Where the optional parts start in a RecordTuple. */
const PARTS_AT = 11;

/** The optional parts, by RecordFields group: each is read only when its group is wanted. */
const GROUPS = {
  blob: ['hash'],
  header: ['header'],
  envelope: ['envelope'],
  mime: ['mime'],
  overview: ['subject', 'from_text', 'preview', 'has_attachments', 'message_id', 'sent_date'],
} as const;

type Group = keyof typeof GROUPS;
type Part = (typeof GROUPS)[Group][number] | 'header_length';

/**
 * Raw rows of a record query: better-sqlite3 builds arrays much faster than
 * named rows, and every column costs (even a NULL one), so a query reads
 * only the parts its fields ask for, at positions its layout records.
 */
export type RecordTuple = [
  id: number,
  uid: number,
  modseq: number,
  sysflags: number,
  keywords: string,
  internalDate: number,
  size: number,
  threadId: string,
  expires: number | null,
  prefix: Buffer | null,
  saved: number | null,
  ...parts: Array<string | number | Buffer | null>,
];

/** Where each loaded part sits in a RecordTuple; a part without a position was left out. */
export interface RecordLayout {
  /** The SELECT list. */
  readonly columns: string;
  /** The FROM clause (its rendition joins take the names as parameters, in order). */
  readonly from: string;
  readonly at: Partial<Record<Part, number>>;
  readonly renditions: readonly string[];
  readonly renditionsAt: number;
}

const layouts = new Map<string, RecordLayout>();

/**
 * The layout for `fields`. blobs is joined only when one of its columns is
 * wanted (its rows are large, so each join is a page read of its own); each
 * rendition is a LEFT JOIN (renditions.ts).
 */
export function recordLayout(fields: RecordFields): RecordLayout {
  const groups = (Object.keys(GROUPS) as Group[]).filter((g) => fields[g] !== false);
  const renditions = fields.renditions ?? [];
  const key = `${groups.join(',')}|${renditions.join(',')}`;
  let layout = layouts.get(key);
  if (layout !== undefined) return layout;
  const parts: Part[] = groups.flatMap((g) => [...GROUPS[g]]);
  // Top-level sections need the header length whenever blobs is read anyway (it is one integer there).
  if (parts.length > 0) parts.push('header_length');
  const at: Partial<Record<Part, number>> = {};
  parts.forEach((p, i) => (at[p] = PARTS_AT + i));
  const columns = [BASE_COLUMNS, ...parts.map((p) => `b.${p}`), ...renditions.map((_, i) => `r${i}.data`)].join(', ');
  const from = `messages m${parts.length > 0 ? ' JOIN blobs b ON b.id = m.blob_id' : ''}${renditionJoins(renditions)}`;
  layout = { columns, from, at, renditions, renditionsAt: PARTS_AT + parts.length };
  // Fields combinations are few (one per kind of FETCH), but bound the cache anyway.
  if (layouts.size < 256) layouts.set(key, layout);
  return layout;
}

/** The full layout, for API listings and the detail view. */
export const FULL_LAYOUT = recordLayout({});

const EMPTY = Buffer.alloc(0);

function notLoaded(part: string): never {
  throw new Error(`MessageRecord.${part} was not loaded (getRecords fields)`);
}

/**
 * A MessageRecord whose ENVELOPE and MIME tree are parsed from JSON only
 * when read, so listing thousands of records for a header fetch does not pay
 * for structures nobody asked for.
 */
class LazyRecord implements MessageRecord {
  readonly id: number;
  readonly uid: number;
  modseq: number;
  flags: string[];
  readonly internalDate: Date;
  readonly size: number;
  readonly threadId: string;
  readonly expires: Date | null;
  readonly prefix: Buffer;
  readonly savedDate: Date;
  readonly #t: RecordTuple;
  readonly #layout: RecordLayout;
  #envelope: Envelope | undefined;
  #mime: MimePart | undefined;

  constructor(
    readonly mailboxId: string,
    t: RecordTuple,
    layout: RecordLayout,
  ) {
    this.id = t[0];
    this.uid = t[1];
    this.modseq = t[2];
    this.flags = joinFlags(t[3], decodeKeywords(t[4]));
    this.internalDate = new Date(t[5]);
    this.size = t[6];
    this.threadId = t[7];
    this.expires = t[8] === null ? null : new Date(t[8]);
    this.prefix = t[9] ?? EMPTY;
    this.savedDate = new Date(t[10] ?? t[5]);
    this.#t = t;
    this.#layout = layout;
  }

  /** A loaded part's value (null when NULL in the row); throws when the part was left out. */
  private part(name: Part, label: string): string | number | Buffer | null {
    const i = this.#layout.at[name];
    return i === undefined ? notLoaded(label) : (this.#t[i] ?? null);
  }

  private text(name: Part, label: string): string | null {
    const v = this.part(name, label);
    return typeof v === 'string' ? v : null;
  }

  private number(name: Part, label: string): number | null {
    const v = this.part(name, label);
    return typeof v === 'number' ? v : null;
  }

  get blob(): string {
    return this.text('hash', 'blob') ?? '';
  }

  get headerLength(): number {
    return this.number('header_length', 'headerLength') ?? 0;
  }

  get header(): Buffer {
    const v = this.part('header', 'header');
    return Buffer.isBuffer(v) ? v : EMPTY;
  }

  get envelope(): Envelope {
    return (this.#envelope ??= JSON.parse(this.text('envelope', 'envelope') ?? notLoaded('envelope')) as Envelope);
  }

  get mime(): MimePart {
    return (this.#mime ??= JSON.parse(this.text('mime', 'mime') ?? notLoaded('mime')) as MimePart);
  }

  get subject(): string {
    return this.text('subject', 'subject') ?? '';
  }
  get from(): string {
    return this.text('from_text', 'from') ?? '';
  }
  get preview(): string {
    return this.text('preview', 'preview') ?? '';
  }
  get hasAttachments(): boolean {
    return (this.number('has_attachments', 'hasAttachments') ?? 0) !== 0;
  }
  get messageId(): string | null {
    return this.text('message_id', 'messageId');
  }
  get sentDate(): Date | null {
    const ms = this.number('sent_date', 'sentDate');
    return ms === null ? null : new Date(ms);
  }

  rendition(name: string): string | Buffer | null {
    const i = this.#layout.renditions.indexOf(name);
    const data = i < 0 ? null : this.#t[this.#layout.renditionsAt + i];
    return typeof data === 'string' || Buffer.isBuffer(data) ? data : null;
  }
}

/** A record from a raw row of `SELECT <layout.columns> FROM <layout.from> ...`. */
export function tupleRecord(mailboxId: string, t: RecordTuple, layout: RecordLayout): MessageRecord {
  return new LazyRecord(mailboxId, t, layout);
}

/** Column `i` of a raw row past the record's own (extra columns a query appends), if it is text. */
export function extraText(t: RecordTuple, i: number): string | null {
  const v = t[FULL_LAYOUT.renditionsAt + i];
  return typeof v === 'string' ? v : null;
}

/**
 * blobs.facts: MessageFacts without the texts, which live in the full-text
 * index's body column as `text` then, after a line break, `attachedText`;
 * `textLength` says where one ends (absent for bodies stored before
 * attachedText existed, whose indexed body is the text alone).
 */
export type StoredFacts = Omit<MessageFacts, 'text' | 'attachedText'> & { textLength?: number };

export function toDetail(mailboxId: string, t: RecordTuple, factsJson: string, indexed: string): MessageDetail {
  const record = tupleRecord(mailboxId, t, FULL_LAYOUT);
  const { textLength, ...stored } = JSON.parse(factsJson) as StoredFacts;
  const text = textLength === undefined ? indexed : indexed.slice(0, textLength);
  const attachedText = textLength === undefined ? '' : indexed.slice(textLength + 1);
  const facts: MessageFacts = { ...stored, text, attachedText };
  return Object.assign(record, { facts });
}
