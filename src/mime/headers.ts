/**
 * Header block splitting and unfolding (RFC 5322 §2.2, §2.2.3, obsolete
 * syntax §4.5). Values are returned raw: unfolded, outer whitespace trimmed,
 * nothing decoded. Bytes that are valid UTF-8 (RFC 6532) become UTF-8
 * strings; anything else is decoded as Latin-1 so that
 * `Buffer.from(value, 'latin1')` gives the original bytes back.
 */
import { isUtf8 } from 'node:buffer';

export interface HeaderField {
  /** Field name lowercased, for lookups. */
  key: string;
  /** Field name as written. */
  name: string;
  /** Unfolded raw value. */
  value: string;
}

/** A field plus how its bytes were turned into a string, for code that needs the bytes back. */
export interface RawHeaderField extends HeaderField {
  latin1: boolean;
}

export interface SplitHeader {
  fields: RawHeaderField[];
  /** Lines that were neither a field nor a continuation (no colon, bad name, leading continuation). */
  invalidLines: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

function isWsp(b: number | undefined): boolean {
  return b === SP || b === HT;
}

function bytesToString(buf: Buffer): { text: string; latin1: boolean } {
  let ascii = true;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii || !isUtf8(buf)) return { text: buf.toString('latin1'), latin1: !ascii };
  return { text: buf.toString('utf8'), latin1: false };
}

/**
 * Splits a header block into fields. Stops at the first empty line, so a
 * whole message may be passed. Field names may be followed by whitespace
 * before the colon (obs-optional, RFC 5322 §4.5.8).
 */
export function splitHeaderBlock(buf: Buffer): SplitHeader {
  const fields: RawHeaderField[] = [];
  let invalidLines = 0;
  // Raw bytes of the field being assembled: the first line plus continuations.
  let pieces: Buffer[] = [];

  const flush = (): void => {
    if (pieces.length === 0) return;
    const raw = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    pieces = [];
    const colon = raw.indexOf(COLON);
    let nameEnd = colon;
    while (nameEnd > 0 && isWsp(raw[nameEnd - 1])) nameEnd--;
    let valid = colon > 0 && nameEnd > 0;
    for (let i = 0; valid && i < nameEnd; i++) {
      const b = raw[i]!;
      if (b <= SP || b === 0x7f) valid = false;
    }
    if (!valid) {
      invalidLines++;
      return;
    }
    const name = raw.toString('latin1', 0, nameEnd);
    let vs = colon + 1;
    let ve = raw.length;
    while (vs < ve && isWsp(raw[vs])) vs++;
    while (ve > vs && (isWsp(raw[ve - 1]) || raw[ve - 1] === CR)) ve--;
    const { text, latin1 } = bytesToString(raw.subarray(vs, ve));
    fields.push({ key: name.toLowerCase(), name, value: text, latin1 });
  };

  let pos = 0;
  while (pos < buf.length) {
    let end = buf.indexOf(LF, pos);
    const next = end < 0 ? buf.length : end + 1;
    if (end < 0) end = buf.length;
    let contentEnd = end;
    if (contentEnd > pos && buf[contentEnd - 1] === CR) contentEnd--;
    if (contentEnd === pos) break; // the blank line ending the header
    const line = buf.subarray(pos, contentEnd);
    if (isWsp(line[0])) {
      // Unfolding removes only the line break; the leading WSP stays (§2.2.3).
      if (pieces.length > 0) pieces.push(line);
      else invalidLines++;
    } else {
      flush();
      pieces.push(line);
    }
    pos = next;
  }
  flush();
  return { fields, invalidLines };
}

/**
 * Public form for filters and IMAP HEADER.FIELDS: every field in order,
 * duplicates kept.
 */
export function parseHeaderBlock(buf: Buffer): HeaderField[] {
  return splitHeaderBlock(buf).fields.map(({ key, name, value }) => ({ key, name, value }));
}

/** First value for a lowercased key, or null when the field is absent. */
export function firstValue(fields: readonly HeaderField[], key: string): string | null {
  for (const f of fields) if (f.key === key) return f.value;
  return null;
}

/** First field for a lowercased key, or null. */
export function firstField<T extends HeaderField>(fields: readonly T[], key: string): T | null {
  for (const f of fields) if (f.key === key) return f;
  return null;
}
