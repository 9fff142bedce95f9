/**
 * CREATE (RFC 3501 §6.3.3) with create-params (RFC 4466 §2.2) carrying
 * `USE (\Drafts ...)` (RFC 6154 §3): `CREATE mailbox [SP "(" USE SP "(" attrs ")" ")"]`.
 */
import { ImapParseError } from '../errors.js';
import type { TokenCursor } from '../proto/cursor.js';
import { readList, readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

/** RFC 6154 §2 special-use attributes, canonical spelling. */
export const SPECIAL_USE_ATTRIBUTES: readonly string[] = [
  '\\All',
  '\\Archive',
  '\\Drafts',
  '\\Flagged',
  '\\Junk',
  '\\Sent',
  '\\Trash',
];
const BY_UPPER: ReadonlyMap<string, string> = new Map(SPECIAL_USE_ATTRIBUTES.map((a) => [a.toUpperCase(), a]));

export interface CreateArgs {
  readonly mailbox: string;
  /** Requested special-use attributes, canonical case; empty when none. */
  readonly specialUse: readonly string[];
}

function readUseAttr(c: TokenCursor): string {
  c.expectChar(0x5c, 'special-use attribute');
  const attr = BY_UPPER.get(`\\${c.readAtom('special-use attribute')}`.toUpperCase());
  // RFC 6154 §3: an attribute the server does not know is refused with NO [USEATTR].
  if (attr === undefined) throw new ImapParseError('Unsupported special-use attribute', { status: 'NO', code: 'USEATTR' });
  return attr;
}

export function parse(cursor: TokenCursor, context: CommandContext): CreateArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  const specialUse = new Set<string>();
  if (cursor.skipSpace()) {
    let seenUse = false;
    readList(
      cursor,
      (c: TokenCursor) => {
        if (c.readKeyword('create parameter') !== 'USE' || seenUse) c.fail('Invalid create parameter');
        seenUse = true;
        c.expectSpace();
        for (const attr of readList(c, readUseAttr, true, 'special-use list')) specialUse.add(attr);
      },
      false,
      'create parameters',
    );
  }
  cursor.expectEnd();
  return { mailbox, specialUse: [...specialUse] };
}
