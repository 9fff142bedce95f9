/**
 * SORT / UID SORT (RFC 5256 §3): `SORT SP sort-criteria SP charset SP
 * search-criteria`, with DISPLAYFROM / DISPLAYTO (RFC 5957) and ESORT's
 * `RETURN (...)` before the criteria (RFC 5267 §3). REVERSE applies to the
 * key that follows it only.
 */
import { badCharsetError } from '../errors.js';
import type { TokenCursor } from '../proto/cursor.js';
import { readSearchProgram, readSearchReturnOptions, type SearchCharset, type SearchKey, type SearchReturnOption } from '../proto/search.js';
import { readList } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export type SortKeyName = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
const KEYS: readonly SortKeyName[] = ['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO'];

export interface SortCriterion {
  readonly key: SortKeyName;
  readonly reverse: boolean;
}

/** ESORT takes ESEARCH's options except SAVE, whose result would have no order (RFC 5267 §3). */
export type SortReturnOption = Exclude<SearchReturnOption, 'SAVE'>;

export interface SortArgs {
  readonly uid: boolean;
  /** Null: a plain `* SORT` answer; otherwise an ESEARCH one (RFC 5267 §3.2). */
  readonly returnOptions: readonly SortReturnOption[] | null;
  readonly criteria: readonly SortCriterion[];
  readonly charset: SearchCharset;
  readonly search: SearchKey;
}

/**
 * The charset argument SORT and THREAD require (RFC 5256 §3: at least
 * US-ASCII and UTF-8). Once UTF8=ACCEPT is enabled, anything but UTF-8
 * contradicts it and is BAD (RFC 6855 §3, erratum 4029).
 */
export function readRequiredCharset(cursor: TokenCursor, context: CommandContext): SearchCharset {
  const name = cursor.readAstring('charset').toUpperCase();
  if (name !== 'UTF-8' && name !== 'US-ASCII') throw badCharsetError();
  if (context.utf8Accept && name !== 'UTF-8') cursor.fail('Only CHARSET UTF-8 once UTF8=ACCEPT is enabled');
  return name;
}

export function parse(cursor: TokenCursor, context: CommandContext): SortArgs {
  cursor.expectSpace();
  let returnOptions: SortReturnOption[] | null = null;
  if (cursor.skipWord('RETURN')) {
    cursor.expectSpace();
    returnOptions = readSearchReturnOptions(cursor).map((o) => (o === 'SAVE' ? cursor.fail('SAVE is not a SORT return option') : o));
    cursor.expectSpace();
  }
  const words = readList(cursor, (c) => c.readKeyword('sort key'), false, 'sort criteria');
  const criteria: SortCriterion[] = [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    let reverse = false;
    if (word === 'REVERSE') {
      reverse = true;
      word = words[++i] ?? cursor.fail('REVERSE must be followed by a sort key');
    }
    const key = KEYS.find((k) => k === word);
    if (!key) cursor.fail(`Unknown sort key ${word}`);
    criteria.push({ key, reverse });
  }
  cursor.expectSpace();
  const charset = readRequiredCharset(cursor, context);
  cursor.expectSpace();
  const program = readSearchProgram(cursor);
  return { uid: context.uid, returnOptions, criteria, charset, search: program.key };
}
