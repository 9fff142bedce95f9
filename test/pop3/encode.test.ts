import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DotStuffer, encodeMessage, TopLimiter } from '../../src/pop3/encode.js';

/** Encodes `input` cut into the given chunk sizes (cycled), as a stream would deliver it. */
function encodeChunked(input: Buffer, sizes: number[]): Buffer {
  const s = new DotStuffer();
  const out: Buffer[] = [];
  let pos = 0;
  let k = 0;
  while (pos < input.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    out.push(s.encode(input.subarray(pos, pos + n)));
    pos += n;
  }
  out.push(s.finish());
  return Buffer.concat(out);
}

function top(input: Buffer, headerEnd: number, lines: number, sizes: number[]): Buffer {
  const limiter = new TopLimiter(headerEnd, lines);
  const out: Buffer[] = [];
  let pos = 0;
  let k = 0;
  while (pos < input.length && !limiter.done) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    out.push(limiter.take(input.subarray(pos, pos + n)));
    pos += n;
  }
  return Buffer.concat(out);
}

describe('pop3 message encoding', () => {
  const table: Array<[string, string, string]> = [
    ['CRLF message unchanged', 'A: b\r\n\r\nbody\r\n', 'A: b\r\n\r\nbody\r\n.\r\n'],
    ['bare LF becomes CRLF', 'A: b\n\nbody\n', 'A: b\r\n\r\nbody\r\n.\r\n'],
    ['mixed endings', 'A: b\r\n\nx\ny\r\n', 'A: b\r\n\r\nx\r\ny\r\n.\r\n'],
    ['leading dots are stuffed', '.\r\n..\r\n.x\r\nx.\r\n', '..\r\n...\r\n..x\r\nx.\r\n.\r\n'],
    ['dot after bare LF', 'a\n.b\n', 'a\r\n..b\r\n.\r\n'],
    ['no final line break', 'a\r\nlast', 'a\r\nlast\r\n.\r\n'],
    ['trailing bare CR', 'a\r', 'a\r\n.\r\n'],
    ['empty message', '', '.\r\n'],
    ['message that is just a dot', '.', '..\r\n.\r\n'],
    ['lone CR inside a line stays', 'a\rb\r\n', 'a\rb\r\n.\r\n'],
    ['blank lines', '\n\n\r\n', '\r\n\r\n\r\n.\r\n'],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => {
      assert.equal(encodeMessage(Buffer.from(input)).toString('latin1'), expected);
      // The same bytes split at every possible place encode the same way.
      for (const sizes of [[1], [2], [3], [1, 2, 5], [7]]) {
        assert.equal(encodeChunked(Buffer.from(input), sizes).toString('latin1'), expected, `chunks ${sizes.join(',')}`);
      }
    });
  }

  it('returns the chunk itself when nothing changes (no copy on the fast path)', () => {
    const s = new DotStuffer();
    const chunk = Buffer.from('Subject: x\r\n\r\nhello\r\n');
    assert.equal(s.encode(chunk), chunk);
  });

  it('a binary-ish body with every byte value survives (only LF and leading dots change)', () => {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    const out = encodeMessage(all);
    // 0x0a is preceded by 0x09, not CR: one CR is added; the terminator follows the unfinished last line.
    assert.equal(out.length, 256 + 1 + 2 + 3);
  });

  it('TOP limiter: headers, blank line, n body lines, at any chunking', () => {
    const msg = Buffer.from('A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n');
    const headerEnd = 'A: 1\r\nB: 2\r\n\r\n'.length;
    const cases: Array<[number, string]> = [
      [0, 'A: 1\r\nB: 2\r\n\r\n'],
      [1, 'A: 1\r\nB: 2\r\n\r\nl1\r\n'],
      [2, 'A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n'],
      [3, msg.toString()],
      [99, msg.toString()],
    ];
    for (const [n, expected] of cases) {
      for (const sizes of [[1], [4], [100], [3, 1]]) {
        assert.equal(top(msg, headerEnd, n, sizes).toString(), expected, `n=${n} chunks ${sizes.join(',')}`);
      }
    }
  });

  it('TOP limiter with LF-only lines and a last line without a break', () => {
    const msg = Buffer.from('A: 1\n\nx\ny');
    assert.equal(top(msg, 6, 1, [2]).toString(), 'A: 1\n\nx\n');
    assert.equal(top(msg, 6, 5, [2]).toString(), 'A: 1\n\nx\ny');
  });
});
