/** UNSUBSCRIBE (RFC 3501 §6.3.7): `UNSUBSCRIBE SP mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface UnsubscribeArgs {
  readonly mailbox: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): UnsubscribeArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectEnd();
  return { mailbox };
}
