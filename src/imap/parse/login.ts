/** LOGIN (RFC 3501 §6.2.3): `LOGIN SP userid SP password`, both astrings. */
import type { TokenCursor } from '../proto/cursor.js';

export interface LoginArgs {
  readonly username: string;
  readonly password: string;
}

export function parse(cursor: TokenCursor): LoginArgs {
  cursor.expectSpace();
  const username = cursor.readAstring('user name');
  cursor.expectSpace();
  const password = cursor.readAstring('password');
  cursor.expectEnd();
  return { username, password };
}
