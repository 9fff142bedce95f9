/** LSUB (RFC 3501 §6.3.9): `LSUB SP mailbox SP list-mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { decodeMailboxName, readListPattern } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface LsubArgs {
  readonly reference: string;
  readonly pattern: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): LsubArgs {
  cursor.expectSpace();
  const reference = decodeMailboxName(cursor.readAstring('reference'), context);
  cursor.expectSpace();
  const pattern = readListPattern(cursor, context);
  cursor.expectEnd();
  return { reference, pattern };
}
