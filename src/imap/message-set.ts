/**
 * Resolving a client's sequence set (message numbers, UIDs, or `$`) against
 * the session's UID map into runs of map indexes. A run is a contiguous
 * slice of the map, so `1:*` on 100,000 messages is one object, and it
 * converts to one storage UID range: UIDs between two neighbours in the
 * map cannot exist in storage, since new messages only ever get higher UIDs.
 */
import { bad } from './handler.js';
import { resolveSequenceSet, type SequenceSet } from './proto/sequence-set.js';
import type { UidRanges } from '../storage/query.js';
import type { UidMap } from './uid-map.js';

/** Map indexes [start, end), 0-based. */
export interface IndexRun {
  readonly start: number;
  readonly end: number;
}

function invalidSequence(): never {
  throw bad('Invalid message sequence number');
}

function merge(runs: IndexRun[]): IndexRun[] {
  runs.sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number }> = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else if (r.end > r.start) out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** Runs for a list of UIDs (ascending or not); UIDs not in the map are skipped. */
export function runsForUids(map: UidMap, uids: Iterable<number>): IndexRun[] {
  const runs: IndexRun[] = [];
  for (const uid of uids) {
    const seq = map.seqOf(uid);
    if (seq > 0) runs.push({ start: seq - 1, end: seq });
  }
  return merge(runs);
}

/**
 * Message sequence numbers must exist (RFC 3501 §9 `seq-number`: a number
 * above the message count is an error), except that a range ending in `*`
 * is clamped, so `1:*` on an empty mailbox is simply empty. UIDs that do not
 * exist are ignored (RFC 3501 §6.4.8). `$` is the SEARCHRES result (RFC 5182),
 * kept as UIDs.
 */
export function resolveRuns(map: UidMap, set: SequenceSet, byUid: boolean, saved: readonly number[] | null): IndexRun[] {
  if (set.kind === 'saved') return runsForUids(map, saved ?? []);
  const count = map.length;
  if (byUid) {
    const runs: IndexRun[] = [];
    for (const [lo, hi] of resolveSequenceSet(set, map.maxUid)) {
      runs.push({ start: map.lowerBound(lo), end: map.lowerBound(hi + 1) });
    }
    return merge(runs);
  }
  for (const r of set.ranges) {
    if ((r.start !== '*' && r.start > count && r.end !== '*') || (r.end !== '*' && r.end > count && r.start !== '*')) {
      invalidSequence();
    }
  }
  const runs: IndexRun[] = [];
  for (const [lo, hi] of resolveSequenceSet(set, count)) {
    const end = Math.min(hi, count);
    if (lo <= end) runs.push({ start: lo - 1, end });
  }
  return merge(runs);
}

export function runsSize(runs: readonly IndexRun[]): number {
  let n = 0;
  for (const r of runs) n += r.end - r.start;
  return n;
}

/** Storage UID ranges covering exactly the messages of the runs. */
export function runsToUidRanges(map: UidMap, runs: readonly IndexRun[]): UidRanges {
  return runs.map((r): readonly [number, number] => [map.uidAt(r.start), map.uidAt(r.end - 1)]);
}

/** Successive pages of at most `size` indexes, ascending. */
export function* pages(runs: readonly IndexRun[], size: number): Generator<number[], void, undefined> {
  let page: number[] = [];
  for (const r of runs) {
    for (let i = r.start; i < r.end; i++) {
      page.push(i);
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length > 0) yield page;
}

/** Successive slices of the runs covering at most `size` indexes each, in order. */
export function* runPages(runs: readonly IndexRun[], size: number): Generator<IndexRun[], void, undefined> {
  let page: IndexRun[] = [];
  let room = size;
  for (const r of runs) {
    let start = r.start;
    while (start < r.end) {
      const end = Math.min(r.end, start + room);
      page.push({ start, end });
      room -= end - start;
      start = end;
      if (room === 0) {
        yield page;
        page = [];
        room = size;
      }
    }
  }
  if (page.length > 0) yield page;
}

/** Compact UID ranges of ascending UIDs: [1,2,3,7] → [[1,3],[7,7]]. */
export function uidRangesOf(ascending: readonly number[]): UidRanges {
  const out: Array<[number, number]> = [];
  for (const uid of ascending) {
    const last = out[out.length - 1];
    if (last !== undefined && uid === last[1] + 1) last[1] = uid;
    else out.push([uid, uid]);
  }
  return out;
}
