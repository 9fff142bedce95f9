import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ImapParseError } from '../../../src/imap/errors.js';
import {
  astring,
  atom,
  concat,
  flag,
  formatResponseCode,
  literal,
  raw,
  serializeValue,
  streamLiteral,
  type ImapValue,
} from '../../../src/imap/proto/values.js';
import { LiteralSizeMismatchError, ResponseWriter } from '../../../src/imap/proto/writer.js';

const ser = (v: ImapValue, utf8 = false): string => serializeValue(v, { utf8 }).toString('utf8');

describe('value serialisation', () => {
  const cases: Array<[string, ImapValue, string, boolean?]> = [
    ['NIL', null, 'NIL'],
    ['number', 42, '42'],
    ['bigint', 18446744073709551615n, '18446744073709551615'],
    ['plain string', 'abc', '"abc"'],
    ['empty string', '', '""'],
    ['escapes', 'a"b\\c', '"a\\"b\\\\c"'],
    ['CRLF forces a literal', 'one\r\ntwo', '{8}\r\none\r\ntwo'],
    ['bare LF forces a literal', 'a\nb', '{3}\r\na\nb'],
    ['8-bit forces a literal', 'café', '{5}\r\ncafé'],
    ['8-bit quoted under UTF8=ACCEPT', 'café', '"café"', true],
    ['NUL is dropped from strings', Buffer.from('a\0b'), '"ab"'],
    ['buffer string', Buffer.from('x y'), '"x y"'],
    ['list', [1, 'a', null, [atom('X')]], '(1 "a" NIL (X))'],
    ['empty list', [], '()'],
    ['concat has no separators', [concat([[1], [2]]), 'mixed'], '((1)(2) "mixed")'],
    ['forced literal', literal(Buffer.from('hi')), '{2}\r\nhi'],
    ['literal8', literal(Buffer.from('a\0'), true), '~{2}\r\na\0'],
    ['flags', [flag('\\Seen'), flag('$Junk'), flag('\\*')], '(\\Seen $Junk \\*)'],
    ['raw', raw('BODY[HEADER.FIELDS (SUBJECT)]<0>'), 'BODY[HEADER.FIELDS (SUBJECT)]<0>'],
  ];
  for (const [name, value, expected, utf8] of cases) {
    it(name, () => assert.equal(ser(value, utf8), expected));
  }
  it('astring picks an atom only when unambiguous', () => {
    assert.equal(ser(astring('INBOX')), 'INBOX');
    assert.equal(ser(astring('NIL')), '"NIL"');
    assert.equal(ser(astring('a b')), '"a b"');
    assert.equal(ser(astring('')), '""');
  });
  it('long strings become literals', () => {
    const long = 'x'.repeat(2000);
    assert.equal(ser(long), `{2000}\r\n${long}`);
  });
  it('invalid UTF-8 is never quoted, even under UTF8=ACCEPT', () => {
    assert.equal(serializeValue(Buffer.from([0x61, 0xff]), { utf8: true }).toString('latin1'), '{2}\r\na\xff');
  });
  for (const [name, fn] of [
    ['atom with space', () => atom('a b')],
    ['empty atom', () => atom('')],
    ['raw with CRLF', () => raw('a\r\nb')],
    ['bad flag', () => flag('bad flag')],
    ['negative number', () => serializeValue(-1)],
    ['fractional number', () => serializeValue(1.5)],
    ['stream in serializeValue', () => serializeValue(streamLiteral(1, Readable.from([Buffer.from('x')])))],
  ] as const) {
    it(`throws for ${name}`, () => assert.throws(fn, TypeError));
  }
  it('formats response codes', () => {
    assert.equal(formatResponseCode({ name: 'BADCHARSET', args: [['UTF-8', 'US-ASCII']] }), '[BADCHARSET (UTF-8 US-ASCII)]');
    assert.equal(formatResponseCode({ name: 'APPENDUID', args: [38505, 3955] }), '[APPENDUID 38505 3955]');
    assert.equal(formatResponseCode({ name: 'TOOBIG' }), '[TOOBIG]');
    assert.throws(() => formatResponseCode({ name: 'X', args: ['a]b'] }), TypeError);
  });
});

/** A Writable that records bytes and is slow, with a small buffer, to exercise 'drain'. */
class SlowSocket extends Writable {
  readonly chunks: Buffer[] = [];
  maxBuffered = 0;
  constructor(private readonly delayMs = 0) {
    super({ highWaterMark: 16 * 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.chunks.push(chunk);
    if (this.delayMs > 0) setTimeout(cb, this.delayMs);
    else setImmediate(cb);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
  /** Everything handed to the socket, once it has all been written. */
  async written(): Promise<string> {
    await new Promise<void>((resolve) => this.end(resolve));
    return this.text();
  }
}

describe('ResponseWriter', () => {
  it('writes status, untagged and continuation responses', async () => {
    const socket = new SlowSocket();
    const w = new ResponseWriter(socket);
    await w.untagged(3, atom('EXISTS'));
    await w.status(null, 'OK', 'Still here', { name: 'UIDNEXT', args: [4392] });
    await w.tagged('a1', 'OK', 'SELECT completed', { name: 'READ-WRITE' });
    await w.tagged('a2', 'NO', 'bad\r\ninjected');
    await w.continuation();
    await w.continuationData(Buffer.from('challenge'));
    await w.parseError(null, new ImapParseError('Invalid tag'));
    await w.parseError('a3', new ImapParseError('Unsupported charset', { status: 'NO', code: { name: 'BADCHARSET', args: [['UTF-8']] } }));
    assert.equal(
      await socket.written(),
      '* 3 EXISTS\r\n' +
        '* OK [UIDNEXT 4392] Still here\r\n' +
        'a1 OK [READ-WRITE] SELECT completed\r\n' +
        'a2 NO bad??injected\r\n' +
        '+ Ready\r\n' +
        '+ Y2hhbGxlbmdl\r\n' +
        '* BAD Invalid tag\r\n' +
        'a3 NO [BADCHARSET (UTF-8)] Unsupported charset\r\n',
    );
  });

  it('streams a large literal from a Readable with backpressure', async () => {
    const size = 8 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= size) {
          this.push(null);
          return;
        }
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const socket = new (class extends SlowSocket {
      total = 0;
      override _write(c: Buffer, _e: BufferEncoding, cb: (err?: Error | null) => void): void {
        this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
        this.total += c.length;
        setImmediate(cb);
      }
    })();
    const w = new ResponseWriter(socket);
    await w.untagged(1, atom('FETCH'), [atom('UID'), 7, raw('BODY[]'), streamLiteral(size, source)]);
    await w.flush();
    await new Promise<void>((resolve) => socket.end(resolve));
    assert.equal(socket.total, '* 1 FETCH (UID 7 BODY[] {8388608}\r\n'.length + size + ')\r\n'.length);
    assert.ok(socket.maxBuffered <= 16 * 1024 + chunk.length, `socket buffer grew to ${socket.maxBuffered}`);
  });

  it('streams from a range reader and from a lazily opened stream', async () => {
    const body = Buffer.from('0123456789abcdef');
    const socket = new SlowSocket();
    const w = new ResponseWriter(socket, { chunkSize: 5 });
    const reads: Array<[number, number]> = [];
    await w.line([
      raw('*'),
      streamLiteral(body.length, {
        read: async (offset, length) => {
          reads.push([offset, length]);
          return body.subarray(offset, offset + length);
        },
      }),
      streamLiteral(3, () => Readable.from([Buffer.from('x'), Buffer.from('yz')])),
    ]);
    await w.flush();
    assert.equal(await socket.written(), `* {16}\r\n${body.toString()} {3}\r\nxyz\r\n`);
    assert.deepEqual(reads, [
      [0, 5],
      [5, 5],
      [10, 5],
      [15, 1],
    ]);
  });

  it('fails when a stream is shorter or longer than announced', async () => {
    const w = new ResponseWriter(new SlowSocket());
    await assert.rejects(w.line([streamLiteral(10, Readable.from([Buffer.from('short')]))]), LiteralSizeMismatchError);
    await assert.rejects(w.line([streamLiteral(2, Readable.from([Buffer.from('longer')]))]), LiteralSizeMismatchError);
    await assert.rejects(w.line([streamLiteral(4, { read: async () => Buffer.alloc(0) })]), LiteralSizeMismatchError);
  });

  it('never interleaves concurrent responses', async () => {
    const socket = new SlowSocket(1);
    const w = new ResponseWriter(socket);
    const slow = Readable.from(
      (async function* () {
        for (let i = 0; i < 5; i++) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          yield Buffer.from('ab');
        }
      })(),
    );
    await Promise.all([w.untagged(1, atom('FETCH'), [raw('BODY[]'), streamLiteral(10, slow)]), w.untagged(2, atom('EXISTS'))]);
    await w.flush();
    assert.equal(await socket.written(), '* 1 FETCH (BODY[] {10}\r\nababababab)\r\n* 2 EXISTS\r\n');
  });

  it('rejects writes to a destroyed socket', async () => {
    const socket = new SlowSocket();
    socket.destroy();
    await assert.rejects(new ResponseWriter(socket).continuation());
  });
});
