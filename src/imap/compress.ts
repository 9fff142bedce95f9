/**
 * COMPRESS=DEFLATE (RFC 4978): after the tagged OK, everything in both
 * directions is a raw DEFLATE stream (RFC 1951, no zlib or gzip wrapper).
 * The session keeps its socket for closing and timeouts; its reader and
 * writer move to this duplex. Output is flushed (Z_SYNC_FLUSH, §4) once per
 * turn of the event loop, so a response the writer produced in pieces leaves
 * as one flush, and nothing waits in the compressor while the client waits
 * for it.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';

export class DeflateStream extends Duplex {
  private readonly inflate: InflateRaw;
  private readonly deflate: DeflateRaw;
  private flushScheduled = false;

  /**
   * @param socket the connection (plain or TLS), paused, with no other reader
   * @param received octets the client sent after the COMPRESS command line, already compressed
   */
  constructor(
    socket: Socket,
    received: Buffer,
  ) {
    super();
    this.inflate = createInflateRaw();
    // Level 6 is zlib's default trade; windowBits 15 is what RFC 4978 §4 clients assume.
    this.deflate = createDeflateRaw({ level: 6, windowBits: 15 });
    this.deflate.pipe(socket);
    // Backpressure: a full readable side pauses the inflater; the pipe below then pauses the socket.
    this.inflate.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) this.inflate.pause();
    });
    this.inflate.on('end', () => this.push(null));
    // Corrupt input cannot be resynchronised: the connection is over.
    this.inflate.on('error', (err) => {
      this.destroy(err);
      socket.destroy();
    });
    if (received.length > 0) this.inflate.write(received);
    socket.pipe(this.inflate);
  }

  override _read(): void {
    this.inflate.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const ok = this.deflate.write(chunk);
    this.scheduleFlush();
    if (ok) done();
    else this.deflate.once('drain', () => done());
  }

  override _final(done: (err?: Error | null) => void): void {
    // Z_FINISH ends the DEFLATE stream; the pipe then ends the socket.
    this.deflate.end(() => done());
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.inflate.destroy();
    this.deflate.destroy();
    done(err);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.deflate.destroyed) this.deflate.flush(constants.Z_SYNC_FLUSH);
    });
  }
}
