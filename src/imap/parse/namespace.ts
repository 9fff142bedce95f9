/** NAMESPACE (RFC 2342): no arguments. */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type NamespaceArgs = NoArgs;

export function parse(cursor: TokenCursor): NamespaceArgs {
  return parseNoArgs(cursor);
}
