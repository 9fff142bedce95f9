/**
 * FIFO of received chunks. Consumers take views of the head chunk so that a
 * byte is never copied more than once on its way to a line or literal.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  private offset = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The unconsumed part of the oldest chunk, or null when empty. */
  peekChunk(): Buffer | null {
    const chunk = this.chunks[this.head];
    if (chunk === undefined) return null;
    return this.offset === 0 ? chunk : chunk.subarray(this.offset);
  }

  /** Drops `n` octets, which must not exceed the head chunk (callers work chunk by chunk). */
  consume(n: number): void {
    const chunk = this.chunks[this.head];
    if (chunk === undefined || n > chunk.length - this.offset) {
      throw new RangeError('ByteQueue.consume beyond head chunk');
    }
    this.offset += n;
    this.total -= n;
    if (this.offset === chunk.length) {
      this.head++;
      this.offset = 0;
      // Compact occasionally so the array does not grow with the connection's lifetime.
      if (this.head > 64 && this.head * 2 > this.chunks.length) {
        this.chunks = this.chunks.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Everything still queued, in one buffer, and empties the queue. */
  takeAll(): Buffer {
    const rest: Buffer[] = [];
    for (let chunk = this.peekChunk(); chunk !== null; chunk = this.peekChunk()) {
      rest.push(chunk);
      this.consume(chunk.length);
    }
    return Buffer.concat(rest);
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.total = 0;
  }
}
