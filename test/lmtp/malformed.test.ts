import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedDetector, type MalformedReport } from '../../src/lmtp/malformed.js';

function scan(chunks: Array<string | Buffer>): MalformedReport {
  const d = new MalformedDetector();
  for (const c of chunks) d.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  return d.report();
}

describe('malformed input detection', () => {
  const long = 'x'.repeat(999);
  const cases: Array<[string, Array<string | Buffer>, MalformedReport]> = [
    ['clean CRLF text', ['a: b\r\n\r\nbody\r\n'], { bareLf: 0, nul: 0, longLines: 0 }],
    ['empty', [], { bareLf: 0, nul: 0, longLines: 0 }],
    ['bare LF', ['a: b\n\nbody\n'], { bareLf: 3, nul: 0, longLines: 0 }],
    ['CR and LF split across chunks', ['line\r', '\nnext\r\n'], { bareLf: 0, nul: 0, longLines: 0 }],
    ['bare LF at a chunk start', ['line', '\nnext\r\n'], { bareLf: 1, nul: 0, longLines: 0 }],
    ['NUL bytes', [Buffer.from([0x61, 0, 0, 0x0d, 0x0a])], { bareLf: 0, nul: 2, longLines: 0 }],
    ['998 octets is fine', ['x'.repeat(998) + '\r\n'], { bareLf: 0, nul: 0, longLines: 0 }],
    ['999 octets is too long', [long + '\r\n'], { bareLf: 0, nul: 0, longLines: 1 }],
    ['a long line over many chunks', [long.slice(0, 500), long.slice(500), '\r\nok\r\n'], { bareLf: 0, nul: 0, longLines: 1 }],
    ['a long last line without a break', ['ok\r\n', long], { bareLf: 0, nul: 0, longLines: 1 }],
    ['a long line ending in CR only at the end', ['ok\r\n', 'x'.repeat(998) + '\r'], { bareLf: 0, nul: 0, longLines: 0 }],
  ];
  for (const [name, chunks, expected] of cases) {
    it(name, () => assert.deepEqual(scan(chunks), expected));
  }

  it('is the same whatever the chunking', () => {
    const text = Buffer.from('a\r\nb\nc\r\n' + 'y'.repeat(1200) + '\n\u0000end', 'latin1');
    const whole = scan([text]);
    for (let size = 1; size < 9; size++) {
      const parts: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) parts.push(text.subarray(i, i + size));
      assert.deepEqual(scan(parts), whole, `chunks of ${size}`);
    }
  });
});
