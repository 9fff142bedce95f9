/**
 * BODY[section] → the octets it names (RFC 3501 §6.4.5), as message offsets
 * (the stored message is `prefix ‖ blob`; MIME offsets are blob offsets, so
 * message offset = blob offset + prefix length) or as bytes already in memory.
 *
 * Header sections of the top-level message come from the record (the prefix
 * lines, e.g. Delivered-To, are part of that header), so no blob is opened for
 * them. Everything else is a byte range that the writer streams from storage.
 * A section that does not exist is empty, as Dovecot answers (RFC 3501 does
 * not say; an error would fail the whole FETCH for one missing part).
 */
import type { MimePart } from '../../mime/types.js';
import type { Store } from '../../storage/interface.js';
import type { MessageRecord } from '../../storage/types.js';
import type { FetchPartial, Section } from '../proto/fetch.js';
import { filterHeaderFields } from './header-fields.js';
import { embeddedMessage, findPart } from './parts.js';

export type SectionData =
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  /** Message offsets [start, end). */
  | { readonly kind: 'range'; readonly start: number; readonly end: number };

const EMPTY: SectionData = { kind: 'bytes', bytes: Buffer.alloc(0) };

/**
 * Header bytes read for HEADER.FIELDS; fields beyond are not seen. The same
 * cap as the stored root header (storage keeps at most 1 MiB of it).
 */
export const HEADER_FIELDS_LIMIT = 1024 * 1024;

/** Per-record state shared by the items of one FETCH response. */
export class SectionResolver {
  private rootHeaderBytes: Buffer | null = null;

  constructor(
    readonly record: MessageRecord,
    private readonly store: Store,
  ) {}

  private get prefixLength(): number {
    return this.record.prefix.length;
  }

  /** End of the top-level header block (blank line included), as a message offset. */
  get rootHeaderEnd(): number {
    return this.prefixLength + this.record.headerLength;
  }

  /** Whether the stored header block is complete (storage truncates huge ones). */
  private get storedHeaderComplete(): boolean {
    return this.record.header.length >= this.record.headerLength;
  }

  /** prefix ‖ stored header: the whole top-level header, or its first 1 MiB when storage truncated it. */
  private rootHeader(): Buffer {
    this.rootHeaderBytes ??= Buffer.concat([this.record.prefix, this.record.header.subarray(0, this.record.headerLength)]);
    return this.rootHeaderBytes;
  }

  /** The top-level header section ([HEADER], RFC822.HEADER, [1.MIME] of a single-part message). */
  rootHeaderSection(): SectionData {
    if (this.storedHeaderComplete) return { kind: 'bytes', bytes: this.rootHeader() };
    return { kind: 'range', start: 0, end: this.rootHeaderEnd };
  }

  /** The top-level body ([TEXT], RFC822.TEXT). */
  rootTextSection(): SectionData {
    return { kind: 'range', start: this.rootHeaderEnd, end: this.record.size };
  }

  /** HEADER.FIELDS of the block at message offsets [start, end), or of the top-level header when `start` is null. */
  private async fieldsOf(start: number | null, end: number, names: readonly string[], not: boolean): Promise<SectionData> {
    const block = start === null
      ? this.rootHeader()
      : await this.store.messages.read(this.record, start, Math.min(end, start + HEADER_FIELDS_LIMIT));
    return { kind: 'bytes', bytes: filterHeaderFields(block, names, not) };
  }

  private partRange(start: number, end: number): SectionData {
    const p = this.prefixLength;
    return end > start ? { kind: 'range', start: p + start, end: p + end } : EMPTY;
  }

  /** The octets of `section`, before any partial is applied. */
  async resolve(section: Section): Promise<SectionData> {
    const text = section.text;
    // Top-level sections are offsets from the record alone; only part numbers need the MIME tree.
    if (section.part.length === 0) {
      if (text === null) return { kind: 'range', start: 0, end: this.record.size };
      switch (text.kind) {
        case 'header':
          return this.rootHeaderSection();
        case 'text':
          return this.rootTextSection();
        case 'header.fields':
          return this.fieldsOf(null, this.rootHeaderEnd, text.fields, text.not);
        case 'mime':
          // The parser refuses MIME without a part number (RFC 3501 §9 section-text).
          return EMPTY;
      }
    }
    const root = this.record.mime;
    const node = findPart(root, section.part);
    if (node === null) return EMPTY;
    if (text === null) return this.partRange(node.bodyStart, node.bodyEnd);
    if (text.kind === 'mime') {
      // Part 1 of a single-part message is the message itself: its MIME header is the message header.
      return node === root ? this.rootHeaderSection() : this.partRange(node.headerStart, node.bodyStart);
    }
    // HEADER, HEADER.FIELDS and TEXT after a part number address the message inside a message/rfc822 part.
    const inner: MimePart | undefined = embeddedMessage(node)?.root;
    if (inner === undefined) return EMPTY;
    switch (text.kind) {
      case 'header':
        return this.partRange(inner.headerStart, inner.bodyStart);
      case 'text':
        return this.partRange(inner.bodyStart, node.bodyEnd);
      case 'header.fields': {
        const p = this.prefixLength;
        return this.fieldsOf(p + inner.headerStart, p + inner.bodyStart, text.fields, text.not);
      }
    }
  }
}

/** Applies `<origin.length>`: an origin at or past the end gives an empty string (RFC 3501 §6.4.5). */
export function applyPartial(data: SectionData, partial: FetchPartial | null): SectionData {
  if (partial === null) return data;
  if (data.kind === 'bytes') {
    const bytes = data.bytes.subarray(Math.min(partial.origin, data.bytes.length), partial.origin + partial.length);
    return { kind: 'bytes', bytes };
  }
  const start = Math.min(data.start + partial.origin, data.end);
  return { kind: 'range', start, end: Math.min(data.end, start + partial.length) };
}

export function sectionSize(data: SectionData): number {
  return data.kind === 'bytes' ? data.bytes.length : Math.max(0, data.end - data.start);
}
