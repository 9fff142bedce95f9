/** CLOSE (RFC 3501 §6.4.2): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type CloseArgs = NoArgs;

export function parse(cursor: TokenCursor): CloseArgs {
  return parseNoArgs(cursor);
}
