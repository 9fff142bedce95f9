/**
 * The value model of server responses and its serialisation (RFC 3501 §4):
 * plain JS values map to IMAP strings, numbers, NIL and lists; wrappers mark
 * atoms, preformatted text, forced literals and streamed literals.
 */
import type { Readable } from 'node:stream';
import type { ResponseCode, ResponseCodeArg } from '../errors.js';
import { isValidAtom } from './chars.js';

/** Reads `length` octets at `offset` (relative to the literal's first octet); may return fewer, never zero. */
export interface RangeReader {
  read(offset: number, length: number): Promise<Buffer>;
}

/** Where a streamed literal's octets come from; a function is called once, when the literal is written. */
export type LiteralSource = Readable | (() => Readable | Promise<Readable>) | RangeReader;

export interface ImapAtom {
  readonly kind: 'atom';
  readonly value: string;
}
/** Preformatted protocol text (flags, FETCH item names); must not contain CR, LF or NUL. */
export interface ImapRaw {
  readonly kind: 'raw';
  readonly value: string;
}
export interface ImapLiteral {
  readonly kind: 'literal';
  readonly value: Buffer;
  /** `~{n}` literal8 (RFC 3516), for BINARY[] data containing NUL. */
  readonly binary: boolean;
}
/** Elements written back to back without SP: `1*body` and `1*address` in RFC 3501 §9. */
export interface ImapConcat {
  readonly kind: 'concat';
  readonly values: readonly ImapValue[];
}
/**
 * A value serialised earlier (a stored rendition, storage interface.ts
 * Renderer), written as it is. Unlike raw text it may hold literals, so it
 * must be exactly what serializeValue produced for some value.
 */
export interface ImapEncoded {
  readonly kind: 'encoded';
  /** The bytes, or the same bytes as a 7-bit string. */
  readonly value: string | Buffer;
}
/** A literal of known size written from a stream with backpressure (FETCH BODY[] of a large message). */
export interface ImapStreamLiteral {
  readonly kind: 'stream';
  readonly size: number;
  readonly binary: boolean;
  readonly source: LiteralSource;
}

/**
 * - `null` → NIL; `number`/`bigint` → number (non-negative integers only);
 * - `string`/`Buffer` → IMAP string, quoted when safe, otherwise a literal;
 * - arrays → parenthesised lists.
 */
export type ImapValue =
  | null
  | number
  | bigint
  | string
  | Buffer
  | readonly ImapValue[]
  | ImapAtom
  | ImapRaw
  | ImapLiteral
  | ImapConcat
  | ImapEncoded
  | ImapStreamLiteral;

export interface SerializeOptions {
  /** UTF8=ACCEPT enabled (RFC 6855 §3): UTF-8 may be sent in quoted strings. Default false. */
  readonly utf8?: boolean;
}

/** Longer strings go out as literals, which clients parse without scanning for escapes. */
export const MAX_QUOTED_LENGTH = 1024;

export function atom(value: string): ImapAtom {
  if (!isValidAtom(value)) throw new TypeError(`not an IMAP atom: ${JSON.stringify(value)}`);
  return { kind: 'atom', value };
}

/** An astring as the server writes it: an atom when that is unambiguous (never `NIL`), else a string. */
export function astring(value: string): ImapValue {
  return isValidAtom(value) && value.toUpperCase() !== 'NIL' ? { kind: 'atom', value } : value;
}

export function raw(value: string): ImapRaw {
  if (/[\r\n\0]/.test(value)) throw new TypeError('raw IMAP text must not contain CR, LF or NUL');
  return { kind: 'raw', value };
}

/** A flag as sent by the server: `\Seen`, a keyword atom, or `\*` (PERMANENTFLAGS). */
export function flag(value: string): ImapRaw {
  const bare = value.startsWith('\\') ? value.slice(1) : value;
  if (!(bare === '*' && value.length === 2) && !isValidAtom(bare)) {
    throw new TypeError(`not an IMAP flag: ${JSON.stringify(value)}`);
  }
  return { kind: 'raw', value };
}

export function literal(value: Buffer, binary = false): ImapLiteral {
  return { kind: 'literal', value, binary };
}

export function encoded(value: string | Buffer): ImapEncoded {
  return { kind: 'encoded', value };
}

export function concat(values: readonly ImapValue[]): ImapConcat {
  return { kind: 'concat', values };
}

export function streamLiteral(size: number, source: LiteralSource, binary = false): ImapStreamLiteral {
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('literal size must be a non-negative integer');
  return { kind: 'stream', size, binary, source };
}

/** Output pieces: bytes, or a streamed literal whose `{n}` header has already been emitted. */
export type SerializedPiece = Buffer | ImapStreamLiteral;

/**
 * Accumulates protocol text as a JS string and only turns it into bytes when
 * binary data or a streamed literal interrupts it: a FETCH line is dozens of
 * tiny tokens, and one Buffer per token made serialisation the hot spot.
 */
class Output {
  readonly pieces: SerializedPiece[] = [];
  private str = '';
  private bytes: Buffer[] = [];

  text(s: string): void {
    this.str += s;
  }

  data(b: Buffer): void {
    this.spill();
    this.bytes.push(b);
  }

  stream(s: ImapStreamLiteral): void {
    this.text(`${s.binary ? '~' : ''}{${s.size}}\r\n`);
    this.flush();
    this.pieces.push(s);
  }

  private spill(): void {
    if (this.str.length > 0) {
      this.bytes.push(Buffer.from(this.str, 'utf8'));
      this.str = '';
    }
  }

  flush(): void {
    this.spill();
    if (this.bytes.length === 1) this.pieces.push(this.bytes[0]!);
    else if (this.bytes.length > 1) this.pieces.push(Buffer.concat(this.bytes));
    this.bytes = [];
  }
}

/** 7-bit text without NUL, CR or LF: can be quoted as is (the common case for FETCH values). */
const PLAIN_QUOTABLE = /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;

function isQuotable(bytes: Buffer, utf8: boolean): boolean {
  if (bytes.length > MAX_QUOTED_LENGTH) return false;
  for (const b of bytes) {
    if (b === 0x0d || b === 0x0a || b === 0) return false;
    if (b >= 0x80 && !utf8) return false;
  }
  return utf8 ? isWellFormedUtf8(bytes) : true;
}

function isWellFormedUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** RFC 3501 strings cannot carry NUL (CHAR8 = %x01-ff), so it is dropped from string values. */
function stripNul(bytes: Buffer): Buffer {
  return bytes.includes(0) ? Buffer.from(bytes.filter((b) => b !== 0)) : bytes;
}

function writeString(out: Output, value: string | Buffer, options: SerializeOptions): void {
  if (typeof value === 'string' && value.length <= MAX_QUOTED_LENGTH && PLAIN_QUOTABLE.test(value)) {
    out.text(`"${value.includes('"') || value.includes('\\') ? value.replace(/["\\]/g, '\\$&') : value}"`);
    return;
  }
  const bytes = stripNul(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  if (isQuotable(bytes, options.utf8 === true)) {
    out.text('"');
    out.data(bytes.includes(0x22) || bytes.includes(0x5c) ? escapeQuoted(bytes) : bytes);
    out.text('"');
    return;
  }
  out.text(`{${bytes.length}}\r\n`);
  out.data(bytes);
}

function escapeQuoted(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out.push(0x5c);
    out.push(b);
  }
  return Buffer.from(out);
}

function writeNumber(out: Output, n: number | bigint): void {
  if (typeof n === 'number' && (!Number.isSafeInteger(n) || n < 0)) throw new TypeError(`invalid IMAP number ${n}`);
  if (typeof n === 'bigint' && n < 0n) throw new TypeError(`invalid IMAP number ${n}`);
  out.text(String(n));
}

function isValueArray(value: ImapValue): value is readonly ImapValue[] {
  return Array.isArray(value);
}

function writeValue(out: Output, value: ImapValue, options: SerializeOptions): void {
  if (value === null) return out.text('NIL');
  if (typeof value === 'number' || typeof value === 'bigint') return writeNumber(out, value);
  if (typeof value === 'string' || Buffer.isBuffer(value)) return writeString(out, value, options);
  if (isValueArray(value)) {
    out.text('(');
    writeJoined(out, value, ' ', options);
    return out.text(')');
  }
  switch (value.kind) {
    case 'atom':
    case 'raw':
      return out.text(value.value);
    case 'literal':
      out.text(`${value.binary ? '~' : ''}{${value.value.length}}\r\n`);
      return out.data(value.value);
    case 'concat':
      return writeJoined(out, value.values, '', options);
    case 'encoded':
      return typeof value.value === 'string' ? out.text(value.value) : out.data(value.value);
    case 'stream':
      return out.stream(value);
  }
}

function writeJoined(out: Output, values: readonly ImapValue[], sep: string, options: SerializeOptions): void {
  values.forEach((v, i) => {
    if (i > 0 && sep.length > 0) out.text(sep);
    writeValue(out, v, options);
  });
}

/** Values joined by SP and terminated by CRLF, as bytes and streamed literals in order. */
export function serializeLineParts(values: readonly ImapValue[], options: SerializeOptions = {}): SerializedPiece[] {
  const out = new Output();
  writeJoined(out, values, ' ', options);
  out.text('\r\n');
  out.flush();
  return out.pieces;
}

/** One value as bytes; throws if it contains a streamed literal. */
export function serializeValue(value: ImapValue, options: SerializeOptions = {}): Buffer {
  const out = new Output();
  writeValue(out, value, options);
  out.flush();
  const pieces = out.pieces;
  if (pieces.some((p) => !Buffer.isBuffer(p))) throw new TypeError('streamed literal in serializeValue');
  return Buffer.concat(pieces.filter((p): p is Buffer => Buffer.isBuffer(p)));
}

/** Response text (`text = 1*TEXT-CHAR`): 7-bit, no CR/LF; anything else becomes `?`. */
export function sanitizeText(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 0 ? clean : 'Completed';
}

function formatCodeArg(arg: ResponseCodeArg): string {
  if (typeof arg === 'number' || typeof arg === 'bigint') return String(arg);
  if (typeof arg === 'string') {
    if (/[^\x21-\x7e]|\]/.test(arg)) throw new TypeError(`invalid response code argument ${JSON.stringify(arg)}`);
    return arg;
  }
  return `(${arg.map(formatCodeArg).join(' ')})`;
}

/** `[NAME args]`, e.g. `[BADCHARSET (UTF-8 US-ASCII)]`. */
export function formatResponseCode(code: ResponseCode): string {
  if (!isValidAtom(code.name)) throw new TypeError(`invalid response code ${JSON.stringify(code.name)}`);
  const args = code.args ?? [];
  return `[${[code.name, ...args.map(formatCodeArg)].join(' ')}]`;
}
