/**
 * SEARCH criteria (RFC 3501 §6.4.4) with MODSEQ (RFC 7162 §3.1.5),
 * YOUNGER/OLDER (RFC 5032), `$` (RFC 5182) and ESEARCH return options
 * (RFC 4731), parsed into a typed tree. NEW and OLD are desugared into flag
 * tests; everything else maps one key to one node.
 */
import { badCharsetError } from '../errors.js';
import { LPAREN, RPAREN, SP } from './chars.js';
import { decodeUtf8, type TokenCursor } from './cursor.js';
import { readDate, type ImapDate } from './dates.js';
import { atSequenceSet, readSequenceSet, type SequenceSet } from './sequence-set.js';
import { readList } from './tokens.js';

/** Flags a SEARCH key can test directly. */
export type SearchFlag = '\\Answered' | '\\Deleted' | '\\Draft' | '\\Flagged' | '\\Seen' | '\\Recent';

export type SearchKey =
  | { readonly type: 'all' }
  /** ANSWERED/UNANSWERED, DELETED/UNDELETED, ..., RECENT; NEW and OLD become these too. */
  | { readonly type: 'flag'; readonly flag: SearchFlag; readonly set: boolean }
  | { readonly type: 'keyword'; readonly keyword: string; readonly set: boolean }
  /** HEADER, and FROM/TO/CC/BCC/SUBJECT as the header of that name; `field` lower-cased. */
  | { readonly type: 'header'; readonly field: string; readonly value: string }
  | { readonly type: 'body'; readonly value: string }
  | { readonly type: 'text'; readonly value: string }
  /** BEFORE/ON/SINCE compare the internal date; SENT* the Date: header; SAVED* the save date (RFC 8514). */
  | { readonly type: 'date'; readonly field: 'internal' | 'sent' | 'saved'; readonly op: 'before' | 'on' | 'since'; readonly date: ImapDate }
  | { readonly type: 'size'; readonly op: 'larger' | 'smaller'; readonly size: number }
  | { readonly type: 'sequence'; readonly set: SequenceSet }
  | { readonly type: 'uid'; readonly set: SequenceSet }
  | { readonly type: 'not'; readonly key: SearchKey }
  | { readonly type: 'or'; readonly left: SearchKey; readonly right: SearchKey }
  | { readonly type: 'and'; readonly keys: readonly SearchKey[] }
  /** RFC 7162: `entry` is the optional per-flag metadata item, e.g. `/flags/\Seen` + `priv`. */
  | { readonly type: 'modseq'; readonly modseq: bigint; readonly entry: ModSeqEntry | null }
  /** RFC 5032: internal date within (YOUNGER) or older than `seconds` from now. */
  | { readonly type: 'age'; readonly op: 'younger' | 'older'; readonly seconds: number }
  /** RFC 8474 §4: EMAILID / THREADID objectid. */
  | { readonly type: 'objectid'; readonly kind: 'email' | 'thread'; readonly id: string };

export interface ModSeqEntry {
  /** e.g. `/flags/\Seen` (unescaped). */
  readonly name: string;
  readonly type: 'priv' | 'shared' | 'all';
}

export type SearchCharset = 'UTF-8' | 'US-ASCII';

export interface SearchProgram {
  /** Null when no CHARSET was given (RFC 3501 default US-ASCII; strings are decoded as UTF-8 regardless). */
  readonly charset: SearchCharset | null;
  /** The conjunction of the top-level keys (a single key is returned as itself). */
  readonly key: SearchKey;
}

export interface SearchLimits {
  /** Parenthesis/NOT/OR nesting. Default 32. */
  readonly maxDepth?: number;
  /** Keys in the whole program. Default 2000. */
  readonly maxKeys?: number;
}

export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';
const RETURN_OPTIONS: readonly SearchReturnOption[] = ['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE'];

const FLAG_KEYS: ReadonlyMap<string, { flag: SearchFlag; set: boolean }> = new Map([
  ['ANSWERED', { flag: '\\Answered', set: true }],
  ['UNANSWERED', { flag: '\\Answered', set: false }],
  ['DELETED', { flag: '\\Deleted', set: true }],
  ['UNDELETED', { flag: '\\Deleted', set: false }],
  ['DRAFT', { flag: '\\Draft', set: true }],
  ['UNDRAFT', { flag: '\\Draft', set: false }],
  ['FLAGGED', { flag: '\\Flagged', set: true }],
  ['UNFLAGGED', { flag: '\\Flagged', set: false }],
  ['SEEN', { flag: '\\Seen', set: true }],
  ['UNSEEN', { flag: '\\Seen', set: false }],
  ['RECENT', { flag: '\\Recent', set: true }],
  ['OLD', { flag: '\\Recent', set: false }],
]);

const HEADER_KEYS: ReadonlyMap<string, string> = new Map([
  ['BCC', 'bcc'],
  ['CC', 'cc'],
  ['FROM', 'from'],
  ['SUBJECT', 'subject'],
  ['TO', 'to'],
]);

const DATE_KEYS: ReadonlyMap<string, { field: 'internal' | 'sent' | 'saved'; op: 'before' | 'on' | 'since' }> = new Map([
  ['BEFORE', { field: 'internal', op: 'before' }],
  ['ON', { field: 'internal', op: 'on' }],
  ['SINCE', { field: 'internal', op: 'since' }],
  ['SENTBEFORE', { field: 'sent', op: 'before' }],
  ['SENTON', { field: 'sent', op: 'on' }],
  ['SENTSINCE', { field: 'sent', op: 'since' }],
  ['SAVEDBEFORE', { field: 'saved', op: 'before' }],
  ['SAVEDON', { field: 'saved', op: 'on' }],
  ['SAVEDSINCE', { field: 'saved', op: 'since' }],
] as const);

interface State {
  keys: number;
  readonly maxDepth: number;
  readonly maxKeys: number;
}

function readSearchString(c: TokenCursor): string {
  c.expectSpace();
  return decodeUtf8(c.readAstringBytes('search string'));
}

/** RFC 5322 field name: printable ASCII except colon. */
function readHeaderName(c: TokenCursor): string {
  const name = c.readAstring('header name');
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) c.fail('Invalid header name');
  return name.toLowerCase();
}

function readModSeqKey(c: TokenCursor): SearchKey {
  c.expectSpace();
  let entry: ModSeqEntry | null = null;
  if (c.peek() === 0x22) {
    const name = c.readQuotedBytes().toString('latin1');
    if (!name.toLowerCase().startsWith('/flags/') || name.length === 7) c.fail('Invalid MODSEQ entry name');
    c.expectSpace();
    const type = c.readKeyword('entry type').toLowerCase();
    if (type !== 'priv' && type !== 'shared' && type !== 'all') c.fail('Invalid MODSEQ entry type');
    entry = { name, type };
    c.expectSpace();
  }
  return { type: 'modseq', modseq: c.readNumber64('mod-sequence'), entry };
}

function readKey(c: TokenCursor, st: State, depth: number): SearchKey {
  if (depth > st.maxDepth) c.fail('Search too deeply nested');
  if (++st.keys > st.maxKeys) c.fail('Too many search keys');
  if (c.skipChar(LPAREN)) {
    const keys = [readKey(c, st, depth + 1)];
    while (c.skipChar(SP)) keys.push(readKey(c, st, depth + 1));
    c.expectChar(RPAREN, ')');
    return keys.length === 1 ? (keys[0] ?? { type: 'all' }) : { type: 'and', keys };
  }
  if (atSequenceSet(c)) return { type: 'sequence', set: readSequenceSet(c) };
  const word = c.readKeyword('search key');
  const flag = FLAG_KEYS.get(word);
  if (flag !== undefined) return { type: 'flag', ...flag };
  const header = HEADER_KEYS.get(word);
  if (header !== undefined) return { type: 'header', field: header, value: readSearchString(c) };
  const date = DATE_KEYS.get(word);
  if (date !== undefined) {
    c.expectSpace();
    return { type: 'date', ...date, date: readDate(c) };
  }
  switch (word) {
    case 'ALL':
    // RFC 8514 §4: messages of mailboxes that keep save dates, which here is every mailbox.
    case 'SAVEDATESUPPORTED':
      return { type: 'all' };
    case 'NEW':
      return {
        type: 'and',
        keys: [
          { type: 'flag', flag: '\\Recent', set: true },
          { type: 'flag', flag: '\\Seen', set: false },
        ],
      };
    case 'BODY':
      return { type: 'body', value: readSearchString(c) };
    case 'TEXT':
      return { type: 'text', value: readSearchString(c) };
    case 'HEADER': {
      c.expectSpace();
      const field = readHeaderName(c);
      return { type: 'header', field, value: readSearchString(c) };
    }
    case 'KEYWORD':
    case 'UNKEYWORD':
      c.expectSpace();
      return { type: 'keyword', keyword: c.readAtom('keyword'), set: word === 'KEYWORD' };
    case 'LARGER':
    case 'SMALLER':
      c.expectSpace();
      return { type: 'size', op: word === 'LARGER' ? 'larger' : 'smaller', size: c.readNumber('size') };
    case 'UID':
      c.expectSpace();
      return { type: 'uid', set: readSequenceSet(c) };
    case 'NOT':
      c.expectSpace();
      return { type: 'not', key: readKey(c, st, depth + 1) };
    case 'OR': {
      c.expectSpace();
      const left = readKey(c, st, depth + 1);
      c.expectSpace();
      return { type: 'or', left, right: readKey(c, st, depth + 1) };
    }
    case 'MODSEQ':
      return readModSeqKey(c);
    case 'EMAILID':
    case 'THREADID': {
      c.expectSpace();
      const id = c.readAstring('objectid');
      // RFC 8474 §7: objectid = 1*255(ALPHA / DIGIT / "_" / "-").
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) c.fail('Invalid objectid');
      return { type: 'objectid', kind: word === 'EMAILID' ? 'email' : 'thread', id };
    }
    case 'YOUNGER':
    case 'OLDER':
      c.expectSpace();
      return { type: 'age', op: word === 'YOUNGER' ? 'younger' : 'older', seconds: c.readNzNumber('interval') };
    default:
      return c.fail(word.length <= 32 ? `Unknown search key ${word}` : 'Unknown search key');
  }
}

/**
 * `search-program = ["CHARSET" SP charset SP] search-key *(SP search-key)`,
 * read to the end of the command. An unsupported charset is `NO [BADCHARSET (UTF-8 US-ASCII)]`.
 */
export function readSearchProgram(c: TokenCursor, limits: SearchLimits = {}): SearchProgram {
  let charset: SearchCharset | null = null;
  if (c.skipWord('CHARSET')) {
    c.expectSpace();
    const name = c.readAstring('charset').toUpperCase();
    if (name !== 'UTF-8' && name !== 'US-ASCII') throw badCharsetError();
    charset = name;
    c.expectSpace();
  }
  const st: State = { keys: 0, maxDepth: limits.maxDepth ?? 32, maxKeys: limits.maxKeys ?? 2000 };
  const keys = [readKey(c, st, 0)];
  while (c.skipChar(SP)) keys.push(readKey(c, st, 0));
  c.expectEnd();
  return { charset, key: keys.length === 1 ? (keys[0] ?? { type: 'all' }) : { type: 'and', keys } };
}

/**
 * `"RETURN" SP "(" [option *(SP option)] ")"` (RFC 4731 §3.1) with SAVE
 * (RFC 5182). An empty list means ALL, per RFC 4731. Duplicates are removed.
 */
export function readSearchReturnOptions(c: TokenCursor): SearchReturnOption[] {
  const opts = readList(
    c,
    (cc: TokenCursor) => {
      const word = cc.readKeyword('return option');
      const known = RETURN_OPTIONS.find((o) => o === word);
      if (known === undefined) cc.fail('Unknown search return option');
      return known;
    },
    true,
    'return options',
  );
  return opts.length === 0 ? ['ALL'] : [...new Set(opts)];
}

/** Walks a key tree depth-first; handy for "does this search need bodies / modseq / saved result". */
export function someSearchKey(key: SearchKey, pred: (k: SearchKey) => boolean): boolean {
  if (pred(key)) return true;
  switch (key.type) {
    case 'not':
      return someSearchKey(key.key, pred);
    case 'or':
      return someSearchKey(key.left, pred) || someSearchKey(key.right, pred);
    case 'and':
      return key.keys.some((k) => someSearchKey(k, pred));
    default:
      return false;
  }
}
