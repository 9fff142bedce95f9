/**
 * The scanner must not depend on how the message is cut into chunks: one
 * byte at a time, odd sizes, random sizes and the whole buffer at once must
 * give deep-equal results, for the fixture corpus and for hostile input
 * (long lines cut mid-CRLF, mid-QP escape, mid-UTF-8 sequence).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessageBuffer } from '../../src/mime/scanner.js';
import { loadFixtures, parseInChunks, rng } from './helpers.js';

function hostile(): Array<[string, Buffer]> {
  const longQp = Array.from({ length: 3000 }, () => '=C3=A9').join('');
  return [
    ['empty', Buffer.alloc(0)],
    ['single CR', Buffer.from('\r')],
    ['header only', Buffer.from('Subject: x')],
    [
      'long QP line',
      Buffer.from(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${longQp}\r\nend`),
    ],
    [
      'long header line and CR runs',
      Buffer.from(`Subject: ${'\r'.repeat(70_000)}x${'y'.repeat(70_000)}\r\n\r\n${'\r'.repeat(66_000)}\r\nbody`),
    ],
    [
      'multipart with an overlong line right before the boundary',
      Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n${'L'.repeat(140_000)}\r\n--b\r\n\r\n${'é'.repeat(40_000)}\r\n--b--`),
    ],
    [
      'long boundary-like line',
      Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n--b${' '.repeat(100_000)}\r\nstill part 1\r\n--b--`),
    ],
    [
      'base64 text part',
      Buffer.from(
        `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('ünïcödé '.repeat(2000)).toString('base64').replace(/.{76}/g, '$&\r\n')}`,
      ),
    ],
    ['NUL and 8-bit', Buffer.from([...Buffer.from('Subject: \u00ff\u0000\xe9\r\n\r\n', 'latin1'), 0, 0, 0xff, 0x0a, 0x0d])],
  ];
}

function check(name: string, raw: Buffer): void {
  const whole = parseMessageBuffer(raw);
  assert.deepEqual(parseInChunks(raw, [1]), whole, `${name}: 1 byte at a time`);
  assert.deepEqual(parseInChunks(raw, [2, 3, 1, 7]), whole, `${name}: small odd chunks`);
  const r = rng(raw.length + 1);
  const sizes = Array.from({ length: 64 }, () => 1 + Math.floor(r() * 20_000));
  assert.deepEqual(parseInChunks(raw, sizes), whole, `${name}: random chunks`);
}

test('chunking invariance: fixture corpus', () => {
  const fixtures = loadFixtures();
  assert.ok(fixtures.length >= 10);
  for (const f of fixtures) check(f.name, f.raw);
});

test('chunking invariance: hostile input', () => {
  for (const [name, raw] of hostile()) check(name, raw);
});

test('chunking invariance: text cap falls at the same byte', () => {
  const raw = Buffer.from(`Content-Type: text/plain; charset=utf-8\r\n\r\n${'€uro '.repeat(5000)}`);
  const whole = parseMessageBuffer(raw, { textLimit: 1001 });
  assert.equal(whole.facts.textTruncated, true);
  assert.deepEqual(parseInChunks(raw, [1], { textLimit: 1001 }), whole);
  assert.deepEqual(parseInChunks(raw, [333, 17], { textLimit: 1001 }), whole);
});
