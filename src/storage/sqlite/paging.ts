import { InvalidError } from '../errors.js';
import type { Page, PageQuery } from '../types.js';
import type { SqliteContext } from './context.js';

/** Cursor payload: the sort-key values of the row at the page edge. */
export type Cursor = Array<string | number>;

export function encodeCursor(values: Cursor): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, width: number): Cursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === width && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
      return v as Cursor;
    }
  } catch {
    // fall through
  }
  throw new InvalidError('cursor', 'invalid paging cursor');
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 20;
  return Math.min(250, Math.max(1, Math.floor(limit)));
}

export interface PageSpec<R, T> {
  /** Table or FROM clause. */
  table: string;
  where: string[];
  params: Record<string, string | number>;
  /** Sort columns; the last one must make the order total (unique). */
  keys: string[];
  /** Newest/largest first. */
  desc?: boolean;
  query: PageQuery;
  map: (row: R) => T;
  cursorOf: (row: R) => Cursor;
  /** Column list (default *). */
  columns?: string;
  /** Rows as arrays (better-sqlite3 raw mode) rather than named objects. */
  raw?: boolean;
}

/**
 * Keyset paging: a cursor holds the sort key of the row at the page edge,
 * so pages stay consistent while rows are added or removed.
 */
export function pageOf<R, T>(ctx: SqliteContext, spec: PageSpec<R, T>): Page<T> {
  const limit = clampLimit(spec.query.limit);
  const baseWhere = spec.where.length ? spec.where.join(' AND ') : '1';
  const total = ctx.stmt<[Record<string, string | number>], { n: number }>(`SELECT count(*) AS n FROM ${spec.table} WHERE ${baseWhere}`).get(spec.params)!.n;

  const tuple = `(${spec.keys.join(', ')})`;
  const marks = `(${spec.keys.map((_, i) => `@c${i}`).join(', ')})`;
  const params: Record<string, string | number> = { ...spec.params };
  const asc = spec.desc ? 'DESC' : 'ASC';
  const rev = spec.desc ? 'ASC' : 'DESC';
  let where = baseWhere;
  let order = spec.keys.map((k) => `${k} ${asc}`).join(', ');
  let backwards = false;
  if (spec.query.next) {
    decodeCursor(spec.query.next, spec.keys.length).forEach((v, i) => (params[`c${i}`] = v));
    where += ` AND ${tuple} ${spec.desc ? '<' : '>'} ${marks}`;
  } else if (spec.query.previous) {
    decodeCursor(spec.query.previous, spec.keys.length).forEach((v, i) => (params[`c${i}`] = v));
    where += ` AND ${tuple} ${spec.desc ? '>' : '<'} ${marks}`;
    order = spec.keys.map((k) => `${k} ${rev}`).join(', ');
    backwards = true;
  }
  const sql = `SELECT ${spec.columns ?? '*'} FROM ${spec.table} WHERE ${where} ORDER BY ${order} LIMIT ${limit + 1}`;
  const rows = (spec.raw ? ctx.raw<[Record<string, string | number>], R>(sql) : ctx.stmt<[Record<string, string | number>], R>(sql)).all(params);
  const more = rows.length > limit;
  if (more) rows.pop();
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasBefore = backwards ? more : Boolean(spec.query.next);
  const hasAfter = backwards ? true : more;
  return {
    results: rows.map(spec.map),
    total,
    next: hasAfter && last ? encodeCursor(spec.cursorOf(last)) : null,
    previous: hasBefore && first ? encodeCursor(spec.cursorOf(first)) : null,
  };
}
