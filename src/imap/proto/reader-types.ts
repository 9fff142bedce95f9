/**
 * Public types of the streaming command reader (see reader.ts).
 */
import type { ImapParseError } from '../errors.js';
import type { LiteralSink } from './literal-sink.js';
import type { RawCommand } from './raw-command.js';

/**
 * Which non-synchronizing literals the server advertised (RFC 7888):
 * `plus` = LITERAL+, `minus` = LITERAL- (at most 4096 octets), `none` = neither.
 */
export type LiteralMode = 'plus' | 'minus' | 'none';

/** RFC 7888 §5: the largest non-synchronizing literal a LITERAL- server accepts. */
export const LITERAL_MINUS_MAX = 4096;

/** What the reader knows about a literal before any of its octets are read. */
export interface LiteralRequest {
  /** Tag of the command, or null when it is not a valid tag. */
  readonly tag: string | null;
  /** Upper-cased command name so far, `UID` prefix joined (`APPEND`, `UID FETCH`). */
  readonly command: string;
  readonly size: number;
  readonly synchronizing: boolean;
  readonly binary: boolean;
  /** 0-based position of the literal within the command. */
  readonly index: number;
}

/**
 * The owner's choice for one literal: keep it in memory, stream it to a sink
 * (counted against `maxLiteralSize` but not against the per-command buffer
 * budget), or refuse the command with the given error.
 */
export type LiteralDecision =
  | { readonly action: 'buffer' }
  | { readonly action: 'stream'; readonly sink: LiteralSink }
  | { readonly action: 'reject'; readonly error: ImapParseError };

export interface CommandReaderOptions {
  /**
   * Must send a command continuation request (`+ ...`) for an accepted
   * synchronizing literal. The reader reads no literal octet before the
   * returned promise settles.
   */
  onContinuation(request: LiteralRequest): void | Promise<void>;
  /** Chooses buffer/stream/reject per literal; default buffers everything. */
  literalPolicy?(request: LiteralRequest): LiteralDecision | Promise<LiteralDecision>;
  /** Octets of line text (outside literals) per command; default 64 KiB. */
  maxLineLength?: number;
  /** Largest single literal, buffered or streamed; default 64 MiB. */
  maxLiteralSize?: number;
  /** Literal octets held in memory per command; default 8 MiB. */
  maxBufferedLiteralBytes?: number;
  /**
   * Non-synchronizing literal octets the reader swallows per refused command
   * before giving up and asking for the connection to be closed; default 1 MiB.
   */
  maxDiscardSize?: number;
  /** Default `plus`. */
  literalMode?: LiteralMode;
  /** Accept `~{n}` literal8 (RFC 3516 BINARY); default false. */
  allowLiteral8?: boolean;
  /** Unconsumed input octets above which `push` returns false; default 64 KiB. */
  highWaterMark?: number;
  /** Hard cap on unconsumed input when the pusher ignores backpressure; default 16 × highWaterMark. */
  maxInputBuffer?: number;
}

/**
 * Result of {@link CommandReader.readCommand}.
 * - `command`: a complete framed command, to be handed to `parseCommandLine`.
 * - `error`: the command was refused while framing; answer
 *   `<tag or *> <status> [code] text` and read the next command.
 * - `fatal`: the stream cannot be resynchronised; answer `* BYE` and close.
 * - `end`: the client closed the connection (any incomplete command is dropped).
 */
export type ReaderEvent =
  | { readonly type: 'command'; readonly tag: string | null; readonly name: string; readonly command: RawCommand }
  | { readonly type: 'error'; readonly tag: string | null; readonly error: ImapParseError }
  | { readonly type: 'fatal'; readonly tag: string | null; readonly error: ImapParseError }
  | { readonly type: 'end'; readonly error?: Error };

/** Result of {@link CommandReader.readLine} (AUTHENTICATE responses, IDLE's DONE). */
export type RawLineEvent =
  | { readonly type: 'line'; readonly line: Buffer }
  | { readonly type: 'error'; readonly error: ImapParseError }
  | { readonly type: 'fatal'; readonly error: ImapParseError }
  | { readonly type: 'end'; readonly error?: Error };
