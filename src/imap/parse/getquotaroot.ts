/** GETQUOTAROOT (RFC 9208 §4.3): `GETQUOTAROOT SP mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface GetQuotaRootArgs {
  readonly mailbox: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): GetQuotaRootArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectEnd();
  return { mailbox };
}
