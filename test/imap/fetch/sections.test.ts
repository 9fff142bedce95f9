/**
 * Section → octets on a real store, checked against slices of the raw
 * message found by content (independent of the scanner's offsets): parts
 * inside nested message/rfc822, HEADER/TEXT/MIME of embedded messages,
 * bare-LF messages, and a top-level header too large for the stored copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchResponse } from '../../../src/imap/fetch/render.js';
import type { MessageRecord } from '../../../src/storage/types.js';
import { loadCorpus } from './corpus.js';
import { fetchItems, openTestStore, putMessage, wireBytes, type TestStore } from './helpers.js';

let t: TestStore;

/** The octets of one BODY[...] item, from the wire form `(NAME {n}\r\n<octets>)`. */
async function sectionBytes(record: MessageRecord, item: string): Promise<string> {
  const wire = (await wireBytes(await fetchResponse(record, fetchItems(item), { store: t.store, includeUid: false, includeModseq: false }))).toString('latin1');
  const m = /^\([^{]*\{(\d+)\}\r\n/.exec(wire);
  assert.ok(m !== null, `${item}: not a literal: ${wire.slice(0, 80)}`);
  const start = m[0].length;
  const octets = wire.slice(start, start + Number(m[1]));
  assert.equal(wire.slice(start + octets.length), ')');
  return octets;
}

/** raw[from, to) where `from` is where `start` occurs (after `after`) and `to` is where `end` occurs after it. */
function between(raw: string, start: string, end: string | null, after = 0): string {
  const from = raw.indexOf(start, after);
  assert.ok(from >= 0, `"${start}" not in message`);
  if (end === null) return raw.slice(from);
  const to = raw.indexOf(end, from);
  assert.ok(to >= 0, `"${end}" not after "${start}"`);
  return raw.slice(from, to);
}

before(async () => {
  t = await openTestStore();
});
after(async () => t.close());

describe('nested message/rfc822 sections (22-deep-nesting)', () => {
  let record: MessageRecord;
  let raw: string;
  before(async () => {
    const m = loadCorpus().find((c) => c.name === '22-deep-nesting');
    assert.ok(m);
    raw = m.raw.toString('latin1');
    record = await putMessage(t, m.raw);
  });

  const inner = (r: string): number => r.indexOf('From: Yan');
  const cases: Array<[string, (r: string) => string]> = [
    ['BODY.PEEK[1]', (r) => 'Top-level text.'],
    // Part 2 is a message/rfc822: its body is the whole embedded message.
    ['BODY.PEEK[2]', (r) => between(r, 'From: Yan', '\r\n\r\n--L1\r\nContent-Type: message/rfc822; name') + '\r\n'],
    ['BODY.PEEK[2.MIME]', (r) => 'Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n'],
    ['BODY.PEEK[2.HEADER]', (r) => between(r, 'From: Yan', '--L2') ],
    ['BODY.PEEK[2.HEADER.FIELDS (subject MESSAGE-ID)]', (r) => 'Subject: inner with alternatives\r\nMessage-ID: <inner-22@example.com>\r\n\r\n'],
    ['BODY.PEEK[2.HEADER.FIELDS.NOT (From To Date Subject Message-ID)]', (r) => 'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="L2"\r\n\r\n'],
    ['BODY.PEEK[2.TEXT]', (r) => between(r, '--L2\r\n', '\r\n\r\n--L1\r\nContent-Type: message/rfc822; name', inner(r)) + '\r\n'],
    ['BODY.PEEK[2.1]', (r) => 'Inner plain.'],
    ['BODY.PEEK[2.1.MIME]', (r) => 'Content-Type: text/plain; charset=utf-8\r\n\r\n'],
    ['BODY.PEEK[2.2]', (r) => between(r, '--L3\r\nContent-Type: text/html', '\r\n--L2--')],
    ['BODY.PEEK[2.2.1]', (r) => '<p>Inner <img src="cid:img@x"></p>'],
    ['BODY.PEEK[2.2.2]', (r) => 'R0lGODlhAQABAAAAACw='],
    // 2.2.3 is a message/rfc822 inside multipart/related inside a message inside multipart/mixed.
    ['BODY.PEEK[2.2.3]', (r) => 'Subject: innermost\r\nFrom: Zoe <zoe@example.com>\r\n\r\nInnermost single-part body.'],
    ['BODY.PEEK[2.2.3.HEADER]', (r) => 'Subject: innermost\r\nFrom: Zoe <zoe@example.com>\r\n\r\n'],
    ['BODY.PEEK[2.2.3.TEXT]', (r) => 'Innermost single-part body.'],
    // Its body is not multipart, so it is its part 1, whose MIME header is the embedded message's header.
    ['BODY.PEEK[2.2.3.1]', (r) => 'Innermost single-part body.'],
    ['BODY.PEEK[2.2.3.1.MIME]', (r) => 'Subject: innermost\r\nFrom: Zoe <zoe@example.com>\r\n\r\n'],
    ['BODY.PEEK[2.2.3.MIME]', (r) => 'Content-Type: message/rfc822\r\n\r\n'],
    ['BODY.PEEK[2.2.3.2]', () => ''],
    ['BODY.PEEK[2.2.3.1.1]', () => ''],
    // A leaf's ".1" is itself once (Dovecot), never twice.
    ['BODY.PEEK[2.2.1.1]', (r) => '<p>Inner <img src="cid:img@x"></p>'],
    ['BODY.PEEK[2.2.1.1.1]', () => ''],
    ['BODY.PEEK[2.3]', () => ''],
    // A base64 message/rfc822 is not parsed: a leaf without HEADER/TEXT.
    ['BODY.PEEK[3]', (r) => between(r, 'RnJvbTog', '\r\n--L1')],
    ['BODY.PEEK[3.HEADER]', () => ''],
    ['BODY.PEEK[4.1]', (r) => 'Caf\u00c3\u00a9 body of a single-part attached message.'],
    ['BODY.PEEK[4.HEADER.FIELDS (Content-Transfer-Encoding)]', () => 'Content-Transfer-Encoding: 8bit\r\n\r\n'],
    ['BODY.PEEK[TEXT]<0.30>', () => 'Preamble that is not a part.\r\n'],
  ];
  for (const [item, want] of cases) it(item, async () => assert.equal(await sectionBytes(record, item), want(raw)));

  it('BINARY decodes the base64 message/rfc822 and the base64 GIF', async () => {
    assert.equal(await sectionBytes(record, 'BINARY.PEEK[3]'), 'From: a@example.com\r\nSubject: base64 message\r\n\r\nBody.\r\n');
    assert.equal(await sectionBytes(record, 'BINARY.PEEK[2.2.2]'), Buffer.from('R0lGODlhAQABAAAAACw=', 'base64').toString('latin1'));
  });
});

describe('a message/rfc822 that is the whole message (06-nested-rfc822)', () => {
  let record: MessageRecord;
  before(async () => {
    const m = loadCorpus().find((c) => c.name === '06-nested-rfc822');
    assert.ok(m);
    record = await putMessage(t, m.raw);
  });
  const cases: Array<[string, string]> = [
    ['BODY.PEEK[1.HEADER.FIELDS (From)]', 'From: Ken <ken@example.com>\r\n\r\n'],
    ['BODY.PEEK[1.1]', 'Ken says: forwarding again.'],
    ['BODY.PEEK[1.1.MIME]', '\r\n'],
    ['BODY.PEEK[1.2.MIME]', 'Content-Type: message/rfc822\r\nContent-Description: original\r\n\r\n'],
    ['BODY.PEEK[1.2.HEADER.FIELDS (SUBJECT)]', 'Subject: old thread\r\n\r\n'],
    ['BODY.PEEK[1.2.1]', 'The original text.\r\nSecond line.'],
    ['BODY.PEEK[1.2.TEXT]<4.8>', 'original'],
  ];
  for (const [item, want] of cases) it(item, async () => assert.equal(await sectionBytes(record, item), want));
});

describe('bare-LF messages are served byte for byte', () => {
  const raw = 'From: a@example.com\nSubject: lf\nX-Fold: a\n b\n\nline 1\nline 2\n';
  let record: MessageRecord;
  before(async () => {
    record = await putMessage(t, Buffer.from(raw));
  });
  const cases: Array<[string, string]> = [
    ['BODY.PEEK[HEADER]', 'From: a@example.com\nSubject: lf\nX-Fold: a\n b\n\n'],
    ['BODY.PEEK[HEADER.FIELDS (X-FOLD)]', 'X-Fold: a\n b\n\n'],
    ['BODY.PEEK[HEADER.FIELDS (Nothing)]', '\n'],
    ['BODY.PEEK[TEXT]', 'line 1\nline 2\n'],
    ['BODY.PEEK[1]<5.4>', '1\nli'],
  ];
  for (const [item, want] of cases) it(item, async () => assert.equal(await sectionBytes(record, item), want));
});

describe('a top-level header larger than the stored copy', () => {
  // Storage keeps 1 MiB of the header block; the rest of the header must still be served.
  const filler = Array.from({ length: 12_000 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(80)}\r\n`).join('');
  const raw = `Subject: huge header\r\n${filler}X-Last: end\r\n\r\nbody\r\n`;
  let record: MessageRecord;
  before(async () => {
    record = await putMessage(t, Buffer.from(raw));
  });
  it('serves [HEADER] in full from the blob', async () => {
    assert.ok(record.header.length < raw.length - 6, 'the stored header block is truncated');
    assert.equal(await sectionBytes(record, 'BODY.PEEK[HEADER]'), raw.slice(0, raw.length - 6));
  });
  it('filters HEADER.FIELDS over what is stored', async () => {
    assert.equal(await sectionBytes(record, 'BODY.PEEK[HEADER.FIELDS (SUBJECT X-Filler-1)]'), `Subject: huge header\r\nX-Filler-1: ${'y'.repeat(80)}\r\n\r\n`);
    assert.equal(await sectionBytes(record, 'BODY.PEEK[TEXT]'), 'body\r\n');
  });
});
