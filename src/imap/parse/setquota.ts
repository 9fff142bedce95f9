/**
 * SETQUOTA (RFC 9208 §4.1.3), parse only:
 * `SETQUOTA SP quota-root-name SP "(" [resource-name SP resource-limit *(SP ...)] ")"`.
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readList } from '../proto/tokens.js';

export interface QuotaLimit {
  /** Upper-cased resource name, e.g. `STORAGE` (in KiB) or `MESSAGE`. */
  readonly resource: string;
  readonly limit: number;
}

export interface SetQuotaArgs {
  readonly root: string;
  /** An empty list removes all limits of the root. */
  readonly limits: readonly QuotaLimit[];
}

function readLimit(c: TokenCursor): QuotaLimit {
  const resource = c.readAtom('resource name').toUpperCase();
  c.expectSpace();
  const limit = c.readNumber64('resource limit');
  if (limit > BigInt(Number.MAX_SAFE_INTEGER)) c.fail('Resource limit out of range');
  return { resource, limit: Number(limit) };
}

export function parse(cursor: TokenCursor): SetQuotaArgs {
  cursor.expectSpace();
  const root = cursor.readAstring('quota root');
  cursor.expectSpace();
  const limits = readList(cursor, readLimit, true, 'quota list');
  if (new Set(limits.map((l) => l.resource)).size !== limits.length) cursor.fail('Duplicate quota resource');
  cursor.expectEnd();
  return { root, limits };
}
