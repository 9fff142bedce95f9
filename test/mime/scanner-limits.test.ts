/** Hostile sizes: deep nesting, many parts, huge headers, many warnings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect as parse } from './helpers.js';

test('deep nesting: 100 levels of multipart', () => {
  const depth = 100;
  let raw = '';
  for (let i = 0; i < depth; i++) raw += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
  raw += 'Content-Type: text/plain\r\n\r\ndeep body';
  for (let i = depth - 1; i >= 0; i--) raw += `\r\n--b${i}--`;
  const r = parse(raw);
  const leafPath = Array.from({ length: depth }, () => '1').join('.');
  assert.equal(r.part(leafPath).type, 'text');
  assert.equal(r.body(leafPath), 'deep body');
  assert.deepEqual(r.msg.warnings, []);
  // The same message with a lower limit: the deepest levels stay opaque.
  const limited = parse(raw, { maxDepth: 10 });
  assert.ok(limited.hasWarning(/nesting deeper than 10/));
  assert.deepEqual(limited.part('1.1.1.1.1.1.1.1.1.1').children, []);
});

test('deep nesting: 50 forwarded messages inside multiparts (100 levels)', () => {
  const levels = 50;
  let raw = '';
  for (let i = 0; i < levels; i++) raw += `Subject: level ${i}\r\nContent-Type: multipart/mixed; boundary="m${i}"\r\n\r\n--m${i}\r\nContent-Type: message/rfc822\r\n\r\n`;
  raw += 'Subject: bottom\r\n\r\nbottom body';
  for (let i = levels - 1; i >= 0; i--) raw += `\r\n--m${i}--`;
  const r = parse(raw);
  let part = r.msg.root;
  for (let i = 0; i < levels; i++) {
    const msgPart = part.children![0]!;
    assert.equal(msgPart.type, 'message');
    part = msgPart.message!.root;
  }
  assert.equal(part.type, 'text');
  assert.equal(r.raw.toString('latin1', part.bodyStart, part.bodyEnd), 'bottom body');
  assert.deepEqual(r.msg.warnings, []);
});

test('10k parts', () => {
  const n = 10_000;
  const chunks: string[] = ['Content-Type: multipart/mixed; boundary=p\r\n\r\n'];
  for (let i = 0; i < n; i++) chunks.push(`--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`);
  chunks.push('--p--\r\n');
  const started = Date.now();
  const r = parse(chunks.join(''));
  assert.ok(Date.now() - started < 10_000);
  assert.equal(r.msg.root.children!.length, n);
  assert.equal(r.body('5000'), 'part 4999');
  assert.equal(r.body('10000'), 'part 9999');
  assert.deepEqual(r.msg.warnings, []);
  assert.ok(r.msg.facts.text.startsWith('part 0\npart 1\n'));
});

test('part limit: the last part keeps the rest', () => {
  const chunks: string[] = ['Content-Type: multipart/mixed; boundary=p\r\n\r\n'];
  for (let i = 0; i < 20; i++) chunks.push(`--p\r\n\r\npart ${i}\r\n`);
  chunks.push('--p--\r\n');
  const r = parse(chunks.join(''), { maxParts: 5 });
  assert.equal(r.msg.root.children!.length, 4);
  assert.ok(r.body('4').startsWith('part 3\r\n--p\r\n\r\npart 4'));
  assert.ok(r.body('4').endsWith('part 19'));
  assert.ok(r.hasWarning(/more than 5 parts/));
});

test('huge header block: parsing capped, offsets exact', () => {
  const filler = Array.from({ length: 20_000 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(40)}\r\n`).join('');
  const raw = `Subject: early\r\n${filler}From: late@example.com\r\n\r\nbody`;
  const r = parse(raw);
  assert.equal(r.msg.headerLength, raw.length - 4);
  assert.equal(r.body(''), 'body');
  assert.equal(r.msg.envelope.subject, 'early');
  assert.equal(r.msg.envelope.from, null, 'From beyond the 256 KiB cap is not seen');
  assert.ok(r.hasWarning(/header over 262144 octets/));
  // One 3 MB header line, and one 3 MB continuation.
  const long = `Subject: ${'s'.repeat(3_000_000)}\r\nX: a\r\n ${'c'.repeat(3_000_000)}\r\n\r\nbody`;
  const r2 = parse(long);
  assert.equal(r2.msg.headerLength, long.length - 4);
  assert.equal(r2.body(''), 'body');
  assert.ok(r2.msg.envelope.subject!.length < 300_000);
});

test('warnings are capped', () => {
  const chunks = ['Content-Type: multipart/mixed; boundary=b\r\n\r\n'];
  for (let i = 0; i < 500; i++) chunks.push('--b\r\nContent-Type: multipart/x\r\n\r\n');
  const r = parse(chunks.join(''));
  assert.equal(r.msg.warnings.length, 101);
  assert.equal(r.msg.warnings[100], 'further warnings suppressed');
});

