/** CAPABILITY (RFC 3501 §6.1.1): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type CapabilityArgs = NoArgs;

export function parse(cursor: TokenCursor): CapabilityArgs {
  return parseNoArgs(cursor);
}
