/**
 * Sync-sized reads (every UID of a mailbox, the flags of 100,000 messages)
 * as one JSON array per column, built inside SQLite. better-sqlite3 costs
 * about a microsecond per returned row (a JS array or object each), several
 * times what SQLite needs to produce it; JSON.parse of one array of numbers
 * costs a few nanoseconds per element.
 *
 * SQLite feeds an aggregate the rows of an ordered subquery in that order,
 * but does not promise to (`json_group_array(x ORDER BY uid)` would, at the
 * price of sorting again), so the readers here check and sort when needed.
 */
import { decodeKeywords, joinFlags } from '../flags.js';
import { NotFoundError } from '../errors.js';
import type { ChangesSince, SummaryColumns, SummaryFields } from '../interface.js';
import type { UidRanges } from '../query.js';
import type { SqliteContext } from './context.js';
import { rangesSql } from './ranges.js';
import { renditionJoins } from './renditions.js';

/** One JSON array of numbers, as returned by json_group_array. */
export function numberArray(json: string | undefined): number[] {
  return json === undefined ? [] : (JSON.parse(json) as number[]);
}

function isAscending(uids: ArrayLike<number>): boolean {
  for (let i = 1; i < uids.length; i++) if (uids[i]! <= uids[i - 1]!) return false;
  return true;
}

/** Ascending UIDs from a json_group_array of uid. */
export function uidArray(json: string | undefined): Uint32Array {
  const uids = Uint32Array.from(numberArray(json));
  return isAscending(uids) ? uids : uids.sort();
}

/** UIDs matching a WHERE clause over `messages m` (named parameters), ascending. */
export function matchingUids(ctx: SqliteContext, from: string, where: string, params: Record<string, string | number>): number[] {
  const json = ctx
    .pluck<[Record<string, string | number>], string>(`SELECT json_group_array(uid) FROM (SELECT m.uid AS uid FROM ${from} WHERE ${where} ORDER BY m.uid)`)
    .get(params);
  const uids = numberArray(json);
  return isAscending(uids) ? uids : uids.sort((a, b) => a - b);
}

/** Interns flag lists: a mailbox has few distinct flag states, so 100,000 messages share a handful of arrays. */
class FlagLists {
  private readonly plain: Array<readonly string[] | undefined> = [];
  private readonly withKeywords = new Map<string, readonly string[]>();

  get(sysflags: number, keywords: string): readonly string[] {
    if (keywords === '') return (this.plain[sysflags] ??= Object.freeze(joinFlags(sysflags, [])));
    const key = `${sysflags} ${keywords}`;
    let list = this.withKeywords.get(key);
    if (list === undefined) this.withKeywords.set(key, (list = Object.freeze(joinFlags(sysflags, decodeKeywords(keywords)))));
    return list;
  }
}

type ColumnsTuple = [uids: string, sysflags: string, keywords: string, ...optional: string[]];
type RowTuple = [uid: number, sysflags: number, keywords: string, ...rest: Array<number | string | Buffer | null>];

const OPTIONAL = [
  ['modseq', 'modseq'],
  ['internalDate', 'internal_date'],
  ['size', 'size'],
] as const;

export function summaryColumns(ctx: SqliteContext, mailboxId: string, ranges: UidRanges, fields: SummaryFields): SummaryColumns {
  const optional: string[] = OPTIONAL.filter(([key]) => fields[key] === true).map(([, column]) => column);
  const names = fields.renditions ?? [];
  return names.length === 0 ? jsonColumns(ctx, mailboxId, ranges, optional) : rowColumns(ctx, mailboxId, ranges, optional, names);
}

function jsonColumns(ctx: SqliteContext, mailboxId: string, ranges: UidRanges, optional: readonly string[]): SummaryColumns {
  const params: Array<string | number> = [mailboxId];
  const where = rangesSql(ranges, params);
  const columns = ['uid', 'sysflags', 'keywords', ...optional];
  const row = ctx
    .raw<Array<string | number>, ColumnsTuple>(
      `SELECT ${columns.map((c) => `json_group_array(${c})`).join(', ')}
       FROM (SELECT ${columns.join(', ')} FROM messages WHERE mailbox_id = ? AND ${where} ORDER BY uid)`,
    )
    .get(...params);
  const uidList = numberArray(row?.[0]);
  const sysflags = numberArray(row?.[1]);
  const keywords = row ? (JSON.parse(row[2]) as string[]) : [];
  const extra = optional.map((_, i) => numberArray(row?.[3 + i]));
  let order: number[] | null = null;
  if (!isAscending(uidList)) order = uidList.map((_, i) => i).sort((a, b) => uidList[a]! - uidList[b]!);
  const at = (i: number): number => (order === null ? i : order[i]!);
  const n = uidList.length;
  const uids = new Uint32Array(n);
  const flags: Array<readonly string[]> = new Array(n);
  const lists = new FlagLists();
  for (let i = 0; i < n; i++) {
    const j = at(i);
    uids[i] = uidList[j]!;
    flags[i] = lists.get(sysflags[j]!, keywords[j]!);
  }
  const column = (name: string): Float64Array | null => {
    const k = optional.indexOf(name);
    if (k < 0) return null;
    const src = extra[k]!;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = src[at(i)]!;
    return out;
  };
  return { uids, flags, modseqs: column('modseq'), internalDates: column('internal_date'), sizes: column('size'), renditions: [] };
}

/**
 * With renditions: plain rows, since JSON cannot carry the 8-bit ones (and
 * the text dominates the cost anyway), the renditions joined as records.ts
 * joins them.
 */
function rowColumns(ctx: SqliteContext, mailboxId: string, ranges: UidRanges, optional: readonly string[], names: readonly string[]): SummaryColumns {
  const params: Array<string | number> = [...names, mailboxId];
  const where = rangesSql(ranges, params, 'm.uid');
  const columns = ['m.uid', 'm.sysflags', 'm.keywords', ...optional.map((c) => `m.${c}`), ...names.map((_, i) => `r${i}.data`)];
  const rows = ctx
    .raw<Array<string | number>, RowTuple>(`SELECT ${columns.join(', ')} FROM messages m${renditionJoins(names)} WHERE m.mailbox_id = ? AND ${where} ORDER BY m.uid`)
    .all(...params);
  const n = rows.length;
  const uids = new Uint32Array(n);
  const flags: Array<readonly string[]> = new Array(n);
  const extra = optional.map(() => new Float64Array(n));
  const texts = names.map(() => new Array<string | Buffer | null>(n));
  const lists = new FlagLists();
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    uids[i] = row[0];
    flags[i] = lists.get(row[1], row[2]);
    for (let k = 0; k < extra.length; k++) extra[k]![i] = row[3 + k] as number;
    for (let k = 0; k < texts.length; k++) texts[k]![i] = row[3 + extra.length + k] as string | Buffer | null;
  }
  const column = (name: string): Float64Array | null => {
    const k = optional.indexOf(name);
    return k < 0 ? null : extra[k]!;
  };
  return { uids, flags, modseqs: column('modseq'), internalDates: column('internal_date'), sizes: column('size'), renditions: texts };
}

type ChangesTuple = [modseq: number, expungeFloor: number, changed: string, expunged: string];

/**
 * What changed since `modseq`, as one statement: a single SELECT reads one
 * snapshot, so no explicit read transaction is needed, and the rows come
 * back as two JSON arrays. Every session runs this whenever another changed
 * its mailbox, so it is the hot read of a busy mailbox.
 */
export function changesSince(ctx: SqliteContext, mailboxId: string, modseq: number, ranges: UidRanges | undefined): ChangesSince {
  // Most calls (a NOOP, the check after each command) find nothing new: the mailbox's
  // mod-sequence, kept in the same transaction as every change, answers that alone.
  const head = ctx.raw<[string], [modseq: number, expungeFloor: number]>('SELECT modseq, expunge_floor FROM mailboxes WHERE id = ?').get(mailboxId);
  if (!head) throw new NotFoundError('mailbox');
  if (head[0] <= modseq) return { highestModseq: head[0], changed: [], expunged: [], complete: modseq >= head[1] };
  const changedParams: Array<string | number> = [mailboxId, modseq];
  const changedRanges = rangesSql(ranges, changedParams);
  const expungedParams: Array<string | number> = [mailboxId, modseq];
  const expungedRanges = rangesSql(ranges, expungedParams);
  const row = ctx
    .raw<Array<string | number>, ChangesTuple>(
      `SELECT modseq, expunge_floor,
         (SELECT json_group_array(json_array(uid, modseq, sysflags, keywords)) FROM
           (SELECT uid, modseq, sysflags, keywords FROM messages WHERE mailbox_id = ? AND modseq > ? AND ${changedRanges} ORDER BY uid)),
         (SELECT json_group_array(uid) FROM
           (SELECT DISTINCT uid FROM journal WHERE mailbox_id = ? AND kind = 'expunge' AND modseq > ? AND ${expungedRanges} ORDER BY uid))
       FROM mailboxes WHERE id = ?`,
    )
    .get(...changedParams, ...expungedParams, mailboxId);
  if (!row) throw new NotFoundError('mailbox');
  const lists = new FlagLists();
  const changed = (JSON.parse(row[2]) as Array<[number, number, number, string]>).map(([uid, m, sysflags, keywords]) => ({
    uid,
    modseq: m,
    flags: [...lists.get(sysflags, keywords)],
  }));
  if (!isAscending(changed.map((c) => c.uid))) changed.sort((a, b) => a.uid - b.uid);
  const expunged = numberArray(row[3]);
  if (!isAscending(expunged)) expunged.sort((a, b) => a - b);
  return { highestModseq: row[0], changed, expunged, complete: modseq >= row[1] };
}
