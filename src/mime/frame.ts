/**
 * Parsing state of one open part, and the small rules the scanner applies
 * to it (boundary lines, part numbers, names used in warnings).
 */
import type { AttachmentFact, MimePart } from './types.js';
import type { ByteBuffer } from './byte-buffer.js';
import type { DefaultType } from './part-fields.js';
import type { TextCollector } from './text-collector.js';

/** Where a multipart is in its body: before the first boundary, among its parts, after the close. */
export const PREAMBLE = 0;
export const PARTS = 1;
export const EPILOGUE = 2;

export interface Frame {
  part: MimePart;
  parent: Frame | null;
  /** The message/rfc822 part whose embedded root this is, or null. */
  host: MimePart | null;
  /** Root of a message (top level or embedded): its header gives an envelope. */
  messageRoot: boolean;
  inHeader: boolean;
  /** Header bytes read so far (capped); released once parsed. */
  header: ByteBuffer | null;
  defaultType: DefaultType;
  /** Multipart and message levels above this part. */
  depth: number;
  /** 1-based position in the parent multipart (0 for message roots). */
  index: number;
  /** Line breaks before bodyStart, for `lines`. */
  lfAtBodyStart: number;
  /** Set for a multipart whose parts are being read. */
  boundary: Buffer | null;
  phase: number;
  childCount: number;
  /** Inside an attached message: contributes no facts. */
  inAttachment: boolean;
  collector: TextCollector | null;
  /** The collector gathers text of an attached message (searchable only), not the message's own text. */
  attachedText: boolean;
  attachment: AttachmentFact | null;
  /** A line break seen in a text part, written only if more body follows. */
  pendingNewline: boolean;
  warnedEpilogue: boolean;
}

export function isMessageType(p: MimePart): boolean {
  return p.type === 'message' && (p.subtype === 'rfc822' || p.subtype === 'global');
}

/** IMAP part number (RFC 3501 §6.4.5): a non-multipart message root is "1", or "<host>.1". */
export function partNumber(f: Frame): string {
  if (!f.messageRoot) return f.part.path;
  return f.part.path === '' ? '1' : `${f.part.path}.1`;
}

/** How warnings name a part. */
export function label(f: Frame): string {
  if (f.part.path === '') return f.host ? 'embedded message' : 'message';
  return f.host ? `part ${f.part.path} (embedded message)` : `part ${f.part.path}`;
}

/**
 * RFC 2046 §5.1.1: "--", the boundary, then "--" for the close delimiter,
 * then optional transport padding. Anything after a close delimiter is
 * tolerated; anything but padding after a plain delimiter means the line is
 * not a boundary line at all.
 */
export function matchBoundary(line: Buffer, boundary: Buffer): 'delim' | 'close' | null {
  const blen = boundary.length;
  if (line.length < blen + 2) return null;
  for (let i = 0; i < blen; i++) if (line[i + 2] !== boundary[i]) return null;
  let i = blen + 2;
  if (line[i] === 0x2d && line[i + 1] === 0x2d) return 'close';
  for (; i < line.length; i++) {
    const c = line[i];
    if (c !== 0x20 && c !== 0x09) return null;
  }
  return 'delim';
}
