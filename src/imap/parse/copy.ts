/** COPY / UID COPY (RFC 3501 §6.4.7): `COPY SP sequence-set SP mailbox`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readSequenceSet, type SequenceSet } from '../proto/sequence-set.js';
import { readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface CopyArgs {
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  readonly mailbox: string;
}

export function parse(cursor: TokenCursor, context: CommandContext): CopyArgs {
  cursor.expectSpace();
  const sequence = readSequenceSet(cursor);
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectEnd();
  return { uid: context.uid, sequence, mailbox };
}
