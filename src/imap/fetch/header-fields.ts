/**
 * HEADER.FIELDS and HEADER.FIELDS.NOT (RFC 3501 §6.4.5): the subset of a
 * header block whose field names are (not) in a list, byte for byte.
 *
 * Field names match case-insensitively; every matching occurrence is kept, in
 * header order, with its folding and line breaks exactly as stored. The result
 * ends with the blank line that RFC 3501 makes part of every header section,
 * even when nothing matched (an empty subset is the blank line alone): the
 * block's own blank line, or CRLF for a message that is all header.
 *
 * Malformed lines (no colon, or a continuation before any field) have no
 * field name: they never match a HEADER.FIELDS list, and HEADER.FIELDS.NOT
 * keeps them, which is what Dovecot does.
 */

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const CRLF = Buffer.from('\r\n');

export interface RawField {
  /** Lower-cased field name ('' for malformed lines). */
  readonly key: string;
  /** [start, end) in the block: the first line through the last continuation line, line breaks included. */
  readonly start: number;
  readonly end: number;
}

/** End of the line starting at `pos` (one past its LF, or the block's end) and whether it is empty. */
function lineAt(block: Buffer, pos: number): { next: number; empty: boolean } {
  const lf = block.indexOf(LF, pos);
  const next = lf < 0 ? block.length : lf + 1;
  const contentEnd = lf < 0 ? block.length : lf > pos && block[lf - 1] === CR ? lf - 1 : lf;
  return { next, empty: contentEnd === pos && lf >= 0 };
}

function fieldKey(block: Buffer, start: number, end: number): string {
  const lf = block.indexOf(LF, start);
  const lineEnd = lf < 0 || lf > end ? end : lf;
  const colon = block.indexOf(COLON, start);
  if (colon < 0 || colon >= lineEnd) return '';
  let nameEnd = colon;
  // obs-optional (RFC 5322 §4.5.8): whitespace between the name and the colon.
  while (nameEnd > start && (block[nameEnd - 1] === SP || block[nameEnd - 1] === HT)) nameEnd--;
  for (let i = start; i < nameEnd; i++) {
    const b = block[i] ?? 0;
    if (b <= SP || b >= 0x7f) return '';
  }
  return block.toString('latin1', start, nameEnd).toLowerCase();
}

/**
 * Splits a header block into fields, stopping at the blank line. Returns the
 * fields and the extent of the blank line ([blankLine, blankEnd); both the
 * block length when the block has none, as in a message that is all header).
 */
export function splitRawFields(block: Buffer): { fields: RawField[]; blankLine: number; blankEnd: number } {
  const fields: RawField[] = [];
  let pos = 0;
  let current: { start: number; end: number } | null = null;
  const flush = (): void => {
    if (current === null) return;
    fields.push({ key: fieldKey(block, current.start, current.end), start: current.start, end: current.end });
    current = null;
  };
  while (pos < block.length) {
    const { next, empty } = lineAt(block, pos);
    if (empty) {
      flush();
      return { fields, blankLine: pos, blankEnd: next };
    }
    const first = block[pos];
    if ((first === SP || first === HT) && current !== null) {
      current.end = next;
    } else {
      flush();
      current = { start: pos, end: next };
    }
    pos = next;
  }
  flush();
  return { fields, blankLine: block.length, blankEnd: block.length };
}

/**
 * The HEADER.FIELDS[.NOT] subset of `block` (a complete header block, blank
 * line included when the message has one). `names` are compared
 * case-insensitively.
 */
export function filterHeaderFields(block: Buffer, names: readonly string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const { fields, blankLine, blankEnd } = splitRawFields(block);
  const out: Buffer[] = [];
  for (const f of fields) {
    const match = f.key !== '' && wanted.has(f.key);
    if (match !== not) out.push(block.subarray(f.start, f.end));
  }
  // A header without a blank line ends mid-line; the subset still ends with a line break.
  const last = out[out.length - 1];
  if (last !== undefined && last[last.length - 1] !== LF) out.push(CRLF);
  // The block's own blank line (LF alone in a bare-LF message: bytes are served as stored), else CRLF.
  out.push(blankEnd > blankLine ? block.subarray(blankLine, blankEnd) : CRLF);
  return Buffer.concat(out);
}
