import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeaderBlock, splitHeaderBlock } from '../../src/mime/headers.js';

const h = (s: string): Buffer => Buffer.from(s, 'latin1');

test('parseHeaderBlock: fields in order, unfolded, keys lowercased, duplicates kept', () => {
  const fields = parseHeaderBlock(
    h('Subject: hello\r\n world\r\nX-A: 1\r\nx-a: 2\r\nReceived: from a\r\n\tby b;\r\n\tMon, 1 Jan 2024\r\n\r\nbody: no\r\n'),
  );
  assert.deepEqual(fields, [
    { key: 'subject', name: 'Subject', value: 'hello world' },
    { key: 'x-a', name: 'X-A', value: '1' },
    { key: 'x-a', name: 'x-a', value: '2' },
    { key: 'received', name: 'Received', value: 'from a\tby b;\tMon, 1 Jan 2024' },
  ]);
});

test('parseHeaderBlock: table of awkward lines', () => {
  const cases: Array<[string, string, Array<[string, string]>]> = [
    ['bare LF endings', 'A: 1\nB: 2\n continued\n\n', [['A', '1'], ['B', '2 continued']]],
    ['mixed endings', 'A: 1\r\nB: 2\n\r\n', [['A', '1'], ['B', '2']]],
    ['no final line break', 'A: 1\r\nB: 2', [['A', '1'], ['B', '2']]],
    ['whitespace before colon (obs)', 'Subject  : x\r\n', [['Subject', 'x']]],
    ['empty value', 'X-Empty:\r\nY:   \r\n', [['X-Empty', ''], ['Y', '']]],
    ['no space after colon', 'To:a@b\r\n', [['To', 'a@b']]],
    ['colon in value', 'X: a: b: c\r\n', [['X', 'a: b: c']]],
    ['line without colon skipped', 'A: 1\r\nnot a header\r\nB: 2\r\n', [['A', '1'], ['B', '2']]],
    ['leading continuation skipped', ' orphan\r\nA: 1\r\n', [['A', '1']]],
    ['name with space is invalid', 'Bad Name: 1\r\nA: 2\r\n', [['A', '2']]],
    ['empty name invalid', ': x\r\nA: 2\r\n', [['A', '2']]],
    ['whitespace-only continuation', 'A: 1\r\n   \r\nB: 2\r\n', [['A', '1'], ['B', '2']]],
    ['stops at blank line', 'A: 1\r\n\r\nB: 2\r\n', [['A', '1']]],
    ['starts with blank line', '\r\nA: 1\r\n', []],
    ['empty input', '', []],
    ['trailing whitespace trimmed', 'A: x  \t\r\n', [['A', 'x']]],
    ['NUL kept', 'A: x\u0000y\r\n', [['A', 'x\u0000y']]],
    ['bare CR inside value kept', 'A: x\ry\r\n', [['A', 'x\ry']]],
  ];
  for (const [name, input, want] of cases) {
    const got = parseHeaderBlock(h(input)).map((f) => [f.name, f.value]);
    assert.deepEqual(got, want, name);
  }
});

test('parseHeaderBlock: UTF-8 values decode as UTF-8, other 8-bit as latin1 that round-trips', () => {
  const raw = Buffer.concat([
    Buffer.from('Subject: Gr\u00fc\u00dfe \u2014 ok\r\n', 'utf8'),
    Buffer.from([0x46, 0x72, 0x6f, 0x6d, 0x3a, 0x20, 0x52, 0x65, 0x6e, 0xe9, 0x20, 0xff, 0x80, 0x0d, 0x0a]),
  ]);
  const [subject, from] = parseHeaderBlock(raw);
  assert.equal(subject!.value, 'Grüße — ok');
  assert.equal(from!.value, 'René \u00ff\u0080');
  assert.deepEqual(Buffer.from(from!.value, 'latin1'), Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x20, 0xff, 0x80]));
  const split = splitHeaderBlock(raw);
  assert.equal(split.fields[0]!.latin1, false);
  assert.equal(split.fields[1]!.latin1, true);
});

test('splitHeaderBlock counts invalid lines', () => {
  assert.equal(splitHeaderBlock(h('junk\r\n more\r\nA: 1\r\nno colon\r\n')).invalidLines, 2);
});
