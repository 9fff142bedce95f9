import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessageBuffer } from '../../src/mime/scanner.js';
import { listId, makePreview, messageIds } from '../../src/mime/facts.js';
import type { ParsedMessage } from '../../src/mime/types.js';

const crlf = (...lines: string[]): string => lines.join('\r\n');
const parse = (s: string, textLimit?: number): ParsedMessage =>
  parseMessageBuffer(Buffer.from(s, 'utf8'), textLimit === undefined ? {} : { textLimit });

function mixed(...parts: string[][]): string {
  return crlf('Content-Type: multipart/mixed; boundary=b', '', ...parts.flatMap((p) => ['--b', ...p]), '--b--');
}

test('attachment rules', () => {
  const m = parse(
    mixed(
      ['Content-Type: text/plain; name=body.txt', '', 'main body, named but first'],
      ['Content-Type: text/plain', 'Content-Disposition: attachment', '', 'attached text, no name'],
      ['Content-Type: text/plain; name=notes.txt', '', 'named text after the body'],
      ['Content-Type: text/plain', '', 'inline text without name'],
      ['Content-Type: text/calendar', '', 'BEGIN:VCALENDAR'],
      ['Content-Type: application/octet-stream', '', 'AAAA'],
      ['Content-Type: image/gif', 'Content-ID: <img1>', '', 'R0lG'],
      ['Content-Type: image/gif', 'Content-ID: <img2>', 'Content-Disposition: attachment; filename=x.gif', '', 'R0lG'],
      ['Content-Type: message/delivery-status', '', 'Status: 5.0.0'],
      ['Content-Type: application/x; name="=?utf-8?q?r=C3=A9sum=C3=A9.pdf?="', '', 'x'],
    ),
  );
  assert.deepEqual(
    m.facts.attachments.map((a) => [a.part, a.filename, a.contentType, a.disposition]),
    [
      ['2', null, 'text/plain', 'attachment'],
      ['3', 'notes.txt', 'text/plain', null],
      ['6', null, 'application/octet-stream', null],
      ['7', null, 'image/gif', null],
      ['8', 'x.gif', 'image/gif', 'attachment'],
      ['10', 'résumé.pdf', 'application/x', null],
    ],
  );
  assert.equal(m.facts.hasAttachments, true);
  assert.equal(m.facts.text, 'main body, named but first\ninline text without name');
  assert.deepEqual(m.facts.attachments.map((a) => a.size), [22, 25, 4, 4, 4, 1]);
});

test('hasAttachments ignores inline resources referenced by Content-ID', () => {
  const m = parse(
    crlf(
      'Content-Type: multipart/related; boundary=r',
      '',
      '--r',
      'Content-Type: text/html',
      '',
      '<img src="cid:a">',
      '--r',
      'Content-Type: image/png; name=a.png',
      'Content-Disposition: inline; filename=a.png',
      'Content-ID: <a>',
      '',
      'iVBO',
      '--r--',
    ),
  );
  assert.equal(m.facts.attachments.length, 1);
  assert.equal(m.facts.hasAttachments, false);
});

test('a non-multipart root that is a file is the attachment "1"', () => {
  const m = parse(crlf('Content-Type: application/pdf; name=doc.pdf', 'Content-Transfer-Encoding: base64', '', 'JVBERi0='));
  assert.deepEqual(m.facts.attachments.map((a) => [a.part, a.filename, a.size, a.encoding]), [['1', 'doc.pdf', 8, 'BASE64']]);
  assert.equal(m.facts.text, '');
});

test('multipart/signed signature and multipart/encrypted control part are not attachments', () => {
  const m = parse(
    mixed(
      ['Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=e', '', '--e', 'Content-Type: application/pgp-encrypted', '', 'Version: 1', '--e', 'Content-Type: application/octet-stream; name=encrypted.asc', '', '-----BEGIN PGP MESSAGE-----', '--e--'],
      ['Content-Type: multipart/signed; boundary=s', '', '--s', '', 'signed', '--s', 'Content-Type: application/pkcs7-signature; name=smime.p7s', 'Content-Disposition: attachment; filename=smime.p7s', '', 'MIIB', '--s--'],
    ),
  );
  assert.deepEqual(m.facts.attachments.map((a) => a.part), ['1.2']);
});

test('text: plain preferred, html only when no plain text exists', () => {
  const alt = parse(
    crlf('Content-Type: multipart/alternative; boundary=a', '', '--a', 'Content-Type: text/plain', '', 'plain version', '--a', 'Content-Type: text/html', '', '<p>html version</p>', '--a--'),
  );
  assert.equal(alt.facts.text, 'plain version');
  const emptyPlain = parse(
    crlf('Content-Type: multipart/alternative; boundary=a', '', '--a', 'Content-Type: text/plain', '', '  ', '--a', 'Content-Type: text/html', '', '<p>html&nbsp;version</p>', '--a--'),
  );
  assert.equal(emptyPlain.facts.text, 'html version');
  const htmlQp = parse(crlf('Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', '<div>caf=C3=A9 <b>=', 'cr=C3=A8me</b></div>'));
  assert.equal(htmlQp.facts.text, 'café crème');
});

test('text: charsets and encodings of text parts', () => {
  const latin1 = Buffer.concat([Buffer.from('Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9])]);
  assert.equal(parseMessageBuffer(latin1).facts.text, 'café');
  const unlabelled = Buffer.concat([Buffer.from('Subject: x\r\n\r\n'), Buffer.from('café', 'utf8')]);
  assert.equal(parseMessageBuffer(unlabelled).facts.text, 'café');
  const unlabelled8859 = Buffer.concat([Buffer.from('Subject: x\r\n\r\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9])]);
  assert.equal(parseMessageBuffer(unlabelled8859).facts.text, 'café');
  const b64 = parse(crlf('Content-Type: text/plain; charset=utf-16le', 'Content-Transfer-Encoding: base64', '', Buffer.from('hi ☺', 'utf16le').toString('base64')));
  assert.equal(b64.facts.text, 'hi ☺');
  const jis = parse(crlf('Content-Type: text/plain; charset=ISO-2022-JP', '', '\u001b$BF|K\\8l\u001b(B'));
  assert.equal(jis.facts.text, '日本語');
  const crlfBody = parse(crlf('Content-Type: text/plain', 'Content-Transfer-Encoding: base64', '', Buffer.from('a\r\nb\r\n').toString('base64')));
  assert.equal(crlfBody.facts.text, 'a\nb');
});

test('text cap: textLimit bytes of decoded text, truncation flagged', () => {
  const long = 'word '.repeat(100_000);
  const m = parse(crlf('Subject: x', '', long), 1000);
  assert.equal(m.facts.text.length <= 1000, true);
  assert.equal(m.facts.textTruncated, true);
  assert.ok(m.facts.text.startsWith('word word'));
  const small = parse(crlf('Subject: x', '', 'short'), 1000);
  assert.equal(small.facts.textTruncated, false);
  // The default cap is 1 MiB.
  const big = parse(crlf('Subject: x', '', 'y'.repeat(1_200_000)));
  assert.equal(big.facts.text.length, 1024 * 1024);
  assert.equal(big.facts.textTruncated, true);
  // Cut inside a multi-byte character: no replacement character left behind.
  const utf = parse(crlf('Content-Type: text/plain; charset=utf-8', '', '€'.repeat(1000)), 1000);
  assert.ok(!utf.facts.text.includes('\ufffd'));
  assert.equal(utf.facts.text.length, 333);
});

test('preview: first ~200 characters, whitespace collapsed', () => {
  const m = parse(crlf('Subject: x', '', '  Hello,', '', '\tthis   is', 'a preview. ' + 'z'.repeat(500)));
  assert.ok(m.facts.preview.startsWith('Hello, this is a preview. zzz'));
  assert.equal(m.facts.preview.length, 200);
  assert.equal(makePreview('a\u{1F600}'.repeat(150)).length <= 200, true);
  assert.ok(!/[\ud800-\udbff]$/.test(makePreview('a\u{1F600}'.repeat(150))));
});

test('header facts: ids, list-id, date, subject, decoded addresses', () => {
  const m = parse(
    crlf(
      'Subject: =?utf-8?q?Re=3A_caf=C3=A9?=',
      'From: =?iso-8859-1?q?Ren=E9?= <rene@EXAMPLE.fr>',
      'Sender: list-bounces@lists.example',
      'Reply-To: "List" <list@lists.example>',
      'To: a@b.c',
      'Date: not a date',
      'Message-ID:  < spaced@id >',
      'In-Reply-To: Your message of Monday <parent@id> (and more)',
      'References: <a@id> <b@id>',
      '\t<a@id> bare@id',
      'List-Id: "The List" <the-list.lists.example>',
      '',
      'body',
    ),
  );
  const f = m.facts;
  assert.equal(f.subject, 'Re: café');
  assert.deepEqual(f.from, [{ name: 'René', address: 'rene@example.fr' }]);
  assert.deepEqual(f.sender, [{ name: '', address: 'list-bounces@lists.example' }]);
  assert.deepEqual(f.replyTo, [{ name: 'List', address: 'list@lists.example' }]);
  assert.equal(f.date, null);
  assert.equal(f.messageId, '<spaced@id>');
  assert.equal(f.inReplyTo, '<parent@id>');
  assert.deepEqual(f.references, ['<a@id>', '<b@id>']);
  assert.equal(f.listId, 'the-list.lists.example');
  assert.equal(m.envelope.messageId, '< spaced@id >');
});

test('id helpers', () => {
  assert.deepEqual(messageIds('bare@id other@id'), ['<bare@id>', '<other@id>']);
  assert.deepEqual(messageIds('no ids here'), []);
  assert.deepEqual(messageIds('<>'), []);
  assert.deepEqual(messageIds(null), []);
  assert.equal(listId('plain.list.id'), 'plain.list.id');
  assert.equal(listId('two words'), null);
  assert.equal(listId(''), null);
  assert.equal(listId(null), null);
});

test('an absent header gives empty facts', () => {
  const m = parse('\r\nbody');
  assert.equal(m.facts.subject, '');
  assert.deepEqual([m.facts.from, m.facts.to, m.facts.references], [[], [], []]);
  assert.deepEqual([m.facts.messageId, m.facts.inReplyTo, m.facts.listId, m.facts.date], [null, null, null, null]);
  assert.equal(m.facts.text, 'body');
  assert.equal(m.facts.preview, 'body');
});

test('text of attached messages and text attachments is kept apart from the message text, with attachment names', () => {
  const m = parse(
    mixed(
      ['Content-Type: text/plain', '', 'own words'],
      ['Content-Type: message/rfc822', 'Content-Disposition: attachment', '', 'Subject: inner', 'Content-Type: text/html', '', '<p>inner <b>words</b></p>'],
      ['Content-Type: text/plain', 'Content-Disposition: attachment; filename=notes.txt', '', 'attached file text'],
    ),
  );
  assert.equal(m.facts.text.trim(), 'own words');
  assert.match(m.facts.attachedText, /inner words/);
  assert.match(m.facts.attachedText, /notes\.txt/);
  assert.match(m.facts.attachedText, /attached file text/, 'a text attachment is searchable');
  assert.doesNotMatch(m.facts.text, /attached file text/, 'but not message text');
});
