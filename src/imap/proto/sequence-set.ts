/**
 * Sequence sets (RFC 3501 §9 `sequence-set`), kept as the ranges the client
 * wrote so that `1:*` costs nothing until it is resolved against a mailbox.
 * `$` (RFC 5182 SEARCHRES) is parsed as a reference to the saved result.
 */
import { ImapParseError } from '../errors.js';
import type { TokenCursor } from './cursor.js';

/** A sequence number or UID, or `*` for the largest one in use. */
export type SeqNumber = number | '*';

/** `n`, or `n:m` in either order, exactly as written. */
export interface SeqRange {
  readonly start: SeqNumber;
  readonly end: SeqNumber;
}

export type SequenceSet =
  | { readonly kind: 'set'; readonly ranges: readonly SeqRange[] }
  /** `$`: the result saved by an earlier `SEARCH RETURN (SAVE)`. */
  | { readonly kind: 'saved' };

export type ExplicitSequenceSet = Extract<SequenceSet, { kind: 'set' }>;

export interface SequenceSetOptions {
  /** Allow `*` (QRESYNC known-uids forbid it, RFC 7162 §3.2.5). Default true. */
  readonly allowStar?: boolean;
  /** Allow `$` (RFC 5182). Default true. */
  readonly allowSaved?: boolean;
}

/** Closed interval `[low, high]`, low ≤ high. */
export type Interval = readonly [number, number];

const MAX_U32 = 0xffffffff;

function invalid(): never {
  throw new ImapParseError('Invalid sequence set');
}

function parseSeqNumber(text: string, allowStar: boolean): SeqNumber {
  if (text === '*') {
    if (!allowStar) invalid();
    return '*';
  }
  // nz-number: no leading zero, so "0" and "01" are both refused.
  if (!/^[1-9][0-9]{0,9}$/.test(text)) invalid();
  const n = Number(text);
  if (n > MAX_U32) invalid();
  return n;
}

/** Parses the text of a sequence set; throws ImapParseError("Invalid sequence set"). */
export function parseSequenceSet(text: string, options: SequenceSetOptions = {}): SequenceSet {
  const allowStar = options.allowStar ?? true;
  if (text === '$') {
    if (options.allowSaved === false) invalid();
    return { kind: 'saved' };
  }
  if (text.length === 0) invalid();
  const ranges: SeqRange[] = [];
  for (const element of text.split(',')) {
    const colon = element.indexOf(':');
    if (colon < 0) {
      const n = parseSeqNumber(element, allowStar);
      ranges.push({ start: n, end: n });
    } else {
      if (element.indexOf(':', colon + 1) >= 0) invalid();
      ranges.push({
        start: parseSeqNumber(element.slice(0, colon), allowStar),
        end: parseSeqNumber(element.slice(colon + 1), allowStar),
      });
    }
  }
  return { kind: 'set', ranges };
}

function isSeqSetChar(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x3a || b === 0x2c || b === 0x2a || b === 0x24;
}

/** Reads a sequence-set token at the cursor. */
export function readSequenceSet(cursor: TokenCursor, options: SequenceSetOptions = {}): SequenceSet {
  return parseSequenceSet(cursor.readWhile(isSeqSetChar), options);
}

/** True if the next octet can start a sequence set (digit, `*` or `$`). */
export function atSequenceSet(cursor: TokenCursor): boolean {
  const b = cursor.peek();
  return (b >= 0x31 && b <= 0x39) || b === 0x2a || b === 0x24 || b === 0x30;
}

function bounds(range: SeqRange, star: number): Interval {
  const a = range.start === '*' ? star : range.start;
  const b = range.end === '*' ? star : range.end;
  return a <= b ? [a, b] : [b, a];
}

/**
 * Sorted, merged intervals with `*` replaced by `star` (the message count, or
 * the highest UID). `n:*` with n above `star` becomes `[star, n]`, which is
 * what makes `UID 559:*` match the last message (RFC 3501 §6.4.8). Intervals
 * are not clamped above; a lower bound of 0 (empty mailbox) is raised to 1.
 */
export function resolveSequenceSet(set: ExplicitSequenceSet, star: number): Interval[] {
  const sorted = set.ranges.map((r) => bounds(r, star)).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out.map(([lo, hi]): Interval => [Math.max(lo, 1), hi]).filter(([lo, hi]) => lo <= hi);
}

/** Membership without resolving the whole set. */
export function sequenceSetContains(set: ExplicitSequenceSet, n: number, star: number): boolean {
  for (const range of set.ranges) {
    const [lo, hi] = bounds(range, star);
    if (n >= lo && n <= hi) return true;
  }
  return false;
}

/** Largest number the set names once `*` is `star`; handlers compare it with the message count. */
export function sequenceSetMax(set: ExplicitSequenceSet, star: number): number {
  let max = 0;
  for (const range of set.ranges) max = Math.max(max, bounds(range, star)[1]);
  return max;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Indexes (0-based, ascending) of the UIDs in `sortedUids` that the set
 * names; `*` is the last UID. Cost is O(ranges · log n + matches).
 */
export function matchUidIndexes(set: ExplicitSequenceSet, sortedUids: readonly number[]): number[] {
  const star = sortedUids[sortedUids.length - 1] ?? 0;
  const out: number[] = [];
  for (const [lo, hi] of resolveSequenceSet(set, star)) {
    for (let i = lowerBound(sortedUids, lo); i < sortedUids.length && (sortedUids[i] ?? 0) <= hi; i++) out.push(i);
  }
  return out;
}

/** The UIDs of `sortedUids` named by the set, ascending. */
export function matchUids(set: ExplicitSequenceSet, sortedUids: readonly number[]): number[] {
  return matchUidIndexes(set, sortedUids).map((i) => sortedUids[i] ?? 0);
}

/** Sequence numbers 1..count named by the set, ascending, without building an array. */
export function* iterateSequenceNumbers(set: ExplicitSequenceSet, count: number): Generator<number, void, undefined> {
  for (const [lo, hi] of resolveSequenceSet(set, count)) {
    const end = Math.min(hi, count);
    for (let n = lo; n <= end; n++) yield n;
  }
}

/** The set as the client wrote it (for logs and echoes). */
export function formatSequenceSet(set: SequenceSet): string {
  if (set.kind === 'saved') return '$';
  return set.ranges
    .map((r) => (r.start === r.end ? String(r.start) : `${String(r.start)}:${String(r.end)}`))
    .join(',');
}

/**
 * Compact form of a list of numbers, e.g. [1,2,3,5] → "1:3,5" (COPYUID,
 * ESEARCH ALL, VANISHED). Only ascending runs become ranges, so a list in
 * another order (ESORT) keeps it: [9,2,3,1] → "9,2:3,1".
 */
export function compressNumbers(numbers: Iterable<number>): string {
  const parts: string[] = [];
  let lo = -1;
  let hi = -1;
  const flush = (): void => {
    if (lo >= 0) parts.push(lo === hi ? String(lo) : `${lo}:${hi}`);
  };
  for (const n of numbers) {
    if (lo >= 0 && n === hi + 1) {
      hi = n;
      continue;
    }
    flush();
    lo = n;
    hi = n;
  }
  flush();
  return parts.join(',');
}
