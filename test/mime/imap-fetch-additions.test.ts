/**
 * Scanner and decoder behaviour added for IMAP FETCH (issue #4): `lineBreaks`
 * (the body-fld-lines Dovecot reports) and quoted-printable decoding of raw
 * CRLF part bytes, as BINARY[] feeds them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuotedPrintableDecoder } from '../../src/mime/decode.js';
import { crlf, inspect as parse } from './helpers.js';

test('lineBreaks: line breaks only, a last line without one not counted', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['a', 0],
    ['a\r\n', 1],
    ['a\r\nb', 1],
    ['a\r\n\r\n', 2],
    ['\r\n', 1],
    ['a\nb\n', 2],
  ];
  for (const [body, breaks] of cases) {
    assert.equal(parse('Subject: x\r\n\r\n' + body).msg.root.lineBreaks, breaks, JSON.stringify(body));
  }
  const mp = parse(crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'a', '', '--b', '', 'a', '--b', '', '', '--b', 'Content-Type: image/png', '', 'x', '--b--'));
  assert.deepEqual([mp.part('1').lineBreaks, mp.part('1').lines], [1, 1]);
  assert.deepEqual([mp.part('2').lineBreaks, mp.part('2').lines], [0, 1]);
  assert.deepEqual([mp.part('3').lineBreaks, mp.part('3').lines], [0, 0]);
  assert.equal(mp.part('4').lineBreaks, undefined, 'only text and message parts count lines');
});

test('lineBreaks of message/rfc822 parts count the embedded message', () => {
  const r = parse(crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: message/rfc822', '', 'Subject: in', '', 'one', 'two', '--b--', ''));
  assert.deepEqual([r.part('1').lineBreaks, r.part('1').lines], [3, 4]);
});

function decodeSplit(input: string): string {
  const bytes = Buffer.from(input, 'latin1');
  const outs = new Set<string>();
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = new QuotedPrintableDecoder();
    outs.add(Buffer.concat([d.write(bytes.subarray(0, cut)), d.write(bytes.subarray(cut)), d.end()]).toString('latin1'));
  }
  assert.equal(outs.size, 1, `split-dependent output for ${JSON.stringify(input)}`);
  return [...outs][0] ?? '';
}

test('quoted-printable over CRLF input: blanks before a hard break are dropped, the CRLF kept', () => {
  const cases: Array<[string, string]> = [
    ['trailing   \r\nnext', 'trailing\r\nnext'],
    ['tab\t\r\nnext', 'tab\r\nnext'],
    ['soft=\r\nbreak', 'softbreak'],
    ['soft=  \r\nbreak', 'softbreak'],
    ['a\r\n\r\nb', 'a\r\n\r\nb'],
    ['lone \r cr', 'lone \r cr'],
    ['cr at the end \r', 'cr at the end \r'],
    ['x =3D\r\n', 'x =\r\n'],
  ];
  for (const [input, want] of cases) assert.equal(decodeSplit(input), want, JSON.stringify(input));
});
