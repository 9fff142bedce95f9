/**
 * GETMETADATA and SETMETADATA (RFC 5464 §4.2, §4.3):
 *   GETMETADATA [SP "(" option *(SP option) ")"] SP mailbox SP entries
 *   SETMETADATA SP mailbox SP "(" entry SP value *(SP entry SP value) ")"
 * The mailbox "" names the server's own entries.
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readList, readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface GetMetadataArgs {
  readonly mailbox: string;
  readonly entries: readonly string[];
  readonly maxSize: number | null;
  readonly depth: 0 | 1 | 'infinity';
}

export interface SetMetadataArgs {
  readonly mailbox: string;
  readonly entries: ReadonlyArray<{ readonly name: string; readonly value: Buffer | null }>;
}

/**
 * An entry name (§3.2): `/private/...` or `/shared/...` (the bare roots too
 * when reading), printable ASCII without `*` or `%`, no empty component, no
 * trailing slash; case-insensitive, so lower-cased here.
 */
function readEntry(c: TokenCursor, roots: boolean): string {
  const name = c.readAstring('entry name');
  const lower = name.toLowerCase();
  const valid =
    /^\/(private|shared)(\/[\x21-\x7e]+)*$/.test(lower) && !/[*%]/.test(lower) && !lower.includes('//') && !lower.endsWith('/') && (roots || /^\/(private|shared)\//.test(lower));
  if (!valid) c.fail(`Invalid entry name ${name.length <= 64 ? name : name.slice(0, 64) + '...'}`);
  return lower;
}

function readEntries(c: TokenCursor): string[] {
  if (c.peek() === 0x28) return readList(c, (x) => readEntry(x, true), false, 'entry list');
  return [readEntry(c, true)];
}

export function parseGet(cursor: TokenCursor, context: CommandContext): GetMetadataArgs {
  cursor.expectSpace();
  let maxSize: number | null = null;
  let depth: 0 | 1 | 'infinity' = 0;
  if (cursor.peek() === 0x28) {
    readList(
      cursor,
      (c) => {
        const option = c.readAtom('option').toUpperCase();
        c.expectSpace();
        if (option === 'MAXSIZE') maxSize = c.readNumber('MAXSIZE');
        else if (option === 'DEPTH') {
          const d = c.readAtom('DEPTH').toLowerCase();
          if (d !== '0' && d !== '1' && d !== 'infinity') c.fail('DEPTH must be 0, 1 or infinity');
          depth = d === 'infinity' ? 'infinity' : d === '1' ? 1 : 0;
        } else c.fail(`Unknown GETMETADATA option ${option.slice(0, 32)}`);
        return option;
      },
      false,
      'options',
    );
    cursor.expectSpace();
  }
  const mailbox = readMailbox(cursor, context);
  cursor.expectSpace();
  const entries = readEntries(cursor);
  cursor.expectEnd();
  return { mailbox, entries, maxSize, depth };
}

function readValue(c: TokenCursor): Buffer | null {
  if (c.skipWord('NIL')) return null;
  // value = nstring / literal8 (§5): literal8 may carry any octet.
  if (c.peek() === 0x7e) {
    const literal = c.readLiteral();
    if (literal.kind !== 'buffered') c.fail('Value too large');
    return literal.data;
  }
  return c.readStringBytes();
}

export function parseSet(cursor: TokenCursor, context: CommandContext): SetMetadataArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectSpace();
  cursor.expectChar(0x28, '(');
  const entries: Array<{ name: string; value: Buffer | null }> = [];
  do {
    const name = readEntry(cursor, false);
    cursor.expectSpace();
    entries.push({ name, value: readValue(cursor) });
  } while (cursor.skipSpace());
  cursor.expectChar(0x29, ')');
  cursor.expectEnd();
  return { mailbox, entries };
}
