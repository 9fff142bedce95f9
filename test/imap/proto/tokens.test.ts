import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImapParseError } from '../../../src/imap/errors.js';
import { TokenCursor } from '../../../src/imap/proto/cursor.js';
import { formatDateTime, parseDateText, parseDateTimeText, readDate, readDateTime } from '../../../src/imap/proto/dates.js';
import { encodeMailboxName, readFlag, readFlagList, readGeneric, readListPattern, readMailbox } from '../../../src/imap/proto/tokens.js';
import { rawCommand } from './helpers.js';

const ctx = { utf8Accept: false };

function throwsParse(fn: () => unknown, text?: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ImapParseError && (text === undefined || text.test(e.clientText)));
}

/** Cursor over a command framed by the reader, positioned after "a X ". */
async function cursorAfterPrefix(text: string): Promise<TokenCursor> {
  const c = new TokenCursor(await rawCommand(`a X ${text}`));
  c.readAtom();
  c.expectSpace();
  c.readAtom();
  c.expectSpace();
  return c;
}

describe('cursor primitives', () => {
  const ok: Array<[string, (c: TokenCursor) => unknown, unknown]> = [
    ['FOO', (c) => c.readAtom(), 'FOO'],
    ['a.b-c+d', (c) => c.readAtom(), 'a.b-c+d'],
    ['4294967295', (c) => c.readNumber(), 4294967295],
    ['0', (c) => c.readNumber(), 0],
    ['9223372036854775807', (c) => c.readNumber64(), 9223372036854775807n],
    ['"hello world"', (c) => c.readString(), 'hello world'],
    ['"a\\"b\\\\c"', (c) => c.readString(), 'a"b\\c'],
    ['""', (c) => c.readString(), ''],
    ['"caf\u00e9"', (c) => c.readString(), 'caf\u00e9'],
    ['foo]bar', (c) => c.readAstring(), 'foo]bar'],
    ['NIL', (c) => c.readNstring(), null],
    ['"NIL"', (c) => c.readNstring(), 'NIL'],
  ];
  for (const [input, fn, expected] of ok) {
    it(`reads ${JSON.stringify(input)}`, () => assert.deepEqual(fn(TokenCursor.fromText(input)), expected));
  }

  const bad: Array<[string, (c: TokenCursor) => unknown, RegExp]> = [
    ['4294967296', (c) => c.readNumber(), /out of range/],
    ['99999999999999999999', (c) => c.readNumber(), /out of range/],
    ['9223372036854775808', (c) => c.readNumber64(), /out of range/],
    ['0', (c) => c.readNzNumber(), /non-zero/],
    ['x', (c) => c.readNumber(), /Expected number/],
    ['"unterminated', (c) => c.readString(), /Unterminated/],
    ['"bad \\n escape"', (c) => c.readString(), /Invalid escape/],
    ['"nul \0 inside"', (c) => c.readString(), /Invalid character/],
    ['"cr \r inside"', (c) => c.readString(), /Invalid character/],
    ['"\xff\xfe"', (c) => c.readString(), /Invalid UTF-8/],
    ['(', (c) => c.readAstring(), /Expected string/],
    ['{5}x', (c) => c.readAstring(), /followed by CRLF/],
    ['{5}', (c) => c.readAstring(), /followed by CRLF/],
    ['%', (c) => c.readAtom(), /Expected atom/],
  ];
  for (const [input, fn, text] of bad) {
    it(`refuses ${JSON.stringify(input)}`, () => throwsParse(() => fn(TokenCursor.fromText(Buffer.from(input, 'latin1'))), text));
  }

  it('reads literals framed by the reader and continues after them', async () => {
    const c = await cursorAfterPrefix('{3}\r\nfoo {3+}\r\nbar');
    assert.equal(c.readAstring(), 'foo');
    c.expectSpace();
    assert.equal(c.readAstring(), 'bar');
    assert.ok(c.atEnd());
  });

  it('refuses NUL in a non-binary literal (RFC 3501 CHAR8)', async () => {
    const c = await cursorAfterPrefix('{3}\r\na\0b');
    throwsParse(() => c.readAstring(), /NUL/);
  });
});

describe('flags', () => {
  it('canonicalises system flags and keeps keywords', () => {
    assert.deepEqual(readFlagList(TokenCursor.fromText('(\\SEEN \\deleted $Forwarded \\Seen)')), ['\\Seen', '\\Deleted', '$Forwarded']);
    assert.deepEqual(readFlagList(TokenCursor.fromText('()')), []);
  });
  for (const [input, text] of [
    ['\\*', /not a valid flag/],
    ['\\Recent', /cannot be set/],
    ['\\Foo', /Invalid system flag/],
    ['"quoted"', /Expected flag/],
  ] as const) {
    it(`refuses ${input}`, () => throwsParse(() => readFlag(TokenCursor.fromText(input)), text));
  }
  it('allows \\Recent where asked', () => assert.equal(readFlag(TokenCursor.fromText('\\recent'), { allowRecent: true }), '\\Recent'));
  for (const input of ['(\\Seen', '(\\Seen  \\Draft)', '(\\Seen)x', '\\Seen)']) {
    it(`refuses malformed list ${input}`, () =>
      throwsParse(() => {
        const c = TokenCursor.fromText(input);
        readFlagList(c);
        c.expectEnd();
      }));
  }
});

describe('lists and mailboxes', () => {
  it('reads a generic nested tree', () => {
    assert.deepEqual(readGeneric(TokenCursor.fromText('(a (b NIL "c") ())')), ['a', ['b', null, 'c'], []]);
  });
  it('refuses 1000 levels of nesting without exhausting the stack', () => {
    throwsParse(() => readGeneric(TokenCursor.fromText(`${'('.repeat(1000)}a${')'.repeat(1000)}`)), /nested/);
  });
  it('refuses unbalanced parentheses', () => {
    throwsParse(() => readGeneric(TokenCursor.fromText('(a (b)')), /Unterminated/);
  });
  it('normalises INBOX and decodes modified UTF-7', () => {
    assert.equal(readMailbox(TokenCursor.fromText('inbox'), ctx), 'INBOX');
    assert.equal(readMailbox(TokenCursor.fromText('"Inbox"'), ctx), 'INBOX');
    assert.equal(readMailbox(TokenCursor.fromText('INBOX.sub'), ctx), 'INBOX.sub');
    assert.equal(readMailbox(TokenCursor.fromText('Entw&APw-rfe'), ctx), 'Entwürfe');
    assert.equal(readMailbox(TokenCursor.fromText('"Entwürfe"'), { utf8Accept: true }), 'Entwürfe');
  });
  it('refuses bad modified UTF-7 with NO', () => {
    assert.throws(
      () => readMailbox(TokenCursor.fromText('&Jjo'), ctx),
      (e: unknown) => e instanceof ImapParseError && e.status === 'NO',
    );
  });
  it('encodes mailbox names for responses per context', () => {
    assert.equal(encodeMailboxName('Entwürfe', ctx), 'Entw&APw-rfe');
    assert.equal(encodeMailboxName('Entwürfe', { utf8Accept: true }), 'Entwürfe');
  });
  it('reads LIST patterns with wildcards', () => {
    assert.equal(readListPattern(TokenCursor.fromText('INBOX.%'), ctx), 'INBOX.%');
    assert.equal(readListPattern(TokenCursor.fromText('*'), ctx), '*');
    assert.equal(readListPattern(TokenCursor.fromText('""'), ctx), '');
  });
});

describe('dates', () => {
  it('parses date-text in both quoted and bare form', () => {
    assert.deepEqual(readDate(TokenCursor.fromText('1-Feb-1994')), { year: 1994, month: 2, day: 1 });
    assert.deepEqual(readDate(TokenCursor.fromText('"29-feb-2024"')), { year: 2024, month: 2, day: 29 });
    assert.deepEqual(parseDateText('01-Jan-0001'), { year: 1, month: 1, day: 1 });
  });
  for (const bad of ['30-Feb-2024', '29-Feb-2023', '1-Foo-2024', '1-Jan-24', '123-Jan-2024', '0-Jan-2024', '1/Jan/2024', '']) {
    it(`refuses date ${JSON.stringify(bad)}`, () => throwsParse(() => parseDateText(bad), /Invalid date/));
  }
  it('parses date-time with zone', () => {
    const dt = readDateTime(TokenCursor.fromText('"17-Jul-1996 02:44:25 -0700"'));
    assert.equal(dt.offsetMinutes, -420);
    assert.equal(new Date(dt.timestamp).toISOString(), '1996-07-17T09:44:25.000Z');
    assert.equal(formatDateTime(dt.timestamp, dt.offsetMinutes), '17-Jul-1996 02:44:25 -0700');
    assert.equal(parseDateTimeText(' 1-Jan-2000 00:00:00 +0000').timestamp, Date.UTC(2000, 0, 1));
  });
  for (const bad of [
    '17-Jul-1996 02:44:25',
    '17-Jul-1996 24:00:00 +0000',
    '17-Jul-1996 02:60:00 +0000',
    '17-Jul-1996 02:44:25 +2400',
    '17-Jul-1996 2:44:25 +0000',
    '1-Jul-1996 02:44:25 +0000',
    ' 0-Jul-1996 02:44:25 +0000',
    '31-Apr-1996 02:44:25 +0000',
  ]) {
    it(`refuses date-time ${JSON.stringify(bad)}`, () => throwsParse(() => parseDateTimeText(bad), /Invalid date/));
  }
  it('demands quotes around date-time', () => throwsParse(() => readDateTime(TokenCursor.fromText('17-Jul-1996')), /Expected date-time/));
});
