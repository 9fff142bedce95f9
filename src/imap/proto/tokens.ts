/**
 * Composite tokens on top of the cursor: parenthesised lists (with a nesting
 * limit), flags, mailbox names and LIST patterns.
 */
import { ImapParseError } from '../errors.js';
import { BACKSLASH, isListChar, LPAREN, RPAREN, SP } from './chars.js';
import { decodeUtf8, type TokenCursor } from './cursor.js';
import { decodeMutf7, encodeMutf7 } from './mutf7.js';

/** Connection state the pure parsers need. */
export interface ParseContext {
  /** UTF8=ACCEPT enabled (RFC 6855 §3): mailbox names are UTF-8, not modified UTF-7. */
  readonly utf8Accept: boolean;
}

export const DEFAULT_CONTEXT: ParseContext = { utf8Accept: false };

/** Default nesting limit for generic lists (search has its own). */
export const MAX_LIST_DEPTH = 16;

/**
 * `"(" [item *(SP item)] ")"`. `allowEmpty: false` demands at least one item.
 */
export function readList<T>(cursor: TokenCursor, item: (c: TokenCursor) => T, allowEmpty: boolean, what = 'list'): T[] {
  cursor.expectChar(LPAREN, what);
  const out: T[] = [];
  if (cursor.skipChar(RPAREN)) {
    if (!allowEmpty) cursor.fail(`Empty ${what}`);
    return out;
  }
  for (;;) {
    out.push(item(cursor));
    if (cursor.skipChar(RPAREN)) return out;
    if (cursor.peek() !== SP) cursor.fail(`Unterminated ${what}`);
    cursor.advance();
  }
}

/** A generic argument tree, for extension data the server does not interpret. */
export type GenericArg = string | null | readonly GenericArg[];

/** Reads any nstring/atom/list tree, refusing nesting deeper than `maxDepth`. */
export function readGeneric(cursor: TokenCursor, maxDepth: number = MAX_LIST_DEPTH, depth = 0): GenericArg {
  if (cursor.peek() === LPAREN) {
    if (depth >= maxDepth) cursor.fail('Too deeply nested');
    return readList(cursor, (c) => readGeneric(c, maxDepth, depth + 1), true);
  }
  if (cursor.skipWord('NIL')) return null;
  return cursor.readAstring('argument');
}

/** RFC 3501 system flags, canonical spelling by upper-cased name. */
const SYSTEM_FLAGS: ReadonlyMap<string, string> = new Map(
  ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'].map((f) => [f.toUpperCase(), f]),
);

export interface FlagOptions {
  /** `\Recent` may only be searched, never stored or appended (RFC 3501 §2.3.2). Default false. */
  readonly allowRecent?: boolean;
}

/**
 * `flag = "\Answered" / ... / flag-keyword / flag-extension`. System flags
 * come back in canonical case; keywords as written. Unknown `\Foo` extension
 * flags and `\*` are refused: `\*` only appears in server PERMANENTFLAGS.
 */
export function readFlag(cursor: TokenCursor, options: FlagOptions = {}): string {
  if (cursor.skipChar(BACKSLASH)) {
    if (cursor.peek() === 0x2a) cursor.fail('\\* is not a valid flag here');
    const name = cursor.readAtom('flag');
    const canonical = SYSTEM_FLAGS.get(`\\${name}`.toUpperCase());
    if (canonical === undefined) cursor.fail('Invalid system flag');
    if (canonical === '\\Recent' && options.allowRecent !== true) cursor.fail('\\Recent cannot be set');
    return canonical;
  }
  return cursor.readAtom('flag');
}

/** `flag-list = "(" [flag *(SP flag)] ")"`, duplicates removed (keywords compared case-insensitively). */
export function readFlagList(cursor: TokenCursor, options: FlagOptions = {}): string[] {
  return dedupeFlags(readList(cursor, (c) => readFlag(c, options), true, 'flag list'));
}

export function dedupeFlags(flags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const flag of flags) {
    const key = flag.toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(flag);
  }
  return out;
}

/** Interprets wire mailbox text per the context: modified UTF-7 unless UTF8=ACCEPT. */
export function decodeMailboxName(wire: string, context: ParseContext): string {
  return context.utf8Accept ? wire : decodeMutf7(wire);
}

/** The wire form of a mailbox name for responses: modified UTF-7 unless UTF8=ACCEPT (RFC 6855 §3). */
export function encodeMailboxName(name: string, context: ParseContext): string {
  return context.utf8Accept ? name : encodeMutf7(name);
}

/** `INBOX` is case-insensitive (RFC 3501 §5.1); every other name is returned as decoded. */
export function normalizeMailbox(name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

/** `mailbox = "INBOX" / astring`, decoded to Unicode. */
export function readMailbox(cursor: TokenCursor, context: ParseContext): string {
  const name = decodeMailboxName(cursor.readAstring('mailbox name'), context);
  if (name.includes('\0')) throw new ImapParseError('Invalid mailbox name', { status: 'NO' });
  return normalizeMailbox(name);
}

/** `list-mailbox = 1*list-char / string`: a LIST pattern (`%` and `*` allowed), decoded. */
export function readListPattern(cursor: TokenCursor, context: ParseContext): string {
  if (cursor.atString()) return decodeMailboxName(cursor.readString(), context);
  const start = cursor.mark();
  const text = cursor.readWhile(isListChar);
  if (text.length === 0) {
    cursor.reset(start);
    cursor.fail('Expected mailbox pattern');
  }
  return decodeMailboxName(decodeUtf8(Buffer.from(text, 'latin1')), context);
}
