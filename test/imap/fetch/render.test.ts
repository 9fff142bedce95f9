/**
 * fetchResponse on a real store: simple items, ordering, summaries, the
 * per-recipient prefix, partials at every boundary, missing parts, NUL
 * handling and streaming of large bodies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchResponse, needsFullRecord, type FetchRenderContext } from '../../../src/imap/fetch/render.js';
import type { MessageRecord } from '../../../src/storage/types.js';
import { fetchItems, openTestStore, putMessage, wireText, type TestStore } from './helpers.js';

const crlf = (...lines: string[]): string => lines.join('\r\n');

const SIMPLE = Buffer.from(
  crlf('From: Alice <alice@example.org>', 'Subject: Hello', 'X-Folded: one', '\ttwo', 'Date: Tue, 5 Mar 2024 10:15:00 +0100', '', 'Body line 1', 'Body line 2', ''),
);
const PREFIX = Buffer.from('Delivered-To: bob@example.net\r\nReturn-Path: <alice@example.org>\r\n');

let t: TestStore;
let ctx: FetchRenderContext;
let plain: MessageRecord;
let prefixed: MessageRecord;

async function fetchText(record: MessageRecord, items: string, extra: Partial<FetchRenderContext> = {}): Promise<string> {
  return wireText(await fetchResponse(record, fetchItems(items), { ...ctx, ...extra }));
}

/** A literal as the writer sends it. */
const lit = (s: string): string => `{${Buffer.byteLength(s, 'latin1')}}\r\n${s}`;

before(async () => {
  t = await openTestStore();
  ctx = { store: t.store, includeUid: false, includeModseq: false };
  plain = await putMessage(t, SIMPLE, { flags: ['\\Seen', '$Label1'], date: new Date(2024, 2, 5, 9, 30, 0) });
  prefixed = await putMessage(t, SIMPLE, { prefix: PREFIX });
});
after(async () => t.close());

describe('needsFullRecord', () => {
  const cases: Array<[string, boolean]> = [
    ['(UID FLAGS)', false],
    ['(UID FLAGS MODSEQ INTERNALDATE RFC822.SIZE)', false],
    ['FAST', false],
    ['ALL', true],
    ['(FLAGS ENVELOPE)', true],
    ['BODYSTRUCTURE', true],
    ['BODY.PEEK[HEADER.FIELDS (SUBJECT)]', true],
    ['RFC822.HEADER', true],
    ['BINARY.SIZE[1]', true],
  ];
  for (const [items, want] of cases) it(items, () => assert.equal(needsFullRecord(fetchItems(items)), want));
  // With stored renditions usable, the header listing is answered from summary columns too; sections never are.
  const withRenditions: Array<[string, boolean]> = [
    ['ALL', false],
    ['FULL', false],
    ['(UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE)', false],
    ['(ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT)])', true],
    ['(BODYSTRUCTURE EMAILID)', true],
    ['(BODYSTRUCTURE THREADID)', true],
  ];
  for (const [items, want] of withRenditions) it(`${items} with renditions`, () => assert.equal(needsFullRecord(fetchItems(items), true), want));
});

describe('simple items', () => {
  it('renders UID, FLAGS, MODSEQ, RFC822.SIZE and INTERNALDATE in the local zone', async () => {
    const text = await fetchText(plain, '(UID FLAGS MODSEQ RFC822.SIZE INTERNALDATE)');
    const offset = -plain.internalDate.getTimezoneOffset();
    const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    assert.equal(
      text,
      `(UID ${plain.uid} FLAGS (\\Seen $Label1) MODSEQ (${plain.modseq}) RFC822.SIZE ${SIMPLE.length} INTERNALDATE "05-Mar-2024 09:30:00 ${zone}")`,
    );
  });

  it('puts UID first for UID FETCH, appends MODSEQ under CONDSTORE, and answers each name once', async () => {
    const text = await fetchText(plain, '(FLAGS BODY[1] BODY.PEEK[1] UID FLAGS)', { includeUid: true, includeModseq: true });
    assert.equal(text, `(UID ${plain.uid} FLAGS (\\Seen $Label1) BODY[1] ${lit('Body line 1\r\nBody line 2\r\n')} MODSEQ (${plain.modseq}))`);
  });

  it('adds \\Recent when the session holds it', async () => {
    assert.equal(await fetchText(plain, 'FLAGS', { recent: (uid) => uid === plain.uid }), '(FLAGS (\\Seen $Label1 \\Recent))');
    assert.equal(await fetchText(plain, 'FLAGS', { recent: () => false }), '(FLAGS (\\Seen $Label1))');
  });

  it('answers summary-only items from a MessageSummary and refuses the rest', async () => {
    const [summary] = await t.store.messages.list(t.mailbox.id, { ranges: [[plain.uid, plain.uid]], limit: 1 });
    assert.ok(summary);
    const values = await fetchResponse(summary, fetchItems('(UID FLAGS RFC822.SIZE)'), ctx);
    assert.equal(await wireText(values), `(UID ${plain.uid} FLAGS (\\Seen $Label1) RFC822.SIZE ${SIMPLE.length})`);
    assert.throws(() => fetchResponse(summary, fetchItems('ENVELOPE'), ctx), TypeError);
    assert.throws(() => fetchResponse(summary, fetchItems('BODY.PEEK[1]'), ctx), TypeError);
  });

  it('renders ENVELOPE, BODY and BODYSTRUCTURE from the record', async () => {
    assert.equal(
      await fetchText(plain, '(ENVELOPE BODY BODYSTRUCTURE)'),
      '(ENVELOPE ("Tue, 5 Mar 2024 10:15:00 +0100" "Hello" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) ' +
        '(("Alice" NIL "alice" "example.org")) NIL NIL NIL NIL NIL) ' +
        'BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 26 2) ' +
        'BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 26 2 NIL NIL NIL NIL))',
    );
  });
});

describe('the per-recipient prefix is part of the top-level header', () => {
  const header = crlf('From: Alice <alice@example.org>', 'Subject: Hello', 'X-Folded: one', '\ttwo', 'Date: Tue, 5 Mar 2024 10:15:00 +0100', '', '');
  const fullHeader = PREFIX.toString('latin1') + header;
  const body = 'Body line 1\r\nBody line 2\r\n';
  const cases: Array<[string, string]> = [
    ['RFC822.SIZE', `(RFC822.SIZE ${PREFIX.length + SIMPLE.length})`],
    ['BODY.PEEK[]', `(BODY[] ${lit(fullHeader + body)})`],
    ['RFC822', `(RFC822 ${lit(fullHeader + body)})`],
    ['BODY.PEEK[HEADER]', `(BODY[HEADER] ${lit(fullHeader)})`],
    ['RFC822.HEADER', `(RFC822.HEADER ${lit(fullHeader)})`],
    ['BODY.PEEK[TEXT]', `(BODY[TEXT] ${lit(body)})`],
    ['RFC822.TEXT', `(RFC822.TEXT ${lit(body)})`],
    ['BODY.PEEK[1]', `(BODY[1] ${lit(body)})`],
    // Part 1 of a single-part message is the message: its MIME header is the whole header, prefix included.
    ['BODY.PEEK[1.MIME]', `(BODY[1.MIME] ${lit(fullHeader)})`],
    ['BODY.PEEK[HEADER.FIELDS (return-path SUBJECT)]', `(BODY[HEADER.FIELDS (return-path SUBJECT)] ${lit('Return-Path: <alice@example.org>\r\nSubject: Hello\r\n\r\n')})`],
    ['BODY.PEEK[HEADER.FIELDS.NOT (Delivered-To Return-Path From Date)]', `(BODY[HEADER.FIELDS.NOT (Delivered-To Return-Path From Date)] ${lit('Subject: Hello\r\nX-Folded: one\r\n\ttwo\r\n\r\n')})`],
    // Partials that straddle the end of the prefix.
    ['BODY.PEEK[]<20.30>', `(BODY[]<20> ${lit((fullHeader + body).slice(20, 50))})`],
    [`BODY.PEEK[HEADER]<${PREFIX.length - 3}.6>`, `(BODY[HEADER]<${PREFIX.length - 3}> ${lit(fullHeader.slice(PREFIX.length - 3, PREFIX.length + 3))})`],
  ];
  for (const [items, want] of cases) it(items, async () => assert.equal(await fetchText(prefixed, items), want));

  it('leaves a message without prefix unchanged', async () => {
    assert.equal(await fetchText(plain, 'BODY.PEEK[HEADER.FIELDS (Delivered-To)]'), `(BODY[HEADER.FIELDS (Delivered-To)] ${lit('\r\n')})`);
  });
});

describe('partials at the boundaries', () => {
  const whole = SIMPLE.toString('latin1');
  const size = SIMPLE.length;
  const cases: Array<[string, string]> = [
    ['BODY.PEEK[]<0.1>', `(BODY[]<0> ${lit(whole.slice(0, 1))})`],
    [`BODY.PEEK[]<${size - 1}.1>`, `(BODY[]<${size - 1}> ${lit(whole.slice(-1))})`],
    [`BODY.PEEK[]<${size - 1}.100>`, `(BODY[]<${size - 1}> ${lit(whole.slice(-1))})`],
    [`BODY.PEEK[]<${size}.1>`, `(BODY[]<${size}> {0}\r\n)`],
    [`BODY.PEEK[]<${size + 1000}.10>`, `(BODY[]<${size + 1000}> {0}\r\n)`],
    ['BODY.PEEK[]<0.4294967295>', `(BODY[]<0> ${lit(whole)})`],
    ['BODY.PEEK[TEXT]<0.4>', `(BODY[TEXT]<0> ${lit('Body')})`],
    ['BODY.PEEK[TEXT]<25.10>', `(BODY[TEXT]<25> ${lit('\n')})`],
    ['BODY.PEEK[HEADER.FIELDS (SUBJECT)]<9.100>', `(BODY[HEADER.FIELDS (SUBJECT)]<9> ${lit('Hello\r\n\r\n')})`],
    ['BODY.PEEK[HEADER.FIELDS (SUBJECT)]<16.1>', `(BODY[HEADER.FIELDS (SUBJECT)]<16> ${lit('\r')})`],
    ['BODY.PEEK[HEADER.FIELDS (SUBJECT)]<18.1>', `(BODY[HEADER.FIELDS (SUBJECT)]<18> {0}\r\n)`],
  ];
  for (const [items, want] of cases) it(items, async () => assert.equal(await fetchText(plain, items), want));
});

describe('missing parts and impossible sections are empty, as Dovecot answers', () => {
  const cases = ['BODY.PEEK[2]', 'BODY.PEEK[1.1]', 'BODY.PEEK[2.MIME]', 'BODY.PEEK[1.HEADER]', 'BODY.PEEK[1.TEXT]', 'BODY.PEEK[9.9.9]', 'BINARY.PEEK[3]'];
  for (const items of cases) {
    it(items, async () => {
      const text = await fetchText(plain, items);
      assert.match(text, /^\((BODY|BINARY)\[[0-9.A-Z]+\] \{0\}\r\n\)$/);
    });
  }
  it('BINARY.SIZE of a missing part is 0', async () => assert.equal(await fetchText(plain, 'BINARY.SIZE[4]'), '(BINARY.SIZE[4] 0)'));
});

describe('NUL octets and large bodies', () => {
  it('sends NUL as 0x80 in BODY[] (RFC 3501 CHAR8) and as is in a BINARY literal8', async () => {
    const raw = Buffer.from(crlf('Subject: nul', 'Content-Transfer-Encoding: binary', '', 'a\u0000b', ''), 'latin1');
    const record = await putMessage(t, raw);
    assert.equal(await fetchText(record, 'BODY.PEEK[1]'), `(BODY[1] {5}\r\na\u0080b\r\n)`);
    assert.equal(await fetchText(record, 'BINARY.PEEK[1]'), `(BINARY[1] ~{5}\r\na\u0000b\r\n)`);
    assert.equal(await fetchText(record, 'BODY.PEEK[]<0.3>'), '(BODY[]<0> {3}\r\nSub)');
  });

  it('streams a large body from storage instead of holding it', async () => {
    const line = 'x'.repeat(998);
    const body = Array.from({ length: 3000 }, () => line).join('\r\n');
    const raw = Buffer.from(crlf('Subject: big', '', body));
    const record = await putMessage(t, raw);
    const values = await fetchResponse(record, fetchItems('(BODY.PEEK[TEXT] BODY.PEEK[]<1000000.10>)'), ctx);
    const stream = values[1];
    assert.ok(stream !== null && typeof stream === 'object' && 'kind' in stream && stream.kind === 'stream', 'BODY[TEXT] is a streamed literal');
    assert.equal(stream.size, body.length);
    const text = await wireText(values);
    assert.ok(text.startsWith(`(BODY[TEXT] {${body.length}}\r\nxxx`));
    assert.ok(text.endsWith(`BODY[]<1000000> {10}\r\n${raw.toString('latin1', 1000000, 1000010)})`));
  });
});
