/**
 * Octet-level cursor over a framed command (RFC 3501 §9 lexical rules):
 * atoms, numbers, quoted strings, literals and astrings. Higher-level tokens
 * (flags, mailboxes, lists, dates) are in tokens.ts and dates.ts.
 *
 * Every failure is an {@link ImapParseError}; the cursor never throws
 * anything else for client input.
 */
import { ImapParseError, type ImapParseErrorOptions } from '../errors.js';
import {
  BACKSLASH,
  CR,
  DQUOTE,
  isAstringChar,
  isAtomChar,
  isDigit,
  LBRACE,
  LF,
  RBRACE,
  SP,
  TILDE,
} from './chars.js';
import type { RawCommand, RawLiteral } from './raw-command.js';

const MAX_U32 = 0xffffffff;
const MAX_63 = (1n << 63n) - 1n;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Opaque position for backtracking. */
export interface CursorMark {
  readonly seg: number;
  readonly pos: number;
}

/** Strict UTF-8 decoding; client strings that are not UTF-8 are refused rather than mangled. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new ImapParseError('Invalid UTF-8 in string');
  }
}

export class TokenCursor {
  private seg = 0;
  private pos = 0;
  private readonly segments: readonly Buffer[];
  private readonly literals: readonly RawLiteral[];

  constructor(command: RawCommand) {
    if (command.segments.length !== command.literals.length + 1) {
      throw new RangeError('RawCommand: segments.length must be literals.length + 1');
    }
    this.segments = command.segments;
    this.literals = command.literals;
  }

  /** A cursor over plain line text without literals (tests, raw lines). */
  static fromText(text: string | Buffer): TokenCursor {
    return new TokenCursor({ segments: [typeof text === 'string' ? Buffer.from(text, 'utf8') : text], literals: [] });
  }

  private get buf(): Buffer {
    return this.segments[this.seg] ?? Buffer.alloc(0);
  }

  fail(text: string, options?: ImapParseErrorOptions): never {
    throw new ImapParseError(text, options);
  }

  mark(): CursorMark {
    return { seg: this.seg, pos: this.pos };
  }

  reset(mark: CursorMark): void {
    this.seg = mark.seg;
    this.pos = mark.pos;
  }

  /** Octet at `pos + offset` in the current line segment, or -1 past its end. */
  peek(offset = 0): number {
    return this.buf[this.pos + offset] ?? -1;
  }

  /** True when nothing is left: last segment fully consumed. */
  atEnd(): boolean {
    return this.seg === this.segments.length - 1 && this.pos >= this.buf.length;
  }

  advance(n = 1): void {
    this.pos += n;
  }

  expectEnd(): void {
    if (!this.atEnd()) this.fail('Unexpected extra arguments');
  }

  expectSpace(): void {
    if (this.peek() !== SP) this.fail(this.atEnd() ? 'Missing argument' : 'Expected space');
    this.pos++;
  }

  /** Consumes one SP if present. */
  skipSpace(): boolean {
    if (this.peek() !== SP) return false;
    this.pos++;
    return true;
  }

  expectChar(b: number, what: string): void {
    if (this.peek() !== b) this.fail(`Expected ${what}`);
    this.pos++;
  }

  /** Consumes `b` if it is next. */
  skipChar(b: number): boolean {
    if (this.peek() !== b) return false;
    this.pos++;
    return true;
  }

  /** Reads the longest run of octets matching `pred` (may be empty), as latin1. */
  readWhile(pred: (b: number) => boolean): string {
    const start = this.pos;
    const buf = this.buf;
    while (this.pos < buf.length && pred(buf[this.pos] ?? -1)) this.pos++;
    return buf.toString('latin1', start, this.pos);
  }

  /** `atom = 1*ATOM-CHAR`. */
  readAtom(what = 'atom'): string {
    const atom = this.readWhile(isAtomChar);
    if (atom.length === 0) this.fail(`Expected ${what}`);
    return atom;
  }

  /** Reads an atom and upper-cases it; for keyword matching (IMAP keywords are case-insensitive). */
  readKeyword(what = 'keyword'): string {
    return this.readAtom(what).toUpperCase();
  }

  /** True if the next atom equals `word` (case-insensitively) and is followed by a non-atom octet; consumes it then. */
  skipWord(word: string): boolean {
    const buf = this.buf;
    const n = word.length;
    if (this.pos + n > buf.length) return false;
    if (buf.toString('latin1', this.pos, this.pos + n).toUpperCase() !== word.toUpperCase()) return false;
    if (isAtomChar(buf[this.pos + n] ?? -1)) return false;
    this.pos += n;
    return true;
  }

  /** `number`: 32-bit unsigned (RFC 3501 §9). */
  readNumber(what = 'number'): number {
    const digits = this.readWhile(isDigit);
    if (digits.length === 0) this.fail(`Expected ${what}`);
    const value = digits.length > 10 ? Infinity : Number(digits);
    if (value > MAX_U32) this.fail(`${capitalise(what)} out of range`);
    return value;
  }

  /** `nz-number = digit-nz *DIGIT` (no leading zero). */
  readNzNumber(what = 'number'): number {
    if (this.peek() === 0x30) this.fail(`${capitalise(what)} must be non-zero`);
    return this.readNumber(what);
  }

  /** 63-bit unsigned (`mod-sequence-value`, `number64`; RFC 7162, RFC 9051). */
  readNumber64(what = 'number'): bigint {
    const digits = this.readWhile(isDigit);
    if (digits.length === 0) this.fail(`Expected ${what}`);
    if (digits.length > 19 || BigInt(digits) > MAX_63) this.fail(`${capitalise(what)} out of range`);
    return BigInt(digits);
  }

  /** Next token starts a quoted string or a literal. */
  atString(): boolean {
    const b = this.peek();
    return b === DQUOTE || b === LBRACE || (b === TILDE && this.peek(1) === LBRACE);
  }

  /** `quoted` with `\"` and `\\` escapes only; CR, LF and NUL refused (RFC 3501 QUOTED-CHAR). */
  readQuotedBytes(): Buffer {
    this.expectChar(DQUOTE, 'quoted string');
    const buf = this.buf;
    const out: number[] = [];
    for (;;) {
      const b = buf[this.pos];
      if (b === undefined) this.fail('Unterminated quoted string');
      this.pos++;
      if (b === DQUOTE) return Buffer.from(out);
      if (b === BACKSLASH) {
        const next = buf[this.pos];
        if (next !== DQUOTE && next !== BACKSLASH) this.fail('Invalid escape in quoted string');
        out.push(next);
        this.pos++;
      } else if (b === 0 || b === CR || b === LF) {
        this.fail('Invalid character in quoted string');
      } else {
        out.push(b);
      }
    }
  }

  /**
   * A literal token `{n}`, `{n+}`, `~{n}`: the announcement must end its line
   * segment (the reader put the payload right after it).
   */
  readLiteral(): RawLiteral {
    const binary = this.skipChar(TILDE);
    this.expectChar(LBRACE, 'literal');
    const digits = this.readWhile(isDigit);
    if (digits.length === 0) this.fail('Invalid literal');
    this.skipChar(0x2b);
    this.expectChar(RBRACE, 'literal');
    const literal = this.literals[this.seg];
    if (this.pos !== this.buf.length || literal === undefined) this.fail('Literal must be followed by CRLF');
    if (literal.binary !== binary) this.fail('Invalid literal');
    this.seg++;
    this.pos = 0;
    return literal;
  }

  /**
   * A string (quoted or literal) whose bytes are wanted in memory. Literal8,
   * streamed literals and NUL octets are refused: only APPEND takes those.
   */
  readStringBytes(): Buffer {
    if (!this.atString()) this.fail('Expected string');
    if (this.peek() === DQUOTE) return this.readQuotedBytes();
    const literal = this.readLiteral();
    if (literal.binary) this.fail('literal8 not allowed here');
    if (literal.kind !== 'buffered') this.fail('Literal not allowed here');
    if (literal.hasNul) this.fail('NUL octet in literal');
    return literal.data;
  }

  readString(): string {
    return decodeUtf8(this.readStringBytes());
  }

  /** `astring = 1*ASTRING-CHAR / string`. */
  readAstringBytes(what = 'string'): Buffer {
    if (this.atString()) return this.readStringBytes();
    const start = this.pos;
    const atom = this.readWhile(isAstringChar);
    if (atom.length === 0) this.fail(`Expected ${what}`);
    return this.buf.subarray(start, this.pos);
  }

  readAstring(what = 'string'): string {
    return decodeUtf8(this.readAstringBytes(what));
  }

  /** `nstring = string / nil`. */
  readNstring(): string | null {
    if (this.skipWord('NIL')) return null;
    if (!this.atString()) this.fail('Expected string or NIL');
    return this.readString();
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
