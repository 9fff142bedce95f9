/** GETQUOTA (RFC 9208 §4.2): `GETQUOTA SP quota-root-name` (an astring). */
import type { TokenCursor } from '../proto/cursor.js';

export interface GetQuotaArgs {
  readonly root: string;
}

export function parse(cursor: TokenCursor): GetQuotaArgs {
  cursor.expectSpace();
  const root = cursor.readAstring('quota root');
  cursor.expectEnd();
  return { root };
}
