/** CHECK (RFC 3501 §6.4.1): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type CheckArgs = NoArgs;

export function parse(cursor: TokenCursor): CheckArgs {
  return parseNoArgs(cursor);
}
