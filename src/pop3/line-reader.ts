import type { Readable } from 'node:stream';

export type ReaderEvent =
  /** One line without its terminator (CRLF, or a bare LF from lenient clients). */
  | { kind: 'line'; line: Buffer }
  /** A line longer than the limit arrived; its bytes were dropped. */
  | { kind: 'overlong' }
  /** The peer closed its side, or the connection went away. */
  | { kind: 'end' };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits the client's byte stream into command lines, with a maximum line
 * length, for a pull-based session loop (one command at a time, in order:
 * RFC 2449 §6.6 PIPELINING). An overlong line is dropped as it streams in, so
 * memory stays bounded; reading pauses while too much input is queued.
 */
export class LineReader {
  private queue: ReaderEvent[] = [];
  private queuedBytes = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private discarding = false;
  private ended = false;
  private paused = false;
  private source: Readable | null = null;
  private waiter: (() => void) | null = null;

  constructor(
    /** Longest accepted line, terminator excluded. */
    private readonly maxLine: number,
    /** Queued input (bytes) above which the socket is paused. */
    private readonly highWater = 256 * 1024,
  ) {}

  private readonly onData = (chunk: Buffer): void => {
    this.push(chunk);
    this.wake();
  };

  private readonly onEnd = (): void => {
    if (!this.ended) {
      this.ended = true;
      this.queue.push({ kind: 'end' });
    }
    this.wake();
  };

  attach(source: Readable): void {
    this.source = source;
    this.paused = false;
    source.on('data', this.onData);
    source.on('end', this.onEnd);
    source.on('close', this.onEnd);
  }

  /**
   * Stops reading from the current source and drops everything queued: after
   * STLS nothing the client sent in plaintext may be acted on (RFC 2595 §3,
   * the STARTTLS command-injection problem).
   */
  detach(): void {
    const s = this.source;
    if (s) {
      s.off('data', this.onData);
      s.off('end', this.onEnd);
      s.off('close', this.onEnd);
    }
    this.source = null;
    this.queue = [];
    this.queuedBytes = 0;
    this.partial = [];
    this.partialBytes = 0;
    this.discarding = false;
  }

  /** Whether another event is already waiting (the client pipelined more input). */
  get pending(): boolean {
    return this.queue.length > 0;
  }

  /** The next event; waits for input. */
  async next(): Promise<ReaderEvent> {
    while (this.queue.length === 0) {
      if (this.ended) return { kind: 'end' };
      this.resumeIfLow();
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const ev = this.queue.shift()!;
    if (ev.kind === 'line') this.queuedBytes -= ev.line.length;
    this.resumeIfLow();
    return ev;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private resumeIfLow(): void {
    if (this.paused && this.queuedBytes < this.highWater / 2 && this.queue.length < 64) {
      this.paused = false;
      this.source?.resume();
    }
  }

  private push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, start);
      if (lf < 0) break;
      const piece = chunk.subarray(start, lf);
      start = lf + 1;
      if (this.discarding) {
        this.discarding = false;
        this.queue.push({ kind: 'overlong' });
        continue;
      }
      let line: Buffer;
      if (this.partialBytes > 0) {
        this.partial.push(piece);
        line = Buffer.concat(this.partial, this.partialBytes + piece.length);
        this.partial = [];
        this.partialBytes = 0;
      } else {
        line = piece;
      }
      if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
      if (line.length > this.maxLine) {
        this.queue.push({ kind: 'overlong' });
        continue;
      }
      // Copy: a slice would pin the whole socket chunk while the line waits.
      const own = Buffer.from(line);
      this.queue.push({ kind: 'line', line: own });
      this.queuedBytes += own.length;
    }
    if (start < chunk.length && !this.discarding) {
      const rest = chunk.subarray(start);
      // +1: the limit excludes a CR that may still arrive before the LF.
      if (this.partialBytes + rest.length > this.maxLine + 1) {
        this.partial = [];
        this.partialBytes = 0;
        this.discarding = true;
      } else {
        this.partial.push(Buffer.from(rest));
        this.partialBytes += rest.length;
      }
    }
    if (!this.paused && (this.queuedBytes > this.highWater || this.queue.length > 256)) {
      this.paused = true;
      this.source?.pause();
    }
  }
}
