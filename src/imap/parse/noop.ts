/** NOOP (RFC 3501 §6.1.2): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type NoopArgs = NoArgs;

export function parse(cursor: TokenCursor): NoopArgs {
  return parseNoArgs(cursor);
}
