/**
 * STORE / UID STORE (RFC 3501 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3):
 * `STORE SP sequence-set [SP "(" UNCHANGEDSINCE SP n ")"] SP ["+"/"-"] "FLAGS" [".SILENT"] SP flags`.
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readSequenceSet, type SequenceSet } from '../proto/sequence-set.js';
import { dedupeFlags, readFlag, readFlagList, readList } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export type StoreOperation = 'set' | 'add' | 'remove';

export interface StoreArgs {
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  /** `FLAGS` replaces, `+FLAGS` adds, `-FLAGS` removes. */
  readonly operation: StoreOperation;
  /** `.SILENT`: no untagged FETCH for the changed flags (RFC 3501 §6.4.6). */
  readonly silent: boolean;
  readonly flags: readonly string[];
  /** RFC 7162: 0 is allowed and fails every message that has a mod-sequence. */
  readonly unchangedSince: bigint | null;
}

function readModifiers(c: TokenCursor): bigint {
  let value: bigint | null = null;
  readList(
    c,
    (cc: TokenCursor) => {
      if (cc.readKeyword('store modifier') !== 'UNCHANGEDSINCE' || value !== null) cc.fail('Invalid store modifier');
      cc.expectSpace();
      value = cc.readNumber64('mod-sequence');
    },
    false,
    'store modifiers',
  );
  if (value === null) return c.fail('Invalid store modifier');
  return value;
}

export function parse(cursor: TokenCursor, context: CommandContext): StoreArgs {
  cursor.expectSpace();
  const sequence = readSequenceSet(cursor);
  cursor.expectSpace();
  let unchangedSince: bigint | null = null;
  if (cursor.peek() === 0x28) {
    unchangedSince = readModifiers(cursor);
    cursor.expectSpace();
  }
  const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(cursor.readAtom('store item').toUpperCase());
  if (m === null) cursor.fail('Invalid store item');
  const operation: StoreOperation = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
  cursor.expectSpace();
  let flags: string[];
  if (cursor.peek() === 0x28) {
    flags = readFlagList(cursor);
  } else {
    flags = [readFlag(cursor)];
    while (cursor.skipSpace()) flags.push(readFlag(cursor));
    flags = dedupeFlags(flags);
  }
  cursor.expectEnd();
  return { uid: context.uid, sequence, operation, silent: m[2] !== undefined, flags, unchangedSince };
}
