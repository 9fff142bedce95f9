/**
 * An append-only byte buffer with a hard cap. The scanner copies whatever
 * it keeps into one of these instead of holding slices of the caller's
 * chunks, which would pin whole chunks (up to 1 MB each) in memory.
 */
export class ByteBuffer {
  private buf: Buffer;
  private len = 0;

  constructor(
    /** Bytes beyond this are dropped; `append` reports how many were kept. */
    readonly cap: number,
    initial = 256,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(initial, cap));
  }

  get length(): number {
    return this.len;
  }

  get full(): boolean {
    return this.len >= this.cap;
  }

  /** Appends data[start, end), truncated at the cap. Returns the number of bytes kept. */
  append(data: Buffer, start = 0, end = data.length): number {
    const n = Math.min(end - start, this.cap - this.len);
    if (n <= 0) return 0;
    if (this.len + n > this.buf.length) {
      let size = Math.max(this.buf.length * 2, 64);
      while (size < this.len + n) size *= 2;
      const next = Buffer.allocUnsafe(Math.min(size, this.cap));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    data.copy(this.buf, this.len, start, start + n);
    this.len += n;
    return n;
  }

  appendByte(b: number): boolean {
    if (this.len >= this.cap) return false;
    if (this.len === this.buf.length) {
      const next = Buffer.allocUnsafe(Math.min(Math.max(this.buf.length * 2, 64), this.cap));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.buf[this.len++] = b;
    return true;
  }

  /** A view of the content; valid until the next append or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** Empties the buffer, keeping its storage only when it is small. */
  reset(): void {
    this.len = 0;
    if (this.buf.length > 4096) this.buf = Buffer.allocUnsafe(256);
  }
}
