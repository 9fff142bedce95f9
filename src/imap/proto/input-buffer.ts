/**
 * Octet-level input of the command reader: received chunks, waiting for more,
 * backpressure towards the pusher, and the primitives that consume input
 * (a line, a skipped span, a buffered or streamed literal payload). IMAP
 * framing decisions live in reader.ts.
 */
import { Writable } from 'node:stream';
import { ByteQueue } from './byte-queue.js';
import { CR, LF } from './chars.js';
import { sinkAbort, sinkEnd, sinkWrite, type LiteralSink } from './literal-sink.js';
import type { LiteralAnnouncement, RawLiteral, StreamedLiteral } from './raw-command.js';

const HEAD_KEEP = 256;
const TAIL_KEEP = 48;
const EMPTY: Buffer = Buffer.alloc(0);

export interface LineResult {
  /** The line without CRLF, or null when it exceeded the limit and was discarded. */
  readonly data: Buffer | null;
  /** First octets (for the tag) and last octets (for a literal announcement), kept even when discarded. */
  readonly head: Buffer;
  readonly tail: Buffer;
}

/** Thrown by the consuming primitives once the pusher ignored backpressure past the hard cap. */
export class InputOverflow extends Error {}

function lastBytes(buf: Buffer, n: number): Buffer {
  return Buffer.from(buf.length <= n ? buf : buf.subarray(buf.length - n));
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export class InputBuffer {
  private readonly queue = new ByteQueue();
  private ended = false;
  private closedFlag = false;
  private overflowed = false;
  private endErrorValue: Error | undefined;
  private wake: (() => void) | null = null;
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly highWaterMark: number,
    private readonly maxInputBuffer: number,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get endError(): Error | undefined {
    return this.endErrorValue;
  }

  push(chunk: Buffer): boolean {
    if (this.closedFlag || this.ended || this.overflowed) return false;
    this.queue.push(chunk);
    if (this.queue.length > this.maxInputBuffer) {
      this.overflowed = true;
      this.queue.clear();
    }
    this.notify();
    return this.queue.length < this.highWaterMark && !this.overflowed;
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.endErrorValue = error;
    this.notify();
  }

  /** Closes the buffer and returns the octets received but not yet read (a protocol switch hands them on). */
  closeAndTake(): Buffer {
    const rest = this.overflowed ? Buffer.alloc(0) : this.queue.takeAll();
    this.close();
    return rest;
  }

  close(): void {
    this.closedFlag = true;
    this.queue.clear();
    this.notify();
    this.releaseDrainWaiters();
  }

  waitForDrain(): Promise<void> {
    if (this.closedFlag || this.queue.length < this.highWaterMark) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private consume(n: number): void {
    this.queue.consume(n);
    if (this.drainWaiters.length > 0 && this.queue.length < this.highWaterMark) this.releaseDrainWaiters();
  }

  /** Resolves with the head chunk, or null at end of input. */
  private async nextChunk(): Promise<Buffer | null> {
    for (;;) {
      if (this.overflowed) throw new InputOverflow();
      if (this.closedFlag) return null;
      const chunk = this.queue.peekChunk();
      if (chunk !== null) return chunk;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Reads up to LF; lines longer than `limit` octets (CRLF excluded) are discarded in constant memory. */
  async readLine(limit: number): Promise<LineResult | null> {
    const parts: Buffer[] = [];
    let size = 0;
    let overlong = false;
    let head = EMPTY;
    let tail = EMPTY;
    for (;;) {
      const chunk = await this.nextChunk();
      if (chunk === null) return null;
      const lf = chunk.indexOf(LF);
      const piece = lf >= 0 ? chunk.subarray(0, lf) : chunk;
      if (!overlong && size + piece.length > limit + 1) {
        // +1 leaves room for the CR of CRLF, which is stripped below.
        overlong = true;
        const joined = Buffer.concat([...parts, piece]);
        head = Buffer.from(joined.subarray(0, HEAD_KEEP));
        tail = lastBytes(joined, TAIL_KEEP);
        parts.length = 0;
      } else if (overlong) {
        tail = piece.length >= TAIL_KEEP ? lastBytes(piece, TAIL_KEEP) : lastBytes(Buffer.concat([tail, piece]), TAIL_KEEP);
      } else {
        parts.push(piece);
        size += piece.length;
      }
      this.consume(lf >= 0 ? lf + 1 : chunk.length);
      if (lf >= 0) break;
    }
    if (overlong) {
      if (tail.length > 0 && tail[tail.length - 1] === CR) tail = tail.subarray(0, tail.length - 1);
      return { data: null, head, tail };
    }
    let line: Buffer = Buffer.concat(parts, size);
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > limit) return { data: null, head: line.subarray(0, HEAD_KEEP), tail: lastBytes(line, TAIL_KEEP) };
    return { data: line, head: line, tail: line };
  }

  /** Drops `n` octets; false at end of input. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      const chunk = await this.nextChunk();
      if (chunk === null) return false;
      const take = Math.min(chunk.length, left);
      this.consume(take);
      left -= take;
    }
    return true;
  }

  /** The literal payload in memory; null at end of input. */
  async readBuffered(ann: LiteralAnnouncement): Promise<RawLiteral | null> {
    const parts: Buffer[] = [];
    let got = 0;
    let hasNul = false;
    while (got < ann.size) {
      const chunk = await this.nextChunk();
      if (chunk === null) return null;
      const piece = chunk.subarray(0, Math.min(chunk.length, ann.size - got));
      if (!hasNul && piece.includes(0)) hasNul = true;
      parts.push(piece);
      got += piece.length;
      this.consume(piece.length);
    }
    return {
      kind: 'buffered',
      data: Buffer.concat(parts, ann.size),
      synchronizing: ann.synchronizing,
      binary: ann.binary,
      hasNul,
    };
  }

  /**
   * Pumps the literal payload into `sink`, awaiting each write (so a slow
   * sink stops consumption and, through `push()`, the socket). A failing sink
   * does not desynchronise the stream: the remaining octets are still
   * consumed and the failure is returned. Null at end of input (sink aborted).
   */
  async readStreamed(ann: LiteralAnnouncement, sink: LiteralSink): Promise<StreamedLiteral | Error | null> {
    let failure: Error | null = null;
    // Capture errors the sink emits between our writes, which would otherwise be unhandled.
    const onSinkError = (err: Error): void => {
      failure ??= err;
    };
    if (sink instanceof Writable) sink.on('error', onSinkError);
    try {
      let got = 0;
      let hasNul = false;
      while (got < ann.size) {
        const chunk = await this.nextChunk();
        if (chunk === null) {
          sinkAbort(sink, new Error('connection closed during literal'));
          return null;
        }
        const piece = chunk.subarray(0, Math.min(chunk.length, ann.size - got));
        if (!hasNul && piece.includes(0)) hasNul = true;
        got += piece.length;
        this.consume(piece.length);
        if (failure !== null) continue;
        try {
          await sinkWrite(sink, piece);
        } catch (e) {
          failure = toError(e);
          sinkAbort(sink, failure);
        }
      }
      if (failure === null) {
        try {
          await sinkEnd(sink);
        } catch (e) {
          failure = toError(e);
        }
      }
      if (failure !== null) return failure;
      return { kind: 'streamed', size: ann.size, synchronizing: ann.synchronizing, binary: ann.binary, hasNul };
    } finally {
      if (sink instanceof Writable) sink.off('error', onSinkError);
    }
  }
}
