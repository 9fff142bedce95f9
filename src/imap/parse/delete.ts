/** DELETE (RFC 3501 §6.3.4): `DELETE SP mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface DeleteArgs {
  readonly mailbox: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): DeleteArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectEnd();
  return { mailbox };
}
