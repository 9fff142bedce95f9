import type { UidRanges } from '../query.js';

const INLINE_RANGES = 16;
const MAX_EXPANDED = 200_000;

/**
 * SQL for "uid in one of these ranges", appending positional params. A few
 * ranges become BETWEEN terms the (mailbox_id, uid) index serves directly;
 * long lists (a client's "1,3,5,...") are passed as one JSON array so the
 * statement text, and the statement cache, stay small.
 */
export function rangesSql(ranges: UidRanges | undefined, params: Array<string | number>, column = 'uid'): string {
  if (!ranges) return '1';
  if (ranges.length === 0) return '0';
  if (ranges.length <= INLINE_RANGES) {
    return `(${ranges
      .map(([a, b]) => {
        params.push(Math.min(a, b), Math.max(a, b));
        return `${column} BETWEEN ? AND ?`;
      })
      .join(' OR ')})`;
  }
  let span = 0;
  for (const [a, b] of ranges) span += Math.abs(b - a) + 1;
  if (span <= MAX_EXPANDED) {
    const uids: number[] = [];
    for (const [a, b] of ranges) for (let u = Math.min(a, b); u <= Math.max(a, b); u++) uids.push(u);
    params.push(JSON.stringify(uids));
    return `${column} IN (SELECT value FROM json_each(?))`;
  }
  params.push(JSON.stringify(ranges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)])));
  return `EXISTS (SELECT 1 FROM json_each(?) r WHERE ${column} BETWEEN r.value ->> 0 AND r.value ->> 1)`;
}
