/** RENAME (RFC 3501 §6.3.5): `RENAME SP mailbox SP mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface RenameArgs {
  readonly from: string;
  readonly to: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): RenameArgs {
  cursor.expectSpace();
  const from = readMailbox(cursor, context);
  cursor.expectSpace();
  const to = readMailbox(cursor, context);
  cursor.expectEnd();
  return { from, to };
}
