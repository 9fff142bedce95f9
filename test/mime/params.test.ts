import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseContentType,
  parseDisposition,
  parseEncoding,
  parseLanguageList,
  stripComments,
} from '../../src/mime/params.js';

test('parseContentType: table', () => {
  const cases: Array<[string, string, string, Array<[string, string]>]> = [
    ['text/plain', 'text', 'plain', []],
    ['TEXT/HTML; CHARSET=UTF-8', 'text', 'html', [['charset', 'UTF-8']]],
    ['text/plain; charset="utf-8"', 'text', 'plain', [['charset', 'utf-8']]],
    ['text/plain ; charset = "utf-8" ; format=flowed', 'text', 'plain', [['charset', 'utf-8'], ['format', 'flowed']]],
    ['text/plain; charset=us-ascii (Plain text)', 'text', 'plain', [['charset', 'us-ascii']]],
    ['text/plain (comment); charset=x', 'text', 'plain', [['charset', 'x']]],
    ['multipart/mixed; boundary="a;b=c"', 'multipart', 'mixed', [['boundary', 'a;b=c']]],
    ['multipart/mixed; boundary="q\\"uote\\\\d"', 'multipart', 'mixed', [['boundary', 'q"uote\\d']]],
    ['application/pdf; name=my file.pdf', 'application', 'pdf', [['name', 'my file.pdf']]],
    ['application/pdf; name=file(1).pdf', 'application', 'pdf', [['name', 'file(1).pdf']]],
    ['application/pdf; name="unterminated', 'application', 'pdf', [['name', 'unterminated']]],
    ['text/plain charset=utf-8', 'text', 'plain', [['charset', 'utf-8']]],
    ['text/plain;; ;charset=x;', 'text', 'plain', [['charset', 'x']]],
    ['text/plain; novalue; a=1', 'text', 'plain', [['a', '1']]],
    ['text/plain; a=; b=2', 'text', 'plain', [['a', ''], ['b', '2']]],
    ['text/plain; a=1; A=2', 'text', 'plain', [['a', '1']]],
    [' text / plain ', 'text', 'plain', []],
  ];
  for (const [input, type, subtype, params] of cases) {
    const ct = parseContentType(input);
    assert.equal(ct.valid, true, input);
    assert.equal(ct.type, type, input);
    assert.equal(ct.subtype, subtype, input);
    assert.deepEqual(ct.params, params, input);
  }
});

test('parseContentType: invalid types are flagged but keep their parameters', () => {
  for (const input of ['text', 'text/', '/plain', '', 'text/pl ain', '"text/plain"', 'charset=utf-8']) {
    const ct = parseContentType(input);
    assert.equal(ct.valid, false, input);
    assert.equal(ct.type, '', input);
  }
  assert.deepEqual(parseContentType('text; charset=utf-8').params, [['charset', 'utf-8']]);
});

test('RFC 2231: extended values, continuations, charsets', () => {
  const cases: Array<[string, Array<[string, string]>, Array<[string, string]>]> = [
    [
      "application/x; name*=utf-8''%E2%82%AC%20rates.pdf",
      [['name', '€ rates.pdf']],
      [['name*', "utf-8''%E2%82%AC%20rates.pdf"]],
    ],
    [
      "application/x; name*=iso-8859-1'fr'r%E9sum%E9.txt",
      [['name', 'résumé.txt']],
      [['name*', "iso-8859-1'fr'r%E9sum%E9.txt"]],
    ],
    [
      "application/x; name*0*=utf-8''%C3%A9t; name*1*=%C3%A9; name*2=.txt",
      [['name', 'été.txt']],
      [['name*0*', "utf-8''%C3%A9t"], ['name*1*', '%C3%A9'], ['name*2', '.txt']],
    ],
    ['application/x; name*0="long "; name*1="name"', [['name', 'long name']], [['name*0', 'long '], ['name*1', 'name']]],
    ['application/x; name*1="b"; name*0="a"', [['name', 'ab']], [['name*1', 'b'], ['name*0', 'a']]],
    ['application/x; name*0=a; name*2=c', [['name', 'ac']], [['name*0', 'a'], ['name*2', 'c']]],
    // The extended form wins over a plain one, at the plain one's position.
    ["application/x; name=fallback.txt; name*=utf-8''real.txt", [['name', 'real.txt']], [['name', 'fallback.txt'], ['name*', "utf-8''real.txt"]]],
    // Empty charset: sniffed.
    ["application/x; name*=''%C3%A9.txt", [['name', 'é.txt']], [['name*', "''%C3%A9.txt"]]],
    // Unknown charset: UTF-8 when valid, else windows-1252.
    ["application/x; name*=x-klingon''%E9.txt", [['name', 'é.txt']], [['name*', "x-klingon''%E9.txt"]]],
    // Missing quotes, bad escapes, language only.
    ['application/x; name*=%41%zz%4', [['name', 'A%zz%4']], [['name*', '%41%zz%4']]],
    ["application/x; name*=utf-8'%41", [['name', 'A']], [['name*', "utf-8'%41"]]],
    // Language suffix on the charset (RFC 2231 §5 in parameter form).
    ["application/x; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A", [['title', 'This is ***fun***']], [['title*', "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"]]],
    // Quoted extended value (not allowed, seen in the wild).
    ["application/x; name*=\"utf-8''a%20b\"", [['name', 'a b']], [['name*', "utf-8''a%20b"]]],
    // Shift_JIS continuation split inside a character.
    [
      "application/x; name*0*=shift_jis''%93%FA; name*1*=%96%7B.txt",
      [['name', '日本.txt']],
      [['name*0*', "shift_jis''%93%FA"], ['name*1*', '%96%7B.txt']],
    ],
  ];
  for (const [input, params, rawParams] of cases) {
    const ct = parseContentType(input);
    assert.deepEqual(ct.params, params, input);
    assert.deepEqual(ct.rawParams, rawParams, input);
  }
});

test('parseDisposition', () => {
  assert.deepEqual(parseDisposition('attachment; filename="a b.pdf"'), {
    type: 'attachment',
    params: [['filename', 'a b.pdf']],
    rawParams: [['filename', 'a b.pdf']],
  });
  assert.equal(parseDisposition('INLINE')!.type, 'INLINE');
  assert.equal(parseDisposition(''), null);
  assert.equal(parseDisposition('   '), null);
  assert.equal(parseDisposition('filename="x.pdf"')!.type, 'attachment');
  assert.deepEqual(parseDisposition('filename="x.pdf"')!.params, [['filename', 'x.pdf']]);
  assert.deepEqual(parseDisposition("attachment; filename*=UTF-8''%F0%9F%98%80.png")!.params, [['filename', '😀.png']]);
});

test('parseEncoding / parseLanguageList / stripComments', () => {
  assert.equal(parseEncoding(null), '7BIT');
  assert.equal(parseEncoding(''), '7BIT');
  assert.equal(parseEncoding(' base64 '), 'BASE64');
  assert.equal(parseEncoding('Quoted-Printable (yes)'), 'QUOTED-PRINTABLE');
  assert.equal(parseEncoding('"8bit"'), '8BIT');
  assert.equal(parseEncoding('x-uuencode'), 'X-UUENCODE');
  assert.deepEqual(parseLanguageList('en-US, de (German)'), ['en-US', 'de']);
  assert.equal(parseLanguageList(' '), null);
  assert.equal(stripComments('a (b (nested) c) d'), 'a   d');
  assert.equal(stripComments('"(not a comment)" x'), '"(not a comment)" x');
  assert.equal(stripComments('a (unterminated'), 'a  ');
  assert.equal(stripComments('a (esc\\) still) b'), 'a   b');
});
