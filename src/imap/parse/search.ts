/**
 * SEARCH / UID SEARCH (RFC 3501 §6.4.4) with ESEARCH return options
 * (RFC 4731 §3.1): `SEARCH [SP "RETURN" SP "(" opts ")"] SP search-program`.
 */
import type { TokenCursor } from '../proto/cursor.js';
import {
  readSearchProgram,
  readSearchReturnOptions,
  type SearchCharset,
  type SearchKey,
  type SearchReturnOption,
} from '../proto/search.js';
import type { CommandContext } from './context.js';

export interface SearchArgs {
  readonly uid: boolean;
  /** null: plain SEARCH response; otherwise ESEARCH with these options (`()` normalised to ALL). */
  readonly returnOptions: readonly SearchReturnOption[] | null;
  readonly charset: SearchCharset | null;
  readonly criteria: SearchKey;
}

export function parse(cursor: TokenCursor, context: CommandContext): SearchArgs {
  cursor.expectSpace();
  let returnOptions: SearchReturnOption[] | null = null;
  if (cursor.skipWord('RETURN')) {
    cursor.expectSpace();
    returnOptions = readSearchReturnOptions(cursor);
    cursor.expectSpace();
  }
  const program = readSearchProgram(cursor);
  // RFC 6855 §3 (erratum 4029): a CHARSET label after ENABLE UTF8=ACCEPT conflicts with it.
  if (context.utf8Accept && program.charset !== null) cursor.fail('No CHARSET once UTF8=ACCEPT is enabled');
  return { uid: context.uid, returnOptions, charset: program.charset, criteria: program.key };
}
