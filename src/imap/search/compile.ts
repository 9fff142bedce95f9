/**
 * SEARCH keys (src/imap/proto/search.ts) → the storage query (src/storage/query.ts).
 *
 * Sequence numbers, \Recent and the saved result (`$`) are session state, so
 * they become UID ranges here, against the session's view of the mailbox
 * (`uids`: sequence number n is uids[n-1]). The whole query is limited to the
 * UIDs the session knows: a message delivered since the last EXISTS has a
 * higher UID and must not be reported before the client has been told of it
 * (RFC 3501 §7.4.1).
 */
import type { MessageQuery, UidRanges } from '../../storage/query.js';
import type { SearchKey } from '../proto/search.js';
import { resolveSequenceSet, type SequenceSet } from '../proto/sequence-set.js';
import { emailIdHash, threadIdValue } from '../objectid.js';
import { dayBounds } from './dates.js';

export interface SearchContext {
  /** The session's sequence map: seq n ↔ uids[n-1], ascending. */
  uids: Uint32Array;
  /** Whether the session holds \Recent for this UID (RFC 3501 §2.3.2). */
  recent: (uid: number) => boolean;
  /** The SEARCHRES saved result (RFC 5182) as UIDs, or null when none was saved (`$` then matches nothing). */
  saved: readonly number[] | null;
  /** Clock for YOUNGER/OLDER (RFC 5032), ms since the epoch; defaults to Date.now(). */
  now?: number;
}

const NONE: MessageQuery = { op: 'none' };
const ALL: MessageQuery = { op: 'all' };

/** Ascending UIDs → inclusive ranges of consecutive values. */
export function uidsToRanges(ascending: Iterable<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const uid of ascending) {
    const last = out[out.length - 1];
    if (last !== undefined && uid === last[1] + 1) last[1] = uid;
    else out.push([uid, uid]);
  }
  return out;
}

function uidQuery(ranges: UidRanges): MessageQuery {
  // Storage takes any number of ranges in one node (long lists travel as one parameter).
  return ranges.length === 0 ? NONE : { op: 'uid', ranges };
}

function sortedUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Sequence numbers → UID ranges. `*` is the highest sequence number; numbers
 * past it name no message (SEARCH, unlike FETCH, does not fail on them), so
 * an empty mailbox matches nothing. Consecutive sequence numbers are a single
 * UID range, because the map is ascending.
 */
function sequenceQuery(set: SequenceSet, ctx: SearchContext): MessageQuery {
  if (set.kind === 'saved') return savedQuery(ctx);
  const count = ctx.uids.length;
  if (count === 0) return NONE;
  const ranges: Array<[number, number]> = [];
  for (const [lo, hi] of resolveSequenceSet(set, count)) {
    if (lo > count) break;
    ranges.push([ctx.uids[lo - 1] ?? 0, ctx.uids[Math.min(hi, count) - 1] ?? 0]);
  }
  return uidQuery(ranges);
}

/**
 * UID sets: `*` is the highest UID in the session's view; `n:*` with n above
 * it still names that last message (RFC 3501 §6.4.8).
 */
function uidSetQuery(set: SequenceSet, ctx: SearchContext): MessageQuery {
  if (set.kind === 'saved') return savedQuery(ctx);
  const count = ctx.uids.length;
  if (count === 0) return NONE;
  return uidQuery(resolveSequenceSet(set, ctx.uids[count - 1] ?? 0).map(([lo, hi]): [number, number] => [lo, hi]));
}

/** `$` (RFC 5182 §2.1): the saved UIDs (those the session still knows); with nothing saved, no message. */
function savedQuery(ctx: SearchContext): MessageQuery {
  if (ctx.saved === null || ctx.saved.length === 0) return NONE;
  const first = ctx.uids[0] ?? 0;
  const last = ctx.uids[ctx.uids.length - 1] ?? 0;
  return uidQuery(uidsToRanges(sortedUnique(ctx.saved.filter((uid) => uid >= first && uid <= last))));
}

/** \Recent is per session, not stored: the UIDs this session holds it for. */
function recentQuery(ctx: SearchContext): MessageQuery {
  const recent: number[] = [];
  for (const uid of ctx.uids) if (ctx.recent(uid)) recent.push(uid);
  return uidQuery(uidsToRanges(recent));
}

function not(q: MessageQuery): MessageQuery {
  if (q.op === 'all') return NONE;
  if (q.op === 'none') return ALL;
  if (q.op === 'not') return q.of;
  return { op: 'not', of: q };
}

function and(parts: MessageQuery[]): MessageQuery {
  const of = parts.filter((q) => q.op !== 'all');
  if (of.some((q) => q.op === 'none')) return NONE;
  if (of.length === 0) return ALL;
  return of.length === 1 ? (of[0] ?? ALL) : { op: 'and', of };
}

function or(parts: MessageQuery[]): MessageQuery {
  const of = parts.filter((q) => q.op !== 'none');
  if (of.some((q) => q.op === 'all')) return ALL;
  if (of.length === 0) return NONE;
  return of.length === 1 ? (of[0] ?? NONE) : { op: 'or', of };
}

function compileKey(key: SearchKey, ctx: SearchContext, now: number): MessageQuery {
  switch (key.type) {
    case 'all':
      return ALL;
    case 'flag': {
      if (key.flag === '\\Recent') {
        const recent = recentQuery(ctx);
        return key.set ? recent : not(recent);
      }
      return { op: 'flag', flag: key.flag, present: key.set };
    }
    case 'keyword':
      return { op: 'flag', flag: key.keyword, present: key.set };
    case 'header':
      // FROM/TO/CC/BCC/SUBJECT arrive as HEADER of that field; "" means the field is present (RFC 3501 §6.4.4).
      return { op: 'header', field: key.field, value: key.value };
    case 'body':
      return { op: 'body', value: key.value };
    case 'text':
      return { op: 'text', value: key.value };
    case 'date': {
      const bounds = dayBounds(key.op, key.date);
      return { op: key.field === 'internal' ? 'internalDate' : key.field === 'saved' ? 'savedDate' : 'sentDate', ...bounds };
    }
    case 'size':
      return key.op === 'larger' ? { op: 'size', gt: key.size } : { op: 'size', lt: key.size };
    case 'sequence':
      return sequenceQuery(key.set, ctx);
    case 'uid':
      return uidSetQuery(key.set, ctx);
    case 'not':
      return not(compileKey(key.key, ctx, now));
    case 'or':
      return or([compileKey(key.left, ctx, now), compileKey(key.right, ctx, now)]);
    case 'and':
      return and(key.keys.map((k) => compileKey(k, ctx, now)));
    case 'modseq':
      // Storage keeps one MODSEQ per message, which RFC 7162 §3.1.5 lets the per-flag entry fall back to.
      return key.modseq > BigInt(Number.MAX_SAFE_INTEGER) ? NONE : { op: 'modseq', gte: Number(key.modseq) };
    case 'objectid': {
      // RFC 8474 §4: an id this server never issued matches nothing.
      const value = key.kind === 'email' ? emailIdHash(key.id) : threadIdValue(key.id);
      if (value === null) return NONE;
      return key.kind === 'email' ? { op: 'blob', hash: value } : { op: 'thread', id: value };
    }
    case 'age': {
      // RFC 5032: YOUNGER n is "within n seconds" (age ≤ n), OLDER n its complement.
      const limit = now - key.seconds * 1000;
      return key.op === 'younger' ? { op: 'internalDate', gte: limit } : { op: 'internalDate', lt: limit };
    }
  }
}

/**
 * The storage query for `key` in the session described by `ctx`, restricted
 * to the UIDs the session knows.
 */
export function compileSearch(key: SearchKey, ctx: SearchContext): MessageQuery {
  const count = ctx.uids.length;
  if (count === 0) return NONE;
  const known: MessageQuery = { op: 'uid', ranges: [[ctx.uids[0] ?? 0, ctx.uids[count - 1] ?? 0]] };
  return and([known, compileKey(key, ctx, ctx.now ?? Date.now())]);
}
