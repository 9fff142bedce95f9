import { decodeWords } from '../../mime/encoded-words.js';
import { parseHeaderBlock } from '../../mime/headers.js';
import { baseSubject, casemap } from '../../mime/subject.js';
import { InvalidError } from '../errors.js';
import { FLAG_BITS, systemFlag } from '../flags.js';
import type { MessageQuery, SortSpec } from '../query.js';
import type { Db } from './db.js';
import type { TextDoc } from './text-extract.js';

/**
 * Compiles a MessageQuery into a WHERE clause over `messages m JOIN blobs b`.
 * Text keys use the FTS5 trigram index (exact case-insensitive substring
 * semantics for 3+ characters, as IMAP SEARCH requires); shorter needles and
 * arbitrary header fields fall back to SQL functions registered below.
 */
export interface Compiled {
  sql: string;
  params: Record<string, string | number>;
  /** Whether the clause reads blob columns (`b.`): only then must the query join blobs. */
  blobs: boolean;
  /** Whether it reads the full-text index: only the search connection has it (text-index.ts). */
  text: boolean;
}

/** Whether a query has TEXT or BODY keys anywhere. */
export function usesText(q: MessageQuery): boolean {
  switch (q.op) {
    case 'text':
    case 'body':
      return true;
    case 'and':
    case 'or':
      return q.of.some(usesText);
    case 'not':
      return usesText(q.of);
    default:
      return false;
  }
}

/**
 * The index's matching rule (trigram, case_sensitive 0), for documents not
 * indexed yet and for needles too short for trigrams (contains_ci below).
 */
const containsCi = (hay: string, needle: string): boolean => hay.toLowerCase().includes(needle.toLowerCase());

const MAX_NODES = 2000;

/**
 * `pending`: bodies queued for the index but not in it yet (pendingDocs);
 * text keys match them directly, so results never lag behind deliveries.
 */
export function compileQuery(query: MessageQuery, pending: ReadonlyMap<number, TextDoc> = new Map()): Compiled {
  const params: Record<string, string | number> = {};
  let n = 0;
  let nodes = 0;
  let blobs = false;
  let text = false;
  const blob = (sql: string): string => {
    blobs = true;
    return sql;
  };
  const bind = (v: string | number): string => {
    const name = `q${n++}`;
    params[name] = v;
    return `@${name}`;
  };

  const ftsPhrase = (value: string): string => `"${value.replace(/"/g, '""')}"`;
  const textMatch = (columns: string, value: string): string => {
    text = true;
    const queued: number[] = [];
    for (const [blobId, doc] of pending) {
      if (containsCi(doc.body, value) || (columns !== 'body' && containsCi(doc.headers, value))) queued.push(blobId);
    }
    const alsoQueued = queued.length > 0 ? ` OR m.blob_id IN (SELECT value FROM json_each(${bind(JSON.stringify(queued))}))` : '';
    // The trigram tokenizer cannot match needles under three characters.
    if ([...value].length < 3) {
      const cols = columns === 'body' ? 'contains_ci(body, @)' : 'contains_ci(headers, @) OR contains_ci(body, @)';
      const p = bind(value);
      return `(m.blob_id IN (SELECT rowid FROM txt.blob_text WHERE ${cols.replace(/@/g, p)})${alsoQueued})`;
    }
    const expr = columns === 'body' ? `body : ${ftsPhrase(value)}` : `{headers body} : ${ftsPhrase(value)}`;
    return `(m.blob_id IN (SELECT rowid FROM txt.blob_text WHERE blob_text MATCH ${bind(expr)})${alsoQueued})`;
  };

  const walk = (q: MessageQuery): string => {
    if (++nodes > MAX_NODES) throw new InvalidError('query', 'search query too complex');
    switch (q.op) {
      case 'all':
        return '1';
      case 'none':
        return '0';
      case 'and':
        return q.of.length === 0 ? '1' : `(${q.of.map(walk).join(' AND ')})`;
      case 'or':
        return q.of.length === 0 ? '0' : `(${q.of.map(walk).join(' OR ')})`;
      case 'not':
        return `NOT (${walk(q.of)})`;
      case 'uid': {
        if (q.ranges.length === 0) return '0';
        if (q.ranges.length <= 16) {
          return `(${q.ranges
            .map(([a, b]) => `m.uid BETWEEN ${bind(Math.min(a, b))} AND ${bind(Math.max(a, b))}`)
            .join(' OR ')})`;
        }
        // Long lists ("1,3,5,...", or a session's sequence set mapped to UIDs) go in as one JSON
        // parameter: no expression depth or variable-count limits, and one statement text.
        let span = 0;
        for (const [a, b] of q.ranges) span += Math.abs(b - a) + 1;
        if (span <= 500_000) {
          const uids: number[] = [];
          for (const [a, b] of q.ranges) for (let u = Math.min(a, b); u <= Math.max(a, b); u++) uids.push(u);
          return `m.uid IN (SELECT value FROM json_each(${bind(JSON.stringify(uids))}))`;
        }
        const pairs = JSON.stringify(q.ranges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]));
        return `EXISTS (SELECT 1 FROM json_each(${bind(pairs)}) r WHERE m.uid BETWEEN r.value ->> 0 AND r.value ->> 1)`;
      }
      case 'flag': {
        const sys = systemFlag(q.flag);
        if (sys) return `(m.sysflags & ${FLAG_BITS[sys]}) ${q.present ? '!=' : '='} 0`;
        if (q.flag.startsWith('\\')) return q.present ? '0' : '1';
        return `${q.present ? '' : 'NOT '}has_keyword(m.keywords, ${bind(q.flag)})`;
      }
      case 'internalDate':
      case 'savedDate':
      case 'sentDate': {
        const col = q.op === 'internalDate' ? 'm.internal_date' : q.op === 'savedDate' ? 'coalesce(m.saved, m.internal_date)' : blob('b.sent_date');
        const parts: string[] = q.op === 'sentDate' ? ['b.sent_date IS NOT NULL'] : [];
        if (q.gte !== undefined) parts.push(`${col} >= ${bind(q.gte)}`);
        if (q.lt !== undefined) parts.push(`${col} < ${bind(q.lt)}`);
        return parts.length ? `(${parts.join(' AND ')})` : '1';
      }
      case 'size': {
        const parts: string[] = [];
        if (q.gt !== undefined) parts.push(`m.size > ${bind(q.gt)}`);
        if (q.lt !== undefined) parts.push(`m.size < ${bind(q.lt)}`);
        return parts.length ? `(${parts.join(' AND ')})` : '1';
      }
      case 'header':
        return blob(`header_match(b.header, ${bind(q.field.toLowerCase())}, ${bind(q.value)})`);
      case 'body':
        return textMatch('body', q.value);
      case 'text':
        return textMatch('text', q.value);
      case 'modseq':
        return `m.modseq >= ${bind(q.gte)}`;
      case 'hasAttachments':
        return blob(`b.has_attachments = ${q.value ? 1 : 0}`);
      case 'thread':
        return `m.thread_id = ${bind(q.id)}`;
      case 'blob':
        return `m.blob_id = (SELECT id FROM blobs WHERE hash = ${bind(q.hash)})`;
    }
  };
  const sql = walk(query);
  return { sql, params, blobs, text };
}

/** ORDER BY for SORT (RFC 5256 §3): equal keys fall back to UID (sequence) order. */
export function compileSort(sort: SortSpec[]): string {
  const first = (list: string, field: string) => `upper(coalesce(json_extract(b.envelope, '$.${list}[0].${field}'), ''))`;
  const display = (list: string) =>
    `upper(coalesce(nullif(json_extract(b.facts, '$.${list}[0].name'), ''), json_extract(b.facts, '$.${list}[0].address'), ''))`;
  const keys = sort.map((s) => {
    const dir = s.reverse ? 'DESC' : 'ASC';
    switch (s.key) {
      case 'uid':
        return `m.uid ${dir}`;
      case 'arrival':
        return `m.internal_date ${dir}`;
      case 'date':
        return `coalesce(b.sent_date, m.internal_date) ${dir}`;
      case 'size':
        return `m.size ${dir}`;
      case 'subject':
        return `base_subject(b.subject) ${dir}`;
      case 'from':
      case 'to':
      case 'cc':
        // SQLite's upper() folds ASCII only: exactly i;ascii-casemap.
        return `${first(s.key, 'mailbox')} ${dir}`;
      case 'displayfrom':
        return `${display('from')} ${dir}`;
      case 'displayto':
        return `${display('to')} ${dir}`;
    }
  });
  keys.push('m.uid ASC');
  return keys.join(', ');
}

/** Registers the SQL functions the compiled queries use. */
export function registerSearchFunctions(db: Db): void {
  db.function('contains_ci', { deterministic: true }, (hay: unknown, needle: unknown) =>
    typeof hay === 'string' && typeof needle === 'string' && containsCi(hay, needle) ? 1 : 0,
  );
  db.function('has_keyword', { deterministic: true }, (keywords: unknown, keyword: unknown) => {
    if (typeof keywords !== 'string' || keywords === '' || typeof keyword !== 'string') return 0;
    const want = keyword.toLowerCase();
    return (JSON.parse(keywords) as string[]).some((k) => k.toLowerCase() === want) ? 1 : 0;
  });
  db.function('header_match', { deterministic: true }, (header: unknown, field: unknown, value: unknown) => {
    if (!Buffer.isBuffer(header) || typeof field !== 'string' || typeof value !== 'string') return 0;
    const needle = value.toLowerCase();
    for (const f of parseHeaderBlock(header)) {
      if (f.key !== field) continue;
      if (needle === '') return 1;
      if (decodeWords(f.value).toLowerCase().includes(needle)) return 1;
    }
    return 0;
  });
  db.function('base_subject', { deterministic: true }, (subject: unknown) => (typeof subject === 'string' ? casemap(baseSubject(subject).base) : ''));
}
