/**
 * The framed form of one client command, as produced by the command reader
 * and consumed by the tokenizer: the line text split at each literal, with
 * the literal payloads in between.
 */
import { isAtomChar, isValidTag, LBRACE, RBRACE, SP, TILDE } from './chars.js';

interface LiteralCommon {
  /** `{n}` (true) or `{n+}` (false, RFC 7888). */
  readonly synchronizing: boolean;
  /** `~{n}` literal8 (RFC 3516), which alone may carry NUL octets. */
  readonly binary: boolean;
  /** Whether the payload contains a NUL octet (forbidden outside literal8 by RFC 3501 `CHAR8`). */
  readonly hasNul: boolean;
}

/** A literal held in memory. */
export interface BufferedLiteral extends LiteralCommon {
  readonly kind: 'buffered';
  readonly data: Buffer;
}

/** A literal the owner chose to stream into its own sink; only its size is kept here. */
export interface StreamedLiteral extends LiteralCommon {
  readonly kind: 'streamed';
  readonly size: number;
}

export type RawLiteral = BufferedLiteral | StreamedLiteral;

/**
 * `segments[i]` is line text (without CRLF) and, for `i < literals.length`,
 * ends with the announcement `{n}` whose payload is `literals[i]`.
 * Invariant: `segments.length === literals.length + 1`.
 */
export interface RawCommand {
  readonly segments: readonly Buffer[];
  readonly literals: readonly RawLiteral[];
}

export interface LiteralAnnouncement {
  /** Announced octet count; may exceed 2^53 or be Infinity for absurd digit strings (always rejected by limits). */
  readonly size: number;
  readonly synchronizing: boolean;
  readonly binary: boolean;
}

/**
 * Recognises `{n}`, `{n+}`, `~{n}` and `~{n+}` at the very end of a line
 * (RFC 3501 §4.3, RFC 7888, RFC 3516). Only the tail matters: a literal is
 * announced iff the line ends with one, so callers can pass just the last
 * few dozen octets of an overlong line.
 */
export function findLiteralAnnouncement(line: Buffer): LiteralAnnouncement | null {
  let i = line.length - 1;
  if (i < 2 || line[i] !== RBRACE) return null;
  i--;
  let synchronizing = true;
  if (line[i] === 0x2b) {
    synchronizing = false;
    i--;
  }
  const digitsEnd = i + 1;
  while (i >= 0 && (line[i] ?? 0) >= 0x30 && (line[i] ?? 0) <= 0x39) i--;
  if (i === digitsEnd - 1 || i < 0 || line[i] !== LBRACE) return null;
  const size = Number(line.toString('latin1', i + 1, digitsEnd));
  const binary = i > 0 && line[i - 1] === TILDE;
  return { size, synchronizing, binary };
}

export interface CommandHead {
  /** The tag if it is valid per RFC 3501, else null (answer with untagged `* BAD`). */
  readonly tag: string | null;
  /** Upper-cased command name, with the `UID` prefix joined (`UID FETCH`); "" when absent. */
  readonly command: string;
}

function atomAt(buf: Buffer, start: number): { text: string; end: number } {
  let end = start;
  while (end < buf.length && isAtomChar(buf[end] ?? -1)) end++;
  return { text: buf.toString('latin1', start, end), end };
}

/**
 * Cheap look at the start of a command line, used for error responses and the
 * literal policy before the full command has arrived.
 */
export function peekCommandHead(firstLine: Buffer): CommandHead {
  let end = 0;
  while (end < firstLine.length && firstLine[end] !== SP) end++;
  const rawTag = firstLine.toString('latin1', 0, end);
  const tag = isValidTag(rawTag) ? rawTag : null;
  if (end >= firstLine.length) return { tag, command: '' };
  const name = atomAt(firstLine, end + 1);
  let command = name.text.toUpperCase();
  if (command === 'UID' && firstLine[name.end] === SP) {
    const sub = atomAt(firstLine, name.end + 1).text.toUpperCase();
    if (sub.length > 0) command = `UID ${sub}`;
  }
  return { tag, command };
}
