/**
 * UIDs that are not in the session's map, as sequence-set text, without
 * enumerating them: QRESYNC's fallback when the journal no longer reaches
 * back far enough (RFC 7162 §3.2.5.2 lets the server name every UID it does
 * not have within what the client could know).
 */
import type { Interval } from './proto/sequence-set.js';
import type { UidMap } from './uid-map.js';

export function missingUids(map: UidMap, intervals: readonly Interval[]): string {
  const parts: string[] = [];
  const push = (lo: number, hi: number): void => {
    if (lo <= hi) parts.push(lo === hi ? String(lo) : `${lo}:${hi}`);
  };
  for (const [lo, hi] of intervals) {
    let next = lo;
    for (let i = map.lowerBound(lo); i < map.length && map.uidAt(i) <= hi; i++) {
      push(next, map.uidAt(i) - 1);
      next = map.uidAt(i) + 1;
    }
    push(next, hi);
  }
  return parts.join(',');
}
