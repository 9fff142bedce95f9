/** UID EXPUNGE (RFC 4315 §2.1): `UID EXPUNGE SP sequence-set` of UIDs. */
import type { TokenCursor } from '../proto/cursor.js';
import { readSequenceSet, type SequenceSet } from '../proto/sequence-set.js';

export interface UidExpungeArgs {
  readonly uids: SequenceSet;
}

export function parse(cursor: TokenCursor): UidExpungeArgs {
  cursor.expectSpace();
  const uids = readSequenceSet(cursor);
  cursor.expectEnd();
  return { uids };
}
