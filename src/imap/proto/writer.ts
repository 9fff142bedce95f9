/**
 * Response writer: serialises untagged, tagged and continuation responses to
 * a Writable, awaiting 'drain' whenever the socket's buffer is full, so a
 * 50 MB FETCH BODY[] streams through a bounded amount of memory.
 *
 * Calls are queued, so responses from concurrent tasks (e.g. IDLE
 * notifications and a command's output) never interleave mid-line.
 */
import { Readable, type Writable } from 'node:stream';
import type { ImapParseError, ResponseCode } from '../errors.js';
import { waitForDrain } from './stream-util.js';
import {
  formatResponseCode,
  sanitizeText,
  serializeLineParts,
  type ImapStreamLiteral,
  type ImapValue,
  type LiteralSource,
  type RangeReader,
} from './values.js';

export type TaggedStatus = 'OK' | 'NO' | 'BAD';
export type UntaggedStatus = TaggedStatus | 'BYE' | 'PREAUTH';

/**
 * A streamed literal produced more or fewer octets than announced. The
 * response stream is no longer in sync with the client: close the connection.
 */
export class LiteralSizeMismatchError extends Error {
  override readonly name: string = 'LiteralSizeMismatchError';
  /** `produced` is null when the source had more octets than announced. */
  constructor(
    readonly announced: number,
    readonly produced: number | null,
  ) {
    super(`streamed literal announced ${announced} octets but source produced ${produced ?? 'more'}`);
  }
}

export interface ResponseWriterOptions {
  /** UTF8=ACCEPT enabled; can be changed later with `utf8 = true`. */
  readonly utf8?: boolean;
  /** Octets requested per call from a RangeReader; default 64 KiB. */
  readonly chunkSize?: number;
}

function isRangeReader(source: LiteralSource): source is RangeReader {
  return !(source instanceof Readable) && typeof source !== 'function';
}

/** `resp-text = ["[" resp-text-code "]" SP] text`. */
export function formatRespText(text: string, code?: ResponseCode | null): string {
  const body = sanitizeText(text);
  return code ? `${formatResponseCode(code)} ${body}` : body;
}

const STAR: ImapValue = { kind: 'raw', value: '*' };

/** Buffered response bytes are handed to the socket once this much has gathered. */
const COALESCE_BYTES = 64 * 1024;

export class ResponseWriter {
  utf8: boolean;
  private readonly chunkSize: number;
  private queue: Promise<void> = Promise.resolve();
  /**
   * Untagged data lines gathered for one socket write: a FETCH of thousands
   * of messages becomes a few large writes instead of one syscall and one TCP
   * segment per line. Status lines and continuations flush at once, so the
   * client never waits on a buffered completion (and STARTTLS's OK is on the
   * wire before the TLS handshake starts).
   */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushTimer: NodeJS.Immediate | null = null;
  private drained: Promise<void> | null = null;

  constructor(
    private readonly out: Writable,
    options: ResponseWriterOptions = {},
  ) {
    this.utf8 = options.utf8 ?? false;
    this.chunkSize = options.chunkSize ?? 64 * 1024;
  }

  /**
   * One response line: the values joined by SP, then CRLF. Resolves once the
   * line is buffered; it reaches the socket with the next status line, when
   * 64 KiB have gathered, on the next turn of the event loop, or on flush().
   */
  line(values: readonly ImapValue[]): Promise<void> {
    return this.enqueue(async () => {
      for (const piece of serializeLineParts(values, { utf8: this.utf8 })) {
        if (Buffer.isBuffer(piece)) await this.buffer(piece);
        else {
          await this.writeOut();
          await this.pump(piece);
        }
      }
      this.scheduleFlush();
    });
  }

  /** Several untagged lines (`* ` + values each) in one queued task: a page of FETCH responses. */
  untaggedBatch(lines: ReadonlyArray<readonly ImapValue[]>): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    return this.enqueue(async () => {
      for (const values of lines) {
        for (const piece of serializeLineParts([STAR, ...values], { utf8: this.utf8 })) {
          if (Buffer.isBuffer(piece)) await this.buffer(piece);
          else {
            await this.writeOut();
            await this.pump(piece);
          }
        }
      }
      this.scheduleFlush();
    });
  }

  /**
   * Untagged lines already formatted as protocol text (each `* ...` and
   * CRLF-terminated, one character per octet: 8-bit octets inside literals
   * as latin1), gathered like data lines: summary FETCH responses
   * (src/imap/fetch/summary.ts), which are not worth a value tree.
   */
  untaggedText(text: string): Promise<void> {
    if (text.length === 0) return Promise.resolve();
    return this.enqueue(async () => {
      await this.buffer(Buffer.from(text, 'latin1'));
      this.scheduleFlush();
    });
  }

  /** `* <values...>`, e.g. `untagged(3, atom('EXISTS'))`. */
  untagged(...values: readonly ImapValue[]): Promise<void> {
    return this.line([{ kind: 'raw', value: '*' }, ...values]);
  }

  /** `<tag> OK|NO|BAD [code] text`. */
  tagged(tag: string, status: TaggedStatus, text: string, code?: ResponseCode | null): Promise<void> {
    return this.status(tag, status, text, code);
  }

  /** Status response; `tag` null makes it untagged (`* OK`, `* BYE`, `* PREAUTH`...). */
  status(tag: string | null, status: UntaggedStatus, text: string, code?: ResponseCode | null): Promise<void> {
    const line = `${tag ?? '*'} ${status} ${formatRespText(text, code)}`;
    // Untagged status lines (SELECT's [UIDNEXT], [UIDVALIDITY]...) gather like data lines; a tagged one ends a command.
    if (tag === null && status !== 'BYE') return this.bufferedLine(line);
    return this.rawLine(line);
  }

  /** Answers a reader or parser error: `<tag or *> <BAD|NO> [code] text`. */
  parseError(tag: string | null, error: ImapParseError): Promise<void> {
    return this.status(tag, error.status, error.clientText, error.code);
  }

  /** `+ text` command continuation request. */
  continuation(text = 'Ready'): Promise<void> {
    return this.rawLine(`+ ${sanitizeText(text)}`);
  }

  /** `+ <base64>` SASL challenge (RFC 3501 §6.2.2); an empty challenge is `+ ` (RFC 4959). */
  continuationData(data: Buffer): Promise<void> {
    return this.rawLine(`+ ${data.toString('base64')}`);
  }

  /** Resolves when everything queued so far has been handed to the socket. */
  flush(): Promise<void> {
    return this.enqueue(() => this.writeOut());
  }

  private rawLine(text: string): Promise<void> {
    return this.enqueue(async () => {
      await this.buffer(Buffer.from(`${text}\r\n`, 'latin1'));
      await this.writeOut();
    });
  }

  private bufferedLine(text: string): Promise<void> {
    return this.enqueue(async () => {
      await this.buffer(Buffer.from(`${text}\r\n`, 'latin1'));
      this.scheduleFlush();
    });
  }

  private async buffer(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= COALESCE_BYTES) await this.writeOut();
  }

  /** Untagged lines left in the buffer go out on the next turn of the event loop (IDLE notifications, say). */
  private scheduleFlush(): void {
    if (this.flushTimer || this.pendingBytes === 0) return;
    this.flushTimer = setImmediate(() => {
      this.flushTimer = null;
      void this.enqueue(() => this.writeOut());
    });
  }

  /** Hands the buffered bytes to the socket, waiting for 'drain' when its buffer is full. */
  private async writeOut(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.put(buf);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    // A failed response must not wedge later ones; each caller still sees its own error.
    this.queue = run.catch(() => {});
    return run;
  }

  private async put(buf: Buffer): Promise<void> {
    if (this.out.destroyed) throw new Error('connection closed');
    if (!this.out.write(buf)) await waitForDrain(this.out);
  }

  private async pump(lit: ImapStreamLiteral): Promise<void> {
    const source = typeof lit.source === 'function' ? await lit.source() : lit.source;
    if (isRangeReader(source)) return this.pumpRange(lit.size, source);
    let written = 0;
    for await (const chunk of source) {
      const buf: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      if (written + buf.length > lit.size) {
        await this.put(buf.subarray(0, lit.size - written));
        source.destroy();
        throw new LiteralSizeMismatchError(lit.size, null);
      }
      // A Readable may hand over everything it buffered at once; slicing keeps the socket buffer bounded.
      for (let off = 0; off < buf.length; off += this.chunkSize) await this.put(buf.subarray(off, off + this.chunkSize));
      written += buf.length;
    }
    if (written !== lit.size) throw new LiteralSizeMismatchError(lit.size, written);
  }

  private async pumpRange(size: number, source: RangeReader): Promise<void> {
    let offset = 0;
    while (offset < size) {
      const want = Math.min(this.chunkSize, size - offset);
      const buf = await source.read(offset, want);
      if (buf.length === 0) throw new LiteralSizeMismatchError(size, offset);
      if (buf.length > want) throw new LiteralSizeMismatchError(size, null);
      await this.put(buf);
      offset += buf.length;
    }
  }
}
