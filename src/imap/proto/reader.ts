/**
 * Streaming command reader: turns the client's byte stream into framed
 * commands (line text plus literals, RFC 3501 §4.3), enforcing every size
 * limit before the octets are held, and never holding more than the limits.
 *
 * Pull model: the owner calls `readCommand()` (or `readLine()` during
 * AUTHENTICATE and IDLE); nothing is consumed in between, so input piles up
 * only to `highWaterMark` before `push` returns false and the socket is paused.
 *
 * Refused literals (RFC 7888 §4): a refused synchronizing literal is answered
 * without `+` and the next line is a new command. A refused non-synchronizing
 * literal is already on its way, so the reader swallows it (and the rest of
 * the command) without storing it, up to `maxDiscardSize` octets; beyond that
 * it reports `fatal` and the owner sends `* BYE` and closes. The same applies
 * to the literal announced at the end of an overlong line, so literal data can
 * never be mistaken for commands.
 */
import type { Readable } from 'node:stream';
import { ImapParseError, tooBigError } from '../errors.js';
import { SP } from './chars.js';
import { InputBuffer, InputOverflow } from './input-buffer.js';
import {
  findLiteralAnnouncement,
  peekCommandHead,
  type CommandHead,
  type LiteralAnnouncement,
  type RawLiteral,
} from './raw-command.js';
import {
  LITERAL_MINUS_MAX,
  type CommandReaderOptions,
  type LiteralDecision,
  type LiteralMode,
  type LiteralRequest,
  type RawLineEvent,
  type ReaderEvent,
} from './reader-types.js';

export * from './reader-types.js';

export class CommandReader {
  private readonly input: InputBuffer;
  private readonly onContinuation: CommandReaderOptions['onContinuation'];
  private readonly literalPolicy: CommandReaderOptions['literalPolicy'];
  private readonly maxLineLength: number;
  private readonly maxLiteralSize: number;
  private readonly maxBufferedLiteralBytes: number;
  private readonly maxDiscardSize: number;
  private readonly literalMode: LiteralMode;
  private readonly allowLiteral8: boolean;
  private busy = false;
  private detachSource: (() => void) | null = null;

  constructor(options: CommandReaderOptions) {
    this.onContinuation = options.onContinuation;
    this.literalPolicy = options.literalPolicy;
    this.maxLineLength = options.maxLineLength ?? 64 * 1024;
    this.maxLiteralSize = options.maxLiteralSize ?? 64 * 1024 * 1024;
    this.maxBufferedLiteralBytes = options.maxBufferedLiteralBytes ?? 8 * 1024 * 1024;
    this.maxDiscardSize = options.maxDiscardSize ?? 1024 * 1024;
    this.literalMode = options.literalMode ?? 'plus';
    this.allowLiteral8 = options.allowLiteral8 ?? false;
    const highWaterMark = options.highWaterMark ?? 64 * 1024;
    this.input = new InputBuffer(highWaterMark, options.maxInputBuffer ?? highWaterMark * 16);
  }

  /** Reads from `source`, pausing it whenever the reader's input buffer is full. */
  static fromReadable(source: Readable, options: CommandReaderOptions): CommandReader {
    const reader = new CommandReader(options);
    let paused = false;
    const onData = (chunk: Buffer | string): void => {
      if (reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk) || paused) return;
      paused = true;
      source.pause();
      void reader.waitForDrain().then(() => {
        paused = false;
        if (!reader.isClosed) source.resume();
      });
    };
    const onEnd = (): void => reader.end();
    const onError = (err: Error): void => reader.end(err);
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('close', onEnd);
    source.on('error', onError);
    reader.detachSource = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onEnd);
      source.off('error', onError);
      source.pause();
    };
    return reader;
  }

  /** Octets received but not yet consumed (e.g. pipelined after STARTTLS, which must be discarded). */
  get bufferedBytes(): number {
    return this.input.length;
  }

  get isClosed(): boolean {
    return this.input.closed;
  }

  /** Adds received octets; false means "stop sending until `waitForDrain()` resolves". */
  push(chunk: Buffer): boolean {
    return this.input.push(chunk);
  }

  /** The peer finished sending (or the source failed with `error`). */
  end(error?: Error): void {
    this.input.end(error);
  }

  /** Detaches from the source and drops buffered input; pending and later reads report `end`. */
  close(): void {
    if (this.input.closed) return;
    this.input.close();
    this.detachSource?.();
    this.detachSource = null;
  }

  /**
   * Stops reading from the source (left paused) and returns what was
   * received after the last framed command: for COMPRESS (RFC 4978 §3) those
   * octets are already compressed and belong to the new stream.
   */
  detach(): Buffer {
    if (this.input.closed) return Buffer.alloc(0);
    const rest = this.input.closeAndTake();
    this.detachSource?.();
    this.detachSource = null;
    return rest;
  }

  /** Resolves once the input buffer is below the high-water mark. */
  waitForDrain(): Promise<void> {
    return this.input.waitForDrain();
  }

  /** Frames the next command. Only one read (command or line) may be pending at a time. */
  async readCommand(): Promise<ReaderEvent> {
    this.enter();
    try {
      const event = await this.frameCommand();
      // Nothing after a fatal event can be framed reliably; stop reading while the owner sends BYE.
      if (event.type === 'fatal') this.close();
      return event;
    } catch (e) {
      if (e instanceof InputOverflow) {
        this.close();
        return { type: 'fatal', tag: null, error: this.overflowError() };
      }
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Reads one raw line that is not a command: a SASL response during
   * AUTHENTICATE, or `DONE` during IDLE. An overlong line is discarded up to
   * its CRLF and reported as `error`.
   */
  async readLine(maxLength: number = this.maxLineLength): Promise<RawLineEvent> {
    this.enter();
    try {
      const line = await this.input.readLine(maxLength);
      if (line === null) return this.endEvent();
      if (line.data === null) return { type: 'error', error: new ImapParseError('Line too long') };
      return { type: 'line', line: line.data };
    } catch (e) {
      if (e instanceof InputOverflow) {
        this.close();
        return { type: 'fatal', error: this.overflowError() };
      }
      throw e;
    } finally {
      this.busy = false;
    }
  }

  private enter(): void {
    if (this.busy) throw new Error('CommandReader: a read is already pending');
    this.busy = true;
  }

  private overflowError(): ImapParseError {
    return new ImapParseError('Input buffer overflow', { detail: 'pusher ignored backpressure' });
  }

  private endEvent(): { readonly type: 'end'; readonly error?: Error } {
    const error = this.input.endError;
    return error === undefined ? { type: 'end' } : { type: 'end', error };
  }

  private async frameCommand(): Promise<ReaderEvent> {
    const segments: Buffer[] = [];
    const literals: RawLiteral[] = [];
    let lineBytes = 0;
    let bufferedBytes = 0;
    let head: CommandHead | null = null;
    for (;;) {
      const line = await this.input.readLine(this.maxLineLength - lineBytes);
      if (line === null) return this.endEvent();
      if (head === null) {
        // RFC 3501 has no empty command; stray CRLFs (e.g. after a literal) are skipped.
        if (line.data !== null && line.data.length === 0) continue;
        head = peekCommandHead(line.head);
        // An overlong line whose kept head has no SP may have a longer tag than we kept: answer untagged.
        if (line.data === null && !line.head.includes(SP)) head = { tag: null, command: '' };
      }
      if (line.data === null) {
        const error = new ImapParseError('Command line too long');
        return this.refuseAfterLine(head, findLiteralAnnouncement(line.tail), error);
      }
      segments.push(line.data);
      lineBytes += line.data.length;
      const ann = findLiteralAnnouncement(line.data);
      if (ann === null) return { type: 'command', tag: head.tag, name: head.command, command: { segments, literals } };

      const request: LiteralRequest = {
        tag: head.tag,
        command: head.command,
        size: ann.size,
        synchronizing: ann.synchronizing,
        binary: ann.binary,
        index: literals.length,
      };
      const refusal = this.checkAnnouncement(head, ann);
      let decision: LiteralDecision = refusal ? { action: 'reject', error: refusal } : await this.decide(request);
      if (decision.action === 'buffer' && bufferedBytes + ann.size > this.maxBufferedLiteralBytes) {
        decision = { action: 'reject', error: tooBigError('Command literals too large', tooBigStatus(head)) };
      }
      if (decision.action === 'reject') return this.refuseAfterLine(head, ann, decision.error);

      if (ann.synchronizing) await this.onContinuation(request);
      if (decision.action === 'buffer') {
        const literal = await this.input.readBuffered(ann);
        if (literal === null) return this.endEvent();
        bufferedBytes += ann.size;
        literals.push(literal);
      } else {
        const literal = await this.input.readStreamed(ann, decision.sink);
        if (literal === null) return this.endEvent();
        if (literal instanceof Error) {
          const error = new ImapParseError('Cannot store literal data', { status: 'NO', cause: literal });
          return this.discardRest(head, 0, error);
        }
        literals.push(literal);
      }
    }
  }

  private async decide(request: LiteralRequest): Promise<LiteralDecision> {
    return this.literalPolicy === undefined ? { action: 'buffer' } : await this.literalPolicy(request);
  }

  /** Limits that apply before the owner is even asked. */
  private checkAnnouncement(head: CommandHead, ann: LiteralAnnouncement): ImapParseError | null {
    if (ann.binary && !this.allowLiteral8) return new ImapParseError('literal8 is not supported');
    if (!ann.synchronizing && this.literalMode === 'none') {
      return new ImapParseError('Non-synchronizing literals are not supported');
    }
    if (!ann.synchronizing && this.literalMode === 'minus' && ann.size > LITERAL_MINUS_MAX) {
      // RFC 7888 §5: LITERAL- caps {n+} at 4096 octets and the refusal carries TOOBIG.
      return tooBigError('Non-synchronizing literal larger than 4096 octets', 'BAD');
    }
    if (ann.size > this.maxLiteralSize) return tooBigError('Literal too large', tooBigStatus(head));
    return null;
  }

  /**
   * Ends a refused command. After a synchronizing announcement (or none) the
   * client sends nothing more for this command; after a non-synchronizing one
   * its data is already coming and must be swallowed.
   */
  private async refuseAfterLine(
    head: CommandHead,
    ann: LiteralAnnouncement | null,
    error: ImapParseError,
  ): Promise<ReaderEvent> {
    if (ann === null || ann.synchronizing) return { type: 'error', tag: head.tag, error };
    return this.discardRest(head, ann.size, error);
  }

  /** Swallows `pending` literal octets and the rest of the command, within `maxDiscardSize`. */
  private async discardRest(head: CommandHead, pending: number, error: ImapParseError): Promise<ReaderEvent> {
    let budget = this.maxDiscardSize;
    for (;;) {
      if (pending > budget) {
        const fatal = tooBigError('Literal too large, closing connection', 'BAD');
        return { type: 'fatal', tag: head.tag, error: fatal };
      }
      budget -= pending;
      if (!(await this.input.skip(pending))) return this.endEvent();
      const line = await this.input.readLine(0);
      if (line === null) return this.endEvent();
      const ann = findLiteralAnnouncement(line.data ?? line.tail);
      if (ann === null || ann.synchronizing) return { type: 'error', tag: head.tag, error };
      pending = ann.size;
    }
  }
}

/** RFC 7889/4469: APPEND refusals for size are NO [TOOBIG]; elsewhere the command is simply not acceptable (BAD). */
function tooBigStatus(head: CommandHead): 'NO' | 'BAD' {
  return head.command === 'APPEND' ? 'NO' : 'BAD';
}
