/** SUBSCRIBE (RFC 3501 §6.3.6): `SUBSCRIBE SP mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface SubscribeArgs {
  readonly mailbox: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): SubscribeArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectEnd();
  return { mailbox };
}
