import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { CommandReader, type ReaderEvent } from '../../../src/imap/proto/reader.js';
import { frameAll, summarize } from './helpers.js';

/** A Writable that takes `delayMs` per chunk and has a tiny buffer. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  maxPending = 0;
  private pending = 0;
  constructor(private readonly delayMs: number) {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.writableLength);
    setTimeout(() => {
      this.pending--;
      this.chunks.push(chunk);
      cb();
    }, this.delayMs);
  }
}

describe('CommandReader streamed literals', () => {
  it('streams into a slow Writable, pausing the socket under backpressure', async () => {
    const size = 256 * 1024;
    const body = Buffer.alloc(size, 0x61);
    const sink = new SlowSink(1);
    const source = new PassThrough({ highWaterMark: 4096 });
    let maxBuffered = 0;
    let sawPause = false;
    const reader = CommandReader.fromReadable(source, {
      onContinuation: () => {},
      highWaterMark: 8192,
      literalPolicy: (req) => (req.command === 'APPEND' ? { action: 'stream', sink } : { action: 'buffer' }),
    });
    const pending = reader.readCommand();
    const writer = (async () => {
      source.write(`a APPEND INBOX {${size}+}\r\n`);
      for (let off = 0; off < size; off += 4096) {
        if (!source.write(body.subarray(off, off + 4096))) {
          await new Promise((resolve) => source.once('drain', resolve));
        }
        if (source.isPaused()) sawPause = true;
        maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
      }
      source.end('\r\n');
    })();
    const ev: ReaderEvent = await pending;
    await writer;
    assert.ok(ev.type === 'command');
    const lit = ev.command.literals[0];
    assert.ok(lit !== undefined && lit.kind === 'streamed');
    assert.equal(lit.size, size);
    assert.ok(sink.writableFinished, 'sink ended before the command was delivered');
    assert.ok(Buffer.concat(sink.chunks).equals(body));
    assert.ok(sawPause, 'source was paused while the sink was slow');
    assert.ok(maxBuffered <= 8192 + 4096, `reader buffered ${maxBuffered} octets`);
  });

  it('streams into an async chunk callback and awaits each chunk', async () => {
    const received: Buffer[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let ended = false;
    const framed = await frameAll(['a APPEND x {10}\r\n01234', '56789\r\n'], {
      literalPolicy: () => ({
        action: 'stream',
        sink: {
          write: async (chunk: Buffer) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 2));
            received.push(Buffer.from(chunk));
            inFlight--;
          },
          end: () => {
            ended = true;
          },
        },
      }),
    });
    assert.deepEqual(summarize(framed.events), ['command a APPEND x {10}<stream 10>', 'end']);
    assert.equal(Buffer.concat(received).toString(), '0123456789');
    assert.equal(maxInFlight, 1);
    assert.equal(ended, true);
  });

  it('a failing sink refuses the command but keeps the stream in sync', async () => {
    let aborted = false;
    const framed = await frameAll(['a APPEND x {10+}\r\n0123456789 {2+}\r\nzz\r\nb NOOP\r\n'], {
      literalPolicy: (req) =>
        req.index === 0
          ? {
              action: 'stream',
              sink: {
                write: () => {
                  throw new Error('disk full');
                },
                abort: () => {
                  aborted = true;
                },
              },
            }
          : { action: 'buffer' },
    });
    assert.deepEqual(summarize(framed.events), ['error a NO Cannot store literal data', 'command b NOOP', 'end']);
    assert.equal(aborted, true);
  });

  it('aborts the sink when the connection ends mid-literal', async () => {
    let aborted = false;
    const framed = await frameAll(['a APPEND x {10}\r\n0123'], {
      literalPolicy: () => ({
        action: 'stream',
        sink: { write: () => {}, abort: () => (aborted = true) },
      }),
    });
    assert.deepEqual(summarize(framed.events), ['end']);
    assert.equal(aborted, true);
  });
});
