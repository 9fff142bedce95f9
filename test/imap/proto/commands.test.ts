import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/imap/parse/command-line.js';
import type { ParsedCommand } from '../../../src/imap/parse/registry.js';
import type { RawCommand } from '../../../src/imap/proto/raw-command.js';
import { parseText } from './helpers.js';

const all = { kind: 'set', ranges: [{ start: 1, end: '*' }] };
const one = { kind: 'set', ranges: [{ start: 1, end: 1 }] };
const lit = (text: string, synchronizing = true) => ({
  kind: 'buffered',
  data: Buffer.from(text, 'latin1'),
  synchronizing,
  binary: false,
  hasNul: text.includes('\0'),
});

/** input → [command name, args] */
const ok: Array<[string, string, unknown]> = [
  ['a CAPABILITY', 'CAPABILITY', {}],
  ['a capability', 'CAPABILITY', {}],
  ['a NOOP', 'NOOP', {}],
  ['a LOGOUT', 'LOGOUT', {}],
  ['a STARTTLS', 'STARTTLS', {}],
  ['a CHECK', 'CHECK', {}],
  ['a CLOSE', 'CLOSE', {}],
  ['a UNSELECT', 'UNSELECT', {}],
  ['a EXPUNGE', 'EXPUNGE', {}],
  ['a IDLE', 'IDLE', {}],
  ['a NAMESPACE', 'NAMESPACE', {}],
  ['a]1 NOOP', 'NOOP', {}],
  ['a AUTHENTICATE plain', 'AUTHENTICATE', { mechanism: 'PLAIN', initialResponse: null }],
  ['a AUTHENTICATE PLAIN =', 'AUTHENTICATE', { mechanism: 'PLAIN', initialResponse: Buffer.alloc(0) }],
  ['a AUTHENTICATE PLAIN AGZvbwBiYXI=', 'AUTHENTICATE', { mechanism: 'PLAIN', initialResponse: Buffer.from('\0foo\0bar') }],
  ['a LOGIN fred "pass word"', 'LOGIN', { username: 'fred', password: 'pass word' }],
  ['a LOGIN {4}\r\nfred {3+}\r\nf"o', 'LOGIN', { username: 'fred', password: 'f"o' }],
  ['a SELECT inbox', 'SELECT', { mailbox: 'INBOX', condstore: false, qresync: null }],
  ['a SELECT "Entw&APw-rfe" (CONDSTORE)', 'SELECT', { mailbox: 'Entwürfe', condstore: true, qresync: null }],
  [
    'a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541 (1:5 1,3,5,7,9)))',
    'SELECT',
    {
      mailbox: 'INBOX',
      condstore: false,
      qresync: {
        uidValidity: 67890007,
        modSeq: 20050715194045000n,
        knownUids: {
          kind: 'set',
          ranges: [
            { start: 41, end: 41 },
            { start: 43, end: 211 },
            { start: 214, end: 541 },
          ],
        },
        seqMatch: {
          sequences: { kind: 'set', ranges: [{ start: 1, end: 5 }] },
          uids: {
            kind: 'set',
            ranges: [1, 3, 5, 7, 9].map((n) => ({ start: n, end: n })),
          },
        },
      },
    },
  ],
  [
    'a EXAMINE INBOX (QRESYNC (1 2))',
    'EXAMINE',
    { mailbox: 'INBOX', condstore: false, qresync: { uidValidity: 1, modSeq: 2n, knownUids: null, seqMatch: null } },
  ],
  ['a CREATE foo/bar', 'CREATE', { mailbox: 'foo/bar', specialUse: [] }],
  ['a CREATE MyDrafts (USE (\\drafts \\Sent))', 'CREATE', { mailbox: 'MyDrafts', specialUse: ['\\Drafts', '\\Sent'] }],
  ['a DELETE foo', 'DELETE', { mailbox: 'foo' }],
  ['a SUBSCRIBE foo', 'SUBSCRIBE', { mailbox: 'foo' }],
  ['a UNSUBSCRIBE "foo bar"', 'UNSUBSCRIBE', { mailbox: 'foo bar' }],
  ['a RENAME old "new one"', 'RENAME', { from: 'old', to: 'new one' }],
  [
    'a LIST "" *',
    'LIST',
    {
      reference: '',
      patterns: ['*'],
      selection: { subscribed: false, remote: false, recursiveMatch: false, specialUse: false },
      returnOptions: { subscribed: false, children: false, specialUse: false, status: null },
      extended: false,
    },
  ],
  [
    'a LIST (SUBSCRIBED RECURSIVEMATCH) "" (INBOX* "Sent*") RETURN (CHILDREN STATUS (MESSAGES UNSEEN))',
    'LIST',
    {
      reference: '',
      patterns: ['INBOX*', 'Sent*'],
      selection: { subscribed: true, remote: false, recursiveMatch: true, specialUse: false },
      returnOptions: { subscribed: false, children: true, specialUse: false, status: ['MESSAGES', 'UNSEEN'] },
      extended: true,
    },
  ],
  [
    'a LIST (SPECIAL-USE) ~/Mail/ % RETURN (SPECIAL-USE SUBSCRIBED)',
    'LIST',
    {
      reference: '~/Mail/',
      patterns: ['%'],
      selection: { subscribed: false, remote: false, recursiveMatch: false, specialUse: true },
      returnOptions: { subscribed: true, children: false, specialUse: true, status: null },
      extended: true,
    },
  ],
  ['a LSUB "#news." "comp.mail.*"', 'LSUB', { reference: '#news.', pattern: 'comp.mail.*' }],
  [
    'a STATUS INBOX (MESSAGES unseen UIDNEXT UIDVALIDITY RECENT HIGHESTMODSEQ SIZE APPENDLIMIT MESSAGES)',
    'STATUS',
    { mailbox: 'INBOX', items: ['MESSAGES', 'UNSEEN', 'UIDNEXT', 'UIDVALIDITY', 'RECENT', 'HIGHESTMODSEQ', 'SIZE', 'APPENDLIMIT'] },
  ],
  ['a APPEND INBOX {5}\r\nhello', 'APPEND', { mailbox: 'INBOX', messages: [{ flags: [], internalDate: null, literal: lit('hello'), utf8: false }] }],
  [
    'a APPEND Sent (\\Seen $Sent) "17-Jul-1996 02:44:25 -0700" {2+}\r\nhi (\\Draft) {3}\r\nbye',
    'APPEND',
    {
      mailbox: 'Sent',
      messages: [
        { flags: ['\\Seen', '$Sent'], internalDate: { timestamp: Date.UTC(1996, 6, 17, 9, 44, 25), offsetMinutes: -420 }, literal: lit('hi', false), utf8: false },
        { flags: ['\\Draft'], internalDate: null, literal: lit('bye'), utf8: false },
      ],
    },
  ],
  ['a UID EXPUNGE 1:5', 'UID EXPUNGE', { uids: { kind: 'set', ranges: [{ start: 1, end: 5 }] } }],
  ['a SEARCH ALL', 'SEARCH', { uid: false, returnOptions: null, charset: null, criteria: { type: 'all' } }],
  [
    'a UID SORT RETURN (MIN ALL) (REVERSE DATE) UTF-8 SEEN',
    'UID SORT',
    {
      uid: true,
      returnOptions: ['MIN', 'ALL'],
      criteria: [{ key: 'DATE', reverse: true }],
      charset: 'UTF-8',
      search: { type: 'flag', flag: '\\Seen', set: true },
    },
  ],
  ['a SORT RETURN () (SIZE) US-ASCII ALL', 'SORT', { uid: false, returnOptions: ['ALL'], criteria: [{ key: 'SIZE', reverse: false }], charset: 'US-ASCII', search: { type: 'all' } }],
  ['a SORT (ARRIVAL) UTF-8 ALL', 'SORT', { uid: false, returnOptions: null, criteria: [{ key: 'ARRIVAL', reverse: false }], charset: 'UTF-8', search: { type: 'all' } }],
  [
    'a UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 SEEN',
    'UID SEARCH',
    { uid: true, returnOptions: ['MIN', 'COUNT'], charset: 'UTF-8', criteria: { type: 'flag', flag: '\\Seen', set: true } },
  ],
  [
    'a FETCH 1:* (FLAGS UID)',
    'FETCH',
    { uid: false, sequence: all, items: [{ type: 'flags' }, { type: 'uid' }], macro: null, changedSince: null, vanished: false },
  ],
  [
    'a uid fetch 1:* fast (CHANGEDSINCE 5 VANISHED)',
    'UID FETCH',
    {
      uid: true,
      sequence: all,
      items: [{ type: 'flags' }, { type: 'internaldate' }, { type: 'rfc822.size' }],
      macro: 'FAST',
      changedSince: 5n,
      vanished: true,
    },
  ],
  [
    'a STORE 1 +FLAGS (\\Deleted)',
    'STORE',
    { uid: false, sequence: one, operation: 'add', silent: false, flags: ['\\Deleted'], unchangedSince: null },
  ],
  [
    'a UID STORE 1 -flags.silent \\Seen \\Flagged',
    'UID STORE',
    { uid: true, sequence: one, operation: 'remove', silent: true, flags: ['\\Seen', '\\Flagged'], unchangedSince: null },
  ],
  [
    'a STORE 1 (UNCHANGEDSINCE 0) FLAGS ()',
    'STORE',
    { uid: false, sequence: one, operation: 'set', silent: false, flags: [], unchangedSince: 0n },
  ],
  ['a COPY 1:* Trash', 'COPY', { uid: false, sequence: all, mailbox: 'Trash' }],
  ['a UID COPY 1 "Trash"', 'UID COPY', { uid: true, sequence: one, mailbox: 'Trash' }],
  ['a MOVE 1 inbox', 'MOVE', { uid: false, sequence: one, mailbox: 'INBOX' }],
  ['a UID MOVE 1:* Archive', 'UID MOVE', { uid: true, sequence: all, mailbox: 'Archive' }],
  ['a ID NIL', 'ID', { params: null }],
  ['a ID ("name" "sodr" "version" NIL)', 'ID', { params: [['name', 'sodr'], ['version', null]] }],
  ['a ENABLE condstore UTF8=ACCEPT CONDSTORE', 'ENABLE', { capabilities: ['CONDSTORE', 'UTF8=ACCEPT'] }],
  ['a GETQUOTA ""', 'GETQUOTA', { root: '' }],
  ['a GETQUOTAROOT INBOX', 'GETQUOTAROOT', { mailbox: 'INBOX' }],
  ['a SETQUOTA "" (STORAGE 512 message 1000)', 'SETQUOTA', { root: '', limits: [{ resource: 'STORAGE', limit: 512 }, { resource: 'MESSAGE', limit: 1000 }] }],
  ['a SETQUOTA "" ()', 'SETQUOTA', { root: '', limits: [] }],
];

/** input → [tag in the response (null = untagged), status, code or null, text pattern] */
const bad: Array<[string, string | null, 'BAD' | 'NO', string | null, RegExp]> = [
  ['+ NOOP', null, 'BAD', null, /Invalid tag/],
  ['* NOOP', null, 'BAD', null, /Invalid tag/],
  ['a+b NOOP', null, 'BAD', null, /Invalid tag/],
  ['a(b NOOP', null, 'BAD', null, /Invalid tag/],
  ['a"b NOOP', null, 'BAD', null, /Invalid tag/],
  ['a%b NOOP', null, 'BAD', null, /Invalid tag/],
  ['a*b NOOP', null, 'BAD', null, /Invalid tag/],
  ['a\\b NOOP', null, 'BAD', null, /Invalid tag/],
  ['a{b NOOP', null, 'BAD', null, /Invalid tag/],
  ['\u00e9 NOOP', null, 'BAD', null, /Invalid tag/],
  [' NOOP', null, 'BAD', null, /Invalid tag/],
  ['a', 'a', 'BAD', null, /Missing command/],
  ['a ', 'a', 'BAD', null, /Expected command name/],
  ['a FOO', 'a', 'BAD', null, /Unknown command FOO/],
  ['a UID FOO 1', 'a', 'BAD', null, /Unknown command UID FOO/],
  ['a UID', 'a', 'BAD', null, /Missing argument/],
  ['a UID SELECT INBOX', 'a', 'BAD', null, /Unknown command UID SELECT/],
  ['a NOOP extra', 'a', 'BAD', null, /extra arguments/],
  ['a NOOP ', 'a', 'BAD', null, /extra arguments/],
  ['a  NOOP', 'a', 'BAD', null, /Expected command name/],
  ['a AUTHENTICATE', 'a', 'BAD', null, /Missing argument/],
  ['a AUTHENTICATE PLAIN AGZvbwBiYXI', 'a', 'BAD', null, /Invalid base64/],
  ['a AUTHENTICATE PLAIN ====', 'a', 'BAD', null, /Invalid base64/],
  ['a LOGIN fred', 'a', 'BAD', null, /Missing argument/],
  ['a LOGIN fred pass extra', 'a', 'BAD', null, /extra arguments/],
  ['a LOGIN "fred pass', 'a', 'BAD', null, /Unterminated quoted/],
  ['a LOGIN {5}x y', 'a', 'BAD', null, /followed by CRLF/],
  ['a LOGIN {3}\r\na\0b x', 'a', 'BAD', null, /NUL/],
  ['a SELECT', 'a', 'BAD', null, /Missing argument/],
  ['a SELECT INBOX ()', 'a', 'BAD', null, /Empty select parameters/],
  ['a SELECT INBOX (FOO)', 'a', 'BAD', null, /Invalid select parameter/],
  ['a SELECT INBOX (CONDSTORE CONDSTORE)', 'a', 'BAD', null, /Invalid select parameter/],
  ['a SELECT INBOX (QRESYNC (0 1))', 'a', 'BAD', null, /non-zero/],
  ['a SELECT INBOX (QRESYNC (1 0))', 'a', 'BAD', null, /positive/],
  ['a SELECT INBOX (QRESYNC (1 2 1:*))', 'a', 'BAD', null, /Invalid sequence set/],
  ['a SELECT INBOX (QRESYNC (1 2 (1:2)))', 'a', 'BAD', null, /Expected space/],
  ['a SELECT &Jjo', 'a', 'NO', null, /modified UTF-7/],
  ['a CREATE x (USE (\\Bogus))', 'a', 'NO', 'USEATTR', /special-use/],
  ['a CREATE x (FOO)', 'a', 'BAD', null, /Invalid create parameter/],
  ['a LIST (RECURSIVEMATCH) "" *', 'a', 'BAD', null, /RECURSIVEMATCH/],
  ['a LIST (BOGUS) "" *', 'a', 'BAD', null, /selection option/],
  ['a LIST "" * BOGUS', 'a', 'BAD', null, /Expected RETURN/],
  ['a LIST "" * RETURN (BOGUS)', 'a', 'BAD', null, /return option/],
  ['a LIST "" ()', 'a', 'BAD', null, /Empty pattern list/],
  ['a LIST ""', 'a', 'BAD', null, /Missing argument/],
  ['a STATUS INBOX ()', 'a', 'BAD', null, /Empty status item list/],
  ['a STATUS INBOX (FOO)', 'a', 'BAD', null, /Unknown status item/],
  ['a STATUS INBOX MESSAGES', 'a', 'BAD', null, /Expected status item list/],
  ['a APPEND INBOX "hello"', 'a', 'BAD', null, /Invalid date/],
  ['a APPEND INBOX hello', 'a', 'BAD', null, /Expected message literal/],
  ['a APPEND INBOX "17-Jul-1996 02:44:25 -0700" "x"', 'a', 'BAD', null, /Expected message literal/],
  ['a APPEND INBOX', 'a', 'BAD', null, /Missing argument/],
  ['a APPEND INBOX (\\Recent) {1}\r\nx', 'a', 'BAD', null, /Recent/],
  ['a APPEND INBOX "31-Feb-2020 00:00:00 +0000" {1}\r\nx', 'a', 'BAD', null, /Invalid date/],
  ['a APPEND INBOX {3}\r\na\0b', 'a', 'BAD', null, /NUL/],
  ['a APPEND INBOX {1}\r\nx junk', 'a', 'BAD', null, /Expected message literal|Expected/],
  ['a EXPUNGE 1', 'a', 'BAD', null, /extra arguments/],
  ['a UID EXPUNGE', 'a', 'BAD', null, /Missing argument/],
  ['a SEARCH', 'a', 'BAD', null, /Missing argument/],
  ['a SEARCH CHARSET BIG5 ALL', 'a', 'NO', 'BADCHARSET', /charset/],
  ['a SEARCH RETURN (FOO) ALL', 'a', 'BAD', null, /return option/],
  ['a SORT RETURN (SAVE) (DATE) UTF-8 ALL', 'a', 'BAD', null, /SAVE is not a SORT return option/],
  ['a SORT RETURN (MIN (DATE) UTF-8 ALL', 'a', 'BAD', null, /return option|Expected/],
  ['a SORT RETURN (DATE) UTF-8 ALL', 'a', 'BAD', null, /return option/],
  ['a SORT RETURN (COUNT) UTF-8 ALL', 'a', 'BAD', null, /Expected|sort/],
  ['a FETCH 1 FLAGS (CHANGEDSINCE 5 VANISHED)', 'a', 'BAD', null, /VANISHED requires UID FETCH/],
  ['a FETCH 0 FLAGS', 'a', 'BAD', null, /Invalid sequence set/],
  ['a FETCH 1,,2 FLAGS', 'a', 'BAD', null, /Invalid sequence set/],
  ['a FETCH 1: FLAGS', 'a', 'BAD', null, /Invalid sequence set/],
  ['a FETCH :5 FLAGS', 'a', 'BAD', null, /Invalid sequence set|Expected/],
  ['a FETCH 1', 'a', 'BAD', null, /Missing argument/],
  ['a STORE 1 FLAGS \\Recent', 'a', 'BAD', null, /Recent/],
  ['a STORE 1 FLAGS (\\*)', 'a', 'BAD', null, /not a valid flag/],
  ['a STORE 1 XFLAGS (\\Seen)', 'a', 'BAD', null, /Invalid store item/],
  ['a STORE 1 +FLAGS', 'a', 'BAD', null, /Missing argument/],
  ['a STORE 1 (UNCHANGEDSINCE) FLAGS (x)', 'a', 'BAD', null, /Expected space/],
  ['a COPY 1', 'a', 'BAD', null, /Missing argument/],
  ['a MOVE $ ', 'a', 'BAD', null, /Expected mailbox/],
  ['a ID ()', 'a', 'BAD', null, /Expected quoted string|Expected/],
  ['a ID (name sodr)', 'a', 'BAD', null, /Expected/],
  ['a ID ("name")', 'a', 'BAD', null, /Expected space/],
  [`a ID ("${'x'.repeat(31)}" NIL)`, 'a', 'BAD', null, /field name too long/],
  [`a ID ("x" "${'v'.repeat(1025)}")`, 'a', 'BAD', null, /value too long/],
  [`a ID (${Array.from({ length: 31 }, (_, i) => `"f${i}" NIL`).join(' ')})`, 'a', 'BAD', null, /Too many ID parameters/],
  ['a ENABLE', 'a', 'BAD', null, /Missing argument/],
  ['a SETQUOTA "" (STORAGE 1 STORAGE 2)', 'a', 'BAD', null, /Duplicate/],
  ['a SETQUOTA "" (STORAGE)', 'a', 'BAD', null, /Expected space/],
];

describe('parseCommandLine: accepted commands', () => {
  for (const [input, name, args] of ok) {
    it(JSON.stringify(input.slice(0, 70)), async () => {
      const result = await parseText(input);
      assert.ok(result.ok, result.ok ? '' : `${result.error.status} ${result.error.clientText}`);
      assert.equal(result.command.name, name);
      assert.deepEqual(result.command.args, args);
    });
  }
});

describe('parseCommandLine: refused commands', () => {
  for (const [input, tag, status, code, text] of bad) {
    it(JSON.stringify(input.slice(0, 70)), async () => {
      const result = await parseText(input);
      assert.ok(!result.ok, 'expected a parse error');
      assert.equal(result.tag, tag);
      assert.equal(result.error.status, status);
      assert.equal(result.error.code?.name ?? null, code);
      assert.match(result.error.clientText, text);
      assert.doesNotMatch(result.error.clientText, /[\r\n]/);
    });
  }
});

describe('parseCommandLine: binary and UTF-8 forms', () => {
  const literal8 = (head: string, data: string, tail: string): RawCommand => ({
    segments: [Buffer.from(head), Buffer.from(tail)],
    literals: [{ kind: 'buffered', data: Buffer.from(data, 'latin1'), synchronizing: true, binary: true, hasNul: data.includes('\0') }],
  });

  it('APPEND accepts NUL inside literal8 (RFC 3516)', () => {
    const result = parseCommandLine(literal8('a APPEND INBOX ~{3}', 'a\0b', ''));
    assert.ok(result.ok && result.command.name === 'APPEND');
    assert.equal(result.command.args.messages[0]?.literal.binary, true);
  });

  it('APPEND accepts the RFC 6855 UTF8 (literal8) form', () => {
    const result = parseCommandLine(literal8('a APPEND INBOX UTF8 (~{2}', 'hi', ')'));
    assert.ok(result.ok && result.command.name === 'APPEND');
    assert.equal(result.command.args.messages[0]?.utf8, true);
  });

  it('refuses literal8 outside APPEND', () => {
    const result = parseCommandLine(literal8('a LOGIN ~{2}', 'hi', ' x'));
    assert.ok(!result.ok);
    assert.match(result.error.clientText, /literal8 not allowed/);
  });

  it('accepts streamed APPEND literals and refuses them elsewhere', () => {
    const streamed: RawCommand = {
      segments: [Buffer.from('a APPEND INBOX {100}'), Buffer.alloc(0)],
      literals: [{ kind: 'streamed', size: 100, synchronizing: true, binary: false, hasNul: false }],
    };
    const result = parseCommandLine(streamed);
    assert.ok(result.ok && result.command.name === 'APPEND');
    assert.deepEqual(result.command.args.messages[0]?.literal, streamed.literals[0]);
    const login = parseCommandLine({ ...streamed, segments: [Buffer.from('a LOGIN {100}'), Buffer.from(' x')] });
    assert.ok(!login.ok);
  });

  it('takes UTF-8 mailbox names as-is with UTF8=ACCEPT', async () => {
    const result = await parseText('a SELECT "Entwürfe"', { utf8Accept: true });
    assert.ok(result.ok && result.command.name === 'SELECT');
    assert.equal(result.command.args.mailbox, 'Entwürfe');
    const strict = await parseText('a SELECT "Entwürfe"');
    assert.ok(!strict.ok && strict.error.status === 'NO');
  });

  it('with UTF8=ACCEPT, SEARCH takes no CHARSET and SORT/THREAD only UTF-8 (RFC 6855 §3, erratum 4029)', async () => {
    const cases: Array<[string, boolean]> = [
      ['a SEARCH CHARSET UTF-8 ALL', false],
      ['a SEARCH CHARSET US-ASCII ALL', false],
      ['a SEARCH SUBJECT "grüße"', true],
      ['a SORT (DATE) US-ASCII ALL', false],
      ['a SORT (DATE) UTF-8 ALL', true],
      ['a THREAD REFERENCES US-ASCII ALL', false],
      ['a THREAD ORDEREDSUBJECT utf-8 ALL', true],
    ];
    for (const [line, ok] of cases) {
      const result = await parseText(line, { utf8Accept: true });
      assert.equal(result.ok, ok, line);
      if (!result.ok) assert.equal(result.error.status, 'BAD', line);
      assert.ok((await parseText(line.replace('"grüße"', '"gruss"'))).ok, `${line} without UTF8=ACCEPT`);
    }
  });

  it('parses GETMETADATA/SETMETADATA and refuses malformed ones (RFC 5464)', async () => {
    const cases: Array<[string, boolean]> = [
      ['a GETMETADATA INBOX /private/comment', true],
      ['a GETMETADATA (DEPTH infinity MAXSIZE 1024) "" (/shared /private/x)', true],
      ['a GETMETADATA (DEPTH 3) INBOX /private/x', false],
      ['a GETMETADATA (COLOR 1) INBOX /private/x', false],
      ['a GETMETADATA INBOX', false],
      ['a GETMETADATA INBOX ()', false],
      ['a SETMETADATA INBOX (/private/comment "x" /shared/y NIL)', true],
      ['a SETMETADATA INBOX (/private "x")', false],
      ['a SETMETADATA INBOX (/private/comment)', false],
      ['a SETMETADATA INBOX /private/comment "x"', false],
      ['a SETMETADATA INBOX (/private/%x "x")', false],
      [`a SETMETADATA INBOX (/private/${'x'.repeat(300)} "v")`, true],
    ];
    for (const [line, ok] of cases) {
      const result = await parseText(line);
      assert.equal(result.ok, ok, line.slice(0, 80));
      if (!result.ok) assert.equal(result.error.status, 'BAD', line.slice(0, 80));
    }
  });

  it('narrows args by command name', async () => {
    const describeCommand = (cmd: ParsedCommand): string => {
      switch (cmd.name) {
        case 'SELECT':
        case 'EXAMINE':
          return `open ${cmd.args.mailbox}`;
        case 'UID FETCH':
        case 'FETCH':
          return `fetch ${cmd.args.items.length}`;
        default:
          return cmd.name;
      }
    };
    const result = await parseText('a EXAMINE Sent');
    assert.ok(result.ok);
    assert.equal(describeCommand(result.command), 'open Sent');
  });
});
