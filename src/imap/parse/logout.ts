/** LOGOUT (RFC 3501 §6.1.3): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type LogoutArgs = NoArgs;

export function parse(cursor: TokenCursor): LogoutArgs {
  return parseNoArgs(cursor);
}
