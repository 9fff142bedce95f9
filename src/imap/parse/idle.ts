/**
 * IDLE (RFC 2177): no arguments. After `+ idling` the owner reads raw lines
 * with `CommandReader.readLine()` until one is `DONE`.
 */
import type { TokenCursor } from '../proto/cursor.js';
import { parseNoArgs, type NoArgs } from './context.js';

export type IdleArgs = NoArgs;

export function parse(cursor: TokenCursor): IdleArgs {
  return parseNoArgs(cursor);
}

/** Whether a raw line ends IDLE. RFC 2177 spells it `DONE`; case is not significant, as for all IMAP keywords. */
export function isIdleDone(line: Buffer): boolean {
  return line.length === 4 && line.toString('latin1').toUpperCase() === 'DONE';
}
