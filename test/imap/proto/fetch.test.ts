import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImapParseError } from '../../../src/imap/errors.js';
import { TokenCursor } from '../../../src/imap/proto/cursor.js';
import {
  fetchItemResponseName,
  fetchItemSetsSeen,
  readFetchAttributes,
  readFetchModifiers,
  type FetchItem,
} from '../../../src/imap/proto/fetch.js';

function items(text: string): readonly FetchItem[] {
  const c = TokenCursor.fromText(text);
  const attrs = readFetchAttributes(c);
  c.expectEnd();
  return attrs.items;
}

const names: Array<[string, string[]]> = [
  ['FLAGS', ['FLAGS']],
  ['(UID rfc822.size INTERNALDATE ENVELOPE)', ['UID', 'RFC822.SIZE', 'INTERNALDATE', 'ENVELOPE']],
  ['(BODY BODYSTRUCTURE MODSEQ RFC822 RFC822.HEADER RFC822.TEXT)', ['BODY', 'BODYSTRUCTURE', 'MODSEQ', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']],
  ['FAST', ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']],
  ['(SAVEDATE UID)', ['SAVEDATE', 'UID']],
  ['all', ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']],
  ['FULL', ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY']],
  ['BODY[]', ['BODY[]']],
  ['BODY.PEEK[]<0.2048>', ['BODY[]<0>']],
  ['body[header]', ['BODY[HEADER]']],
  ['BODY[TEXT]<100.10>', ['BODY[TEXT]<100>']],
  ['BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]', ['BODY[HEADER.FIELDS (SUBJECT FROM)]']],
  ['BODY[header.fields.not (X-Foo "Weird(name)")]', ['BODY[HEADER.FIELDS.NOT (X-Foo "Weird(name)")]']],
  ['BODY[1]', ['BODY[1]']],
  ['BODY[1.2.3]', ['BODY[1.2.3]']],
  ['BODY[1.2.MIME]', ['BODY[1.2.MIME]']],
  ['BODY[2.HEADER]', ['BODY[2.HEADER]']],
  ['BODY[2.TEXT]', ['BODY[2.TEXT]']],
  ['BODY[3.HEADER.FIELDS (To)]', ['BODY[3.HEADER.FIELDS (To)]']],
  ['BINARY[1.2]', ['BINARY[1.2]']],
  ['BINARY.PEEK[]<5.10>', ['BINARY[]<5>']],
  ['BINARY.SIZE[1]', ['BINARY.SIZE[1]']],
  ['(FLAGS BODY.PEEK[1]<0.1> UID)', ['FLAGS', 'BODY[1]<0>', 'UID']],
];

const bad: Array<[string, RegExp]> = [
  ['', /Expected fetch attribute/],
  ['()', /Empty fetch attribute list/],
  ['(FLAGS', /Unterminated/],
  ['FLAGS)', /extra arguments/],
  ['(ALL)', /Unknown fetch attribute ALL/],
  ['X-GM-LABELS', /Unknown fetch attribute/],
  ['BODY[MIME]', /MIME requires a part/],
  ['BODY[0]', /non-zero/],
  ['BODY[1.]', /Invalid section/],
  ['BODY[1.0]', /non-zero/],
  ['BODY[TEXT.MIME]', /Invalid section/],
  ['BODY[HEADER.FIELDS]', /Expected space/],
  ['BODY[HEADER.FIELDS ()]', /Empty header list/],
  ['BODY[HEADER.FIELDS (Bad:Name)]', /Invalid header field name/],
  ['BODY[HEADER', /Expected \]/],
  ['BODY[]<0>', /Expected \./],
  ['BODY[]<0.0>', /non-zero/],
  ['BODY[]<1.2', /Expected >/],
  ['BINARY[1.HEADER]', /Expected \]/],
  ['BINARY.SIZE[1]<0.1>', /extra arguments/],
  ['RFC822.PEEK', /Unknown fetch attribute/],
  ['BODY.PEEK', /Unknown fetch attribute/],
  ['FOO[1]', /Unknown fetch attribute/],
];

describe('fetch attributes', () => {
  for (const [text, expected] of names) {
    it(`parses ${text}`, () => assert.deepEqual(items(text).map(fetchItemResponseName), expected));
  }
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () =>
      assert.throws(() => items(text), (e: unknown) => e instanceof ImapParseError && message.test(e.clientText)));
  }

  it('gives the full typed structure', () => {
    assert.deepEqual(items('BODY.PEEK[1.2.HEADER.FIELDS.NOT (A b)]<10.20>'), [
      {
        type: 'body-section',
        peek: true,
        section: { part: [1, 2], text: { kind: 'header.fields', not: true, fields: ['A', 'b'] } },
        partial: { origin: 10, length: 20 },
      },
    ]);
  });

  it('knows which items set \\Seen', () => {
    const seen = items('(BODY[] BODY.PEEK[] RFC822 RFC822.TEXT RFC822.HEADER BINARY[1] BINARY.PEEK[1] FLAGS)').map(fetchItemSetsSeen);
    assert.deepEqual(seen, [true, false, true, true, false, true, false, false]);
  });

  it('reports the macro', () => {
    assert.equal(readFetchAttributes(TokenCursor.fromText('FAST')).macro, 'FAST');
    assert.equal(readFetchAttributes(TokenCursor.fromText('FLAGS')).macro, null);
  });
});

describe('fetch modifiers (RFC 7162)', () => {
  it('parses CHANGEDSINCE and VANISHED', () => {
    assert.deepEqual(readFetchModifiers(TokenCursor.fromText('(CHANGEDSINCE 12345)'), false), { changedSince: 12345n, vanished: false });
    assert.deepEqual(readFetchModifiers(TokenCursor.fromText('(changedsince 7 vanished)'), true), { changedSince: 7n, vanished: true });
  });
  const badMods: Array<[string, boolean, RegExp]> = [
    ['(VANISHED CHANGEDSINCE 1)', false, /requires UID FETCH/],
    ['(VANISHED)', true, /requires CHANGEDSINCE/],
    ['(CHANGEDSINCE 0)', false, /positive/],
    ['(CHANGEDSINCE 1 CHANGEDSINCE 2)', false, /Invalid fetch modifier/],
    ['(FOO)', false, /Invalid fetch modifier/],
    ['()', false, /Expected fetch modifier/],
    ['(CHANGEDSINCE 99999999999999999999)', false, /out of range/],
  ];
  for (const [text, uid, message] of badMods) {
    it(`refuses ${text}`, () =>
      assert.throws(() => readFetchModifiers(TokenCursor.fromText(text), uid), (e: unknown) => e instanceof ImapParseError && message.test(e.clientText)));
  }
});
