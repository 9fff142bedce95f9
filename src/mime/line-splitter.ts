/**
 * Cuts a byte stream into lines without assuming anything about chunk
 * sizes. Only an incomplete line is buffered, and at most `maxPiece` bytes
 * of it: a longer line is passed on in pieces as it arrives, so a 20 MB line
 * never sits in memory. Guarantee relied on by the scanner: a line whose
 * content is shorter than `maxPiece` always arrives as one piece, however
 * the input was chunked.
 */
import { ByteBuffer } from './byte-buffer.js';

export interface LineSink {
  /**
   * `data` is line content without its terminator, valid only during the
   * call. `first`: this piece starts a line; `last`: it ends one, and
   * `term` is the terminator length (2 CRLF, 1 bare LF, 0 at end of input).
   */
  piece(data: Buffer, first: boolean, last: boolean, term: 0 | 1 | 2): void;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly carry: ByteBuffer;
  /** Pieces of the current line have already been emitted. */
  private started = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxPiece: number,
  ) {
    // One more than maxPiece, so a CR held back from a full piece still fits.
    this.carry = new ByteBuffer(maxPiece + 1);
  }

  write(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const lf = chunk.indexOf(LF, i);
      if (lf < 0) {
        this.stash(chunk, i, n);
        return;
      }
      if (this.carry.length > 0) {
        if (this.carry.length + (lf - i) <= this.maxPiece) {
          this.carry.append(chunk, i, lf);
          this.emitLine(this.carry.view());
        } else {
          this.emitPiece(this.carry.view(), false);
          this.emitLine(chunk.subarray(i, lf));
        }
        this.carry.reset();
      } else {
        this.emitLine(chunk.subarray(i, lf));
      }
      i = lf + 1;
    }
  }

  end(): void {
    if (this.carry.length > 0 || this.started) {
      const first = !this.started;
      this.started = false;
      this.sink.piece(this.carry.view(), first, true, 0);
      this.carry.reset();
    }
  }

  /** Content up to (not including) an LF. */
  private emitLine(content: Buffer): void {
    let term: 1 | 2 = 1;
    let data = content;
    if (data.length > 0 && data[data.length - 1] === CR) {
      term = 2;
      data = data.subarray(0, data.length - 1);
    }
    const first = !this.started;
    this.started = false;
    this.sink.piece(data, first, true, term);
  }

  private emitPiece(data: Buffer, holdCr: boolean): void {
    let d = data;
    if (holdCr && d.length > 0 && d[d.length - 1] === CR) d = d.subarray(0, d.length - 1);
    if (d.length === 0) return;
    const first = !this.started;
    this.started = true;
    this.sink.piece(d, first, false, 0);
  }

  /** Bytes with no LF after them yet. */
  private stash(chunk: Buffer, i: number, n: number): void {
    if (this.carry.length + (n - i) <= this.maxPiece) {
      this.carry.append(chunk, i, n);
      return;
    }
    // Too long to keep: pass it on, except a final CR that may yet meet its LF.
    // The carried bytes are safe to emit whole: no LF follows them in this chunk.
    if (this.carry.length > 0) {
      this.emitPiece(this.carry.view(), false);
      this.carry.reset();
    }
    const heldCr = chunk[n - 1] === CR;
    this.emitPiece(chunk.subarray(i, n), true);
    if (heldCr) this.carry.appendByte(CR);
  }
}
