/**
 * FETCH / UID FETCH (RFC 3501 §6.4.5, §6.4.8) with modifiers (RFC 7162):
 * `FETCH SP sequence-set SP (macro / att / "(" att *(SP att) ")") [SP "(" modifiers ")"]`.
 *
 * Left to the handler: UID FETCH always returns UID (RFC 3501 §6.4.8), and
 * CHANGEDSINCE implies MODSEQ in every response (RFC 7162 §3.1.4.1).
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readFetchAttributes, readFetchModifiers, type FetchItem, type FetchMacro } from '../proto/fetch.js';
import { readSequenceSet, type SequenceSet } from '../proto/sequence-set.js';
import type { CommandContext } from './context.js';

export interface FetchArgs {
  readonly uid: boolean;
  /** Sequence numbers, or UIDs when `uid`. */
  readonly sequence: SequenceSet;
  readonly items: readonly FetchItem[];
  readonly macro: FetchMacro | null;
  readonly changedSince: bigint | null;
  /** UID FETCH ... (CHANGEDSINCE n VANISHED) (RFC 7162 §3.2.6). */
  readonly vanished: boolean;
}

export function parse(cursor: TokenCursor, context: CommandContext): FetchArgs {
  cursor.expectSpace();
  const sequence = readSequenceSet(cursor);
  cursor.expectSpace();
  const { items, macro } = readFetchAttributes(cursor);
  let changedSince: bigint | null = null;
  let vanished = false;
  if (cursor.skipSpace()) ({ changedSince, vanished } = readFetchModifiers(cursor, context.uid));
  cursor.expectEnd();
  return { uid: context.uid, sequence, items, macro, changedSince, vanished };
}
