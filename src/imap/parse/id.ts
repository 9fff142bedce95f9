/**
 * ID (RFC 2971 §3.3): `ID SP ("(" string SP nstring *(SP string SP nstring) ")" / NIL)`.
 * The RFC's limits are enforced: fields at most 30 octets, values at most
 * 1024 octets, at most 30 pairs.
 */
import { LPAREN, RPAREN } from '../proto/chars.js';
import type { TokenCursor } from '../proto/cursor.js';

export const ID_MAX_FIELD = 30;
export const ID_MAX_VALUE = 1024;
export const ID_MAX_PAIRS = 30;

export interface IdArgs {
  /** Field/value pairs in order (fields as sent; compare case-insensitively), or null for `ID NIL`. */
  readonly params: ReadonlyArray<readonly [string, string | null]> | null;
}

export function parse(cursor: TokenCursor): IdArgs {
  cursor.expectSpace();
  if (cursor.skipWord('NIL')) {
    cursor.expectEnd();
    return { params: null };
  }
  cursor.expectChar(LPAREN, 'ID parameter list');
  const params: Array<readonly [string, string | null]> = [];
  for (;;) {
    if (params.length >= ID_MAX_PAIRS) cursor.fail('Too many ID parameters');
    const field = cursor.readString();
    if (Buffer.byteLength(field) > ID_MAX_FIELD) cursor.fail('ID field name too long');
    cursor.expectSpace();
    const value = cursor.readNstring();
    if (value !== null && Buffer.byteLength(value) > ID_MAX_VALUE) cursor.fail('ID value too long');
    params.push([field, value]);
    if (cursor.skipChar(RPAREN)) break;
    cursor.expectSpace();
  }
  cursor.expectEnd();
  return { params };
}
