/** EXPUNGE (RFC 3501 §6.4.3): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type ExpungeArgs = NoArgs;

export function parse(cursor: TokenCursor): ExpungeArgs {
  return parseNoArgs(cursor);
}
