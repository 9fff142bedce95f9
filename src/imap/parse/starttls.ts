/** STARTTLS (RFC 3501 §6.2.1): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type StarttlsArgs = NoArgs;

export function parse(cursor: TokenCursor): StarttlsArgs {
  return parseNoArgs(cursor);
}
