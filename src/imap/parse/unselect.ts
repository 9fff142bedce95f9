/** UNSELECT (RFC 3691): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type UnselectArgs = NoArgs;

export function parse(cursor: TokenCursor): UnselectArgs {
  return parseNoArgs(cursor);
}
