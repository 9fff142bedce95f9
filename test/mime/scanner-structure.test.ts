import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MimeScanner } from '../../src/mime/scanner.js';
import { crlf, inspect as parse, outline } from './helpers.js';

test('empty message', () => {
  const r = parse('');
  assert.equal(r.msg.size, 0);
  assert.equal(r.msg.headerLength, 0);
  assert.deepEqual([r.msg.root.headerStart, r.msg.root.bodyStart, r.msg.root.bodyEnd], [0, 0, 0]);
  assert.equal(r.msg.root.type, 'text');
  assert.equal(r.msg.root.lines, 0);
  assert.deepEqual(r.msg.warnings, ['empty message']);
  assert.equal(r.msg.envelope.subject, null);
  assert.equal(r.msg.facts.text, '');
});

test('header only, with and without a final line break', () => {
  for (const input of ['Subject: x\r\nFrom: a@b.c', 'Subject: x\r\nFrom: a@b.c\r\n', 'Subject: x\nFrom: a@b.c\n']) {
    const r = parse(input);
    assert.equal(r.msg.headerLength, input.length, JSON.stringify(input));
    assert.equal(r.msg.root.bodyEnd, input.length);
    assert.equal(r.msg.root.size, 0);
    assert.equal(r.msg.root.lines, 0);
    assert.equal(r.msg.envelope.subject, 'x');
    assert.ok(r.hasWarning(/no empty line after the header/));
  }
});

test('no header at all: body starts after the leading empty line', () => {
  const r = parse('\r\nbody line\r\nsecond');
  assert.equal(r.msg.headerLength, 2);
  assert.equal(r.body(''), 'body line\r\nsecond');
  assert.equal(r.msg.root.lines, 2);
  assert.deepEqual(r.msg.envelope.from, null);
});

test('text that is not a header becomes a header-only message, without throwing', () => {
  const r = parse('just some text\r\nmore text\r\n');
  assert.equal(r.msg.root.size, 0);
  assert.ok(r.hasWarning(/malformed header line/));
});

test('bare LF, NUL bytes, long lines and bare CR are warned about', () => {
  const r = parse('Subject: a\u0000b\n\nline1\nline2\n' + 'x'.repeat(1200) + '\n');
  assert.equal(r.msg.headerLength, 14);
  assert.equal(r.msg.root.lines, 3);
  assert.equal(r.msg.envelope.subject, 'a\u0000b');
  assert.ok(r.hasWarning(/bare LF/));
  assert.ok(r.hasWarning(/NUL byte at offset 10/));
  assert.ok(r.hasWarning(/line over 998 octets at offset 26/));
  const cr = parse('Subject: x\rFrom: y\r\rbody');
  assert.equal(cr.msg.root.size, 0, 'a message with only bare CRs is one long header line');
});

test('lines: as IMAP servers count them', () => {
  const cases: Array<[string, number, number]> = [
    ['', 0, 0],
    ['a', 1, 1],
    ['a\r\n', 1, 3],
    ['a\r\nb', 2, 4],
    ['a\r\n\r\n', 2, 5],
    ['\r\n', 1, 2],
    ['a\nb\n', 2, 4],
  ];
  for (const [body, lines, size] of cases) {
    const r = parse('Subject: x\r\n\r\n' + body);
    assert.equal(r.msg.root.lines, lines, JSON.stringify(body));
    assert.equal(r.msg.root.size, size, JSON.stringify(body));
  }
  // Inside a multipart the line break before the boundary is not counted.
  const mp = parse(crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'a', '', '--b', '', 'a', '--b', '', '', '--b--'));
  assert.deepEqual([mp.part('1').lines, mp.body('1')], [1, 'a\r\n']);
  assert.deepEqual([mp.part('2').lines, mp.body('2')], [1, 'a']);
  assert.deepEqual([mp.part('3').lines, mp.body('3')], [0, '']);
  assert.equal(mp.part('1').size, 3);
});

test('multipart: preamble and epilogue are not parts; CRLF before a boundary belongs to it', () => {
  const raw = crlf(
    'Content-Type: multipart/mixed; boundary="xyz"',
    '',
    'preamble line',
    '--xyz',
    'Content-Type: text/plain',
    '',
    'first',
    '--xyz',
    '',
    'second, no header',
    '',
    '--xyz--',
    'epilogue',
    '',
  );
  const r = parse(raw);
  assert.deepEqual(outline(r.msg), ['- multipart/mixed', '1 text/plain', '2 text/plain']);
  assert.equal(r.header('1'), 'Content-Type: text/plain\r\n\r\n');
  assert.equal(r.body('1'), 'first');
  assert.equal(r.header('2'), '\r\n');
  assert.equal(r.body('2'), 'second, no header\r\n');
  assert.equal(r.msg.root.bodyEnd, raw.length);
  assert.ok(r.body('').startsWith('preamble line\r\n--xyz\r\n'));
  assert.ok(r.body('').endsWith('--xyz--\r\nepilogue\r\n'));
  assert.deepEqual(r.msg.warnings, []);
});

test('boundary matching: padding, lookalikes, close with trailing text', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b \t ',
      '',
      '--bx is not a boundary',
      '--b x is not a boundary either',
      '-b',
      ' --b',
      '--b--trailing garbage is still a close',
      '--b',
      'ignored after close',
    ),
  );
  assert.equal(r.msg.root.children!.length, 1);
  assert.equal(r.body('1'), '--bx is not a boundary\r\n--b x is not a boundary either\r\n-b\r\n --b');
  assert.ok(r.hasWarning(/boundary after the close boundary/));
});

test('missing close boundary: last part runs to the end', () => {
  const raw = crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'one', '--b', '', 'two', 'lines');
  const r = parse(raw);
  assert.equal(r.body('2'), 'two\r\nlines');
  assert.equal(r.part('2').bodyEnd, raw.length);
  assert.ok(r.hasWarning(/missing close boundary "b"/));
  // Ending in CRLF: the CRLF is part of the body, no boundary took it.
  const r2 = parse(raw + '\r\n');
  assert.equal(r2.body('2'), 'two\r\nlines\r\n');
});

test('boundary never found, close before any part, no boundary parameter', () => {
  const never = parse(crlf('Content-Type: multipart/mixed; boundary=b', '', 'text', '--c', 'more'));
  assert.deepEqual(never.msg.root.children, []);
  assert.ok(never.hasWarning(/boundary "b" never found/));
  assert.equal(never.body(''), 'text\r\n--c\r\nmore');

  const closeFirst = parse(crlf('Content-Type: multipart/mixed; boundary=b', '', '--b--', 'epilogue'));
  assert.deepEqual(closeFirst.msg.root.children, []);
  assert.ok(closeFirst.hasWarning(/close boundary before any part/));

  const noParam = parse(crlf('Content-Type: multipart/mixed', '', '--b', '', 'x', '--b--'));
  assert.deepEqual(noParam.msg.root.children, []);
  assert.ok(noParam.hasWarning(/without boundary parameter/));

  const emptyParam = parse(crlf('Content-Type: multipart/mixed; boundary=""', '', '--', '', 'x'));
  assert.deepEqual(emptyParam.msg.root.children, []);
});

test('parts with no header, unterminated header, adjacent boundaries', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/html',
      '--b',
      '--b',
      '',
      '--b--',
    ),
  );
  assert.deepEqual(outline(r.msg), ['- multipart/mixed', '1 text/html', '2 text/plain', '3 text/plain']);
  assert.equal(r.header('1'), 'Content-Type: text/html\r\n');
  assert.equal(r.body('1'), '');
  assert.equal(r.header('2'), '');
  assert.equal(r.body('2'), '');
  assert.equal(r.header('3'), '\r\n');
  assert.equal(r.body('3'), '');
  assert.ok(r.hasWarning(/part 1: header not ended/));
  assert.ok(r.hasWarning(/part 2: empty part/));
});

test('an outer boundary closes unclosed inner multiparts', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      '',
      'inner one',
      '--outer',
      '',
      'outer two',
      '--outer--',
    ),
  );
  assert.deepEqual(outline(r.msg), ['- multipart/mixed', '1 multipart/alternative', '1.1 text/plain', '2 text/plain']);
  assert.equal(r.body('1.1'), 'inner one');
  assert.equal(r.body('1'), '--inner\r\n\r\ninner one');
  assert.equal(r.body('2'), 'outer two');
  assert.ok(r.hasWarning(/part 1: missing close boundary "inner"/));
});

test('same boundary nested twice does not confuse the scanner', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      '',
      'x',
      '--b--',
      '--b',
      '',
      'y',
      '--b--',
    ),
  );
  assert.deepEqual(outline(r.msg), ['- multipart/mixed', '1 multipart/mixed', '1.1 text/plain', '2 text/plain']);
  assert.equal(r.body('2'), 'y');
});

test('boundaries with spaces and specials, and mixed line endings', () => {
  const r = parse(
    'Content-Type: multipart/mixed; boundary="a (b) +*?.[x]"\n\n--a (b) +*?.[x]\r\nContent-Type: text/plain\r\n\r\nbody\n--a (b) +*?.[x]--\n',
  );
  assert.equal(r.body('1'), 'body');
  assert.equal(r.msg.root.children!.length, 1);
});

test('8-bit headers: UTF-8 kept, other bytes latin1 and round-trip', () => {
  const raw = Buffer.concat([
    Buffer.from('Subject: Gr\u00fc\u00dfe\r\nFrom: ', 'utf8'),
    Buffer.from([0x52, 0x65, 0x6e, 0xe9]),
    Buffer.from(' <r@e.f>\r\nContent-Type: text/plain; name="\u00e9t\u00e9.txt"\r\n\r\nx', 'utf8'),
  ]);
  const r = parse(raw);
  assert.equal(r.msg.envelope.subject, 'Grüße');
  assert.equal(r.msg.envelope.from![0]!.name, 'Ren\u00e9');
  assert.deepEqual(Buffer.from(r.msg.envelope.from![0]!.name!, 'latin1'), Buffer.from([0x52, 0x65, 0x6e, 0xe9]));
  assert.deepEqual(r.msg.root.params, [['name', 'été.txt']]);
  assert.ok(r.hasWarning(/8-bit header bytes that are not UTF-8/));
});

test('part fields: defaults, first occurrence wins, RFC 2231 kept raw too', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/mixed; boundary=b',
      'Content-Language: en',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: Quoted-Printable',
      'Content-ID: <id@x>',
      'Content-Description: a description',
      'Content-MD5: Q2hlY2s=',
      'Content-Language: en-GB, fr',
      'Content-Location: http://example.com/x',
      "Content-Disposition: INLINE; filename*0*=utf-8''%C3%A9; filename*1=.txt",
      '',
      'x',
      '--b',
      'Content-Type:',
      'Content-Transfer-Encoding:',
      'Content-ID:',
      '',
      'y',
      '--b--',
    ),
  );
  const p1 = r.part('1');
  assert.equal(p1.subtype, 'plain');
  assert.deepEqual(p1.params, [['charset', 'utf-8']]);
  assert.equal(p1.encoding, 'QUOTED-PRINTABLE');
  assert.equal(p1.id, '<id@x>');
  assert.equal(p1.description, 'a description');
  assert.equal(p1.md5, 'Q2hlY2s=');
  assert.deepEqual(p1.language, ['en-GB', 'fr']);
  assert.equal(p1.location, 'http://example.com/x');
  assert.deepEqual(p1.disposition, {
    type: 'INLINE',
    params: [['filename', 'é.txt']],
    rawParams: [['filename*0*', "utf-8''%C3%A9"], ['filename*1', '.txt']],
  });
  const p2 = r.part('2');
  assert.deepEqual([p2.type, p2.subtype, p2.encoding, p2.id, p2.params], ['text', 'plain', '7BIT', null, []]);
  assert.deepEqual(r.msg.root.language, ['en']);
});

test('invalid Content-Type falls back to text/plain with a warning', () => {
  const r = parse('Content-Type: garbage; charset=utf-8\r\n\r\nx');
  assert.deepEqual([r.msg.root.type, r.msg.root.subtype], ['text', 'plain']);
  assert.deepEqual(r.msg.root.params, [['charset', 'utf-8']]);
  assert.ok(r.hasWarning(/invalid Content-Type "garbage; charset=utf-8"/));
});

test('a message that stops mid-CRLF or mid-header', () => {
  const r = parse('Subject: x\r\n\r\nbody\r');
  assert.equal(r.body(''), 'body\r');
  assert.equal(r.msg.root.lines, 1);
  const r2 = parse(crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/pl'));
  assert.equal(r2.header('1'), 'Content-Type: text/pl');
  assert.equal(r2.part('1').subtype, 'pl');
  assert.ok(r2.hasWarning(/part 1: header not ended/));
});

test('write after end throws (programming error, not input error)', () => {
  const s = new MimeScanner();
  s.write(Buffer.from('Subject: x\r\n\r\n'));
  s.end();
  assert.throws(() => s.write(Buffer.from('more')));
  assert.throws(() => s.end());
});
