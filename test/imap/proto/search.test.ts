import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImapParseError } from '../../../src/imap/errors.js';
import { TokenCursor } from '../../../src/imap/proto/cursor.js';
import { readSearchProgram, readSearchReturnOptions, someSearchKey, type SearchKey } from '../../../src/imap/proto/search.js';
import { rawCommand } from './helpers.js';

function key(text: string): SearchKey {
  return readSearchProgram(TokenCursor.fromText(text)).key;
}

const seq = (start: number | '*', end: number | '*' = start) => ({ kind: 'set', ranges: [{ start, end }] });

const ok: Array<[string, unknown]> = [
  ['ALL', { type: 'all' }],
  ['all', { type: 'all' }],
  ['ANSWERED', { type: 'flag', flag: '\\Answered', set: true }],
  ['UNANSWERED', { type: 'flag', flag: '\\Answered', set: false }],
  ['DELETED', { type: 'flag', flag: '\\Deleted', set: true }],
  ['UNDELETED', { type: 'flag', flag: '\\Deleted', set: false }],
  ['DRAFT', { type: 'flag', flag: '\\Draft', set: true }],
  ['UNDRAFT', { type: 'flag', flag: '\\Draft', set: false }],
  ['FLAGGED', { type: 'flag', flag: '\\Flagged', set: true }],
  ['UNFLAGGED', { type: 'flag', flag: '\\Flagged', set: false }],
  ['SEEN', { type: 'flag', flag: '\\Seen', set: true }],
  ['UNSEEN', { type: 'flag', flag: '\\Seen', set: false }],
  ['RECENT', { type: 'flag', flag: '\\Recent', set: true }],
  ['OLD', { type: 'flag', flag: '\\Recent', set: false }],
  [
    'NEW',
    {
      type: 'and',
      keys: [
        { type: 'flag', flag: '\\Recent', set: true },
        { type: 'flag', flag: '\\Seen', set: false },
      ],
    },
  ],
  ['KEYWORD $Junk', { type: 'keyword', keyword: '$Junk', set: true }],
  ['UNKEYWORD foo', { type: 'keyword', keyword: 'foo', set: false }],
  ['BCC x', { type: 'header', field: 'bcc', value: 'x' }],
  ['CC "a b"', { type: 'header', field: 'cc', value: 'a b' }],
  ['FROM smith', { type: 'header', field: 'from', value: 'smith' }],
  ['TO "x@y"', { type: 'header', field: 'to', value: 'x@y' }],
  ['SUBJECT "caf\u00e9"', { type: 'header', field: 'subject', value: 'caf\u00e9' }],
  ['HEADER X-Spam-Flag YES', { type: 'header', field: 'x-spam-flag', value: 'YES' }],
  ['HEADER "Message-ID" ""', { type: 'header', field: 'message-id', value: '' }],
  ['BODY hello', { type: 'body', value: 'hello' }],
  ['TEXT hello', { type: 'text', value: 'hello' }],
  ['BEFORE 1-Feb-1994', { type: 'date', field: 'internal', op: 'before', date: { year: 1994, month: 2, day: 1 } }],
  ['ON "1-Feb-1994"', { type: 'date', field: 'internal', op: 'on', date: { year: 1994, month: 2, day: 1 } }],
  ['SINCE 1-Feb-1994', { type: 'date', field: 'internal', op: 'since', date: { year: 1994, month: 2, day: 1 } }],
  ['SENTBEFORE 1-Feb-1994', { type: 'date', field: 'sent', op: 'before', date: { year: 1994, month: 2, day: 1 } }],
  ['SENTON 1-Feb-1994', { type: 'date', field: 'sent', op: 'on', date: { year: 1994, month: 2, day: 1 } }],
  ['SENTSINCE 1-Feb-1994', { type: 'date', field: 'sent', op: 'since', date: { year: 1994, month: 2, day: 1 } }],
  ['LARGER 100', { type: 'size', op: 'larger', size: 100 }],
  ['SMALLER 0', { type: 'size', op: 'smaller', size: 0 }],
  ['UID 1:*', { type: 'uid', set: seq(1, '*') }],
  ['UID $', { type: 'uid', set: { kind: 'saved' } }],
  ['2:4', { type: 'sequence', set: seq(2, 4) }],
  ['*', { type: 'sequence', set: seq('*') }],
  ['$', { type: 'sequence', set: { kind: 'saved' } }],
  ['NOT SEEN', { type: 'not', key: { type: 'flag', flag: '\\Seen', set: true } }],
  [
    'OR SEEN (FLAGGED DRAFT)',
    {
      type: 'or',
      left: { type: 'flag', flag: '\\Seen', set: true },
      right: {
        type: 'and',
        keys: [
          { type: 'flag', flag: '\\Flagged', set: true },
          { type: 'flag', flag: '\\Draft', set: true },
        ],
      },
    },
  ],
  ['(SEEN)', { type: 'flag', flag: '\\Seen', set: true }],
  ['MODSEQ 0', { type: 'modseq', modseq: 0n, entry: null }],
  ['MODSEQ "/flags/\\\\Draft" all 620162338', { type: 'modseq', modseq: 620162338n, entry: { name: '/flags/\\Draft', type: 'all' } }],
  ['YOUNGER 3600', { type: 'age', op: 'younger', seconds: 3600 }],
  ['OLDER 60', { type: 'age', op: 'older', seconds: 60 }],
  ['SAVEDBEFORE 1-Feb-1994', { type: 'date', field: 'saved', op: 'before', date: { year: 1994, month: 2, day: 1 } }],
  ['savedon 01-Feb-1994', { type: 'date', field: 'saved', op: 'on', date: { year: 1994, month: 2, day: 1 } }],
  ['SAVEDSINCE "1-Feb-1994"', { type: 'date', field: 'saved', op: 'since', date: { year: 1994, month: 2, day: 1 } }],
  ['SAVEDATESUPPORTED', { type: 'all' }],
  [
    'FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"',
    {
      type: 'and',
      keys: [
        { type: 'flag', flag: '\\Flagged', set: true },
        { type: 'date', field: 'internal', op: 'since', date: { year: 1994, month: 2, day: 1 } },
        { type: 'not', key: { type: 'header', field: 'from', value: 'Smith' } },
      ],
    },
  ],
];

const bad: Array<[string, RegExp]> = [
  ['', /Expected search key/],
  ['FOO', /Unknown search key FOO/],
  ['X'.repeat(200), /^Unknown search key$/],
  ['(SEEN', /Expected \)/],
  ['SEEN)', /extra arguments/],
  ['()', /Expected search key/],
  ['OR SEEN', /Missing argument/],
  ['NOT', /Missing argument/],
  ['BEFORE 30-Feb-2020', /Invalid date/],
  ['BEFORE yesterday', /Invalid date/],
  ['SINCE', /Missing argument/],
  ['LARGER -1', /Expected size/],
  ['LARGER 99999999999', /out of range/],
  ['UID 0', /Invalid sequence set/],
  ['1,,2', /Invalid sequence set/],
  ['0', /Invalid sequence set/],
  ['HEADER "Bad:Name" x', /Invalid header name/],
  ['KEYWORD \\Seen', /Expected keyword/],
  ['MODSEQ "/bogus" all 1', /entry name/],
  ['MODSEQ "/flags/\\\\Seen" mine 1', /entry type/],
  ['YOUNGER 0', /non-zero/],
  ['SEEN  UNSEEN', /Expected search key/],
  ['TEXT "a\\x"', /Invalid escape/],
];

describe('search keys', () => {
  for (const [text, expected] of ok) {
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(key(text), expected));
  }
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text.slice(0, 40))}`, () =>
      assert.throws(() => key(text), (e: unknown) => e instanceof ImapParseError && e.status === 'BAD' && message.test(e.clientText)));
  }

  it('limits nesting: 1000 levels of parentheses', () => {
    assert.throws(() => key(`${'('.repeat(1000)}ALL${')'.repeat(1000)}`), /too deeply nested/);
  });
  it('limits nesting: a NOT chain', () => {
    assert.throws(() => key(`${'NOT '.repeat(1000)}ALL`), /too deeply nested/);
  });
  it('limits the number of keys', () => {
    assert.throws(
      () => readSearchProgram(TokenCursor.fromText(Array(50).fill('SEEN').join(' ')), { maxKeys: 10 }),
      /Too many search keys/,
    );
  });
  it('reads strings from literals', async () => {
    const c = new TokenCursor(await rawCommand('a X SUBJECT {5}\r\nhello'));
    c.readAtom();
    c.expectSpace();
    c.readAtom();
    c.expectSpace();
    assert.deepEqual(readSearchProgram(c).key, { type: 'header', field: 'subject', value: 'hello' });
  });
});

describe('search CHARSET', () => {
  it('accepts UTF-8 and US-ASCII case-insensitively', () => {
    assert.equal(readSearchProgram(TokenCursor.fromText('CHARSET utf-8 ALL')).charset, 'UTF-8');
    assert.equal(readSearchProgram(TokenCursor.fromText('charset "US-ASCII" ALL')).charset, 'US-ASCII');
    assert.equal(readSearchProgram(TokenCursor.fromText('ALL')).charset, null);
  });
  it('refuses others with NO [BADCHARSET (UTF-8 US-ASCII)]', () => {
    assert.throws(
      () => readSearchProgram(TokenCursor.fromText('CHARSET KOI8-R ALL')),
      (e: unknown) =>
        e instanceof ImapParseError &&
        e.status === 'NO' &&
        e.code?.name === 'BADCHARSET' &&
        JSON.stringify(e.code.args) === JSON.stringify([['UTF-8', 'US-ASCII']]),
    );
  });
});

describe('search RETURN options (RFC 4731)', () => {
  it('parses and normalises', () => {
    assert.deepEqual(readSearchReturnOptions(TokenCursor.fromText('(MIN max COUNT min)')), ['MIN', 'MAX', 'COUNT']);
    assert.deepEqual(readSearchReturnOptions(TokenCursor.fromText('()')), ['ALL']);
    assert.deepEqual(readSearchReturnOptions(TokenCursor.fromText('(SAVE)')), ['SAVE']);
  });
  it('refuses unknown options', () => assert.throws(() => readSearchReturnOptions(TokenCursor.fromText('(PARTIAL 1:5)')), ImapParseError));
  it('walks the tree', () => assert.equal(someSearchKey(key('OR SEEN NOT MODSEQ 5'), (k) => k.type === 'modseq'), true));
});
