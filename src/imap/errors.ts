/**
 * Typed errors of the IMAP protocol layer. Everything thrown while reading or
 * parsing a client command is an {@link ImapParseError}: it carries the text
 * that is safe to send back to the client (never raw client input beyond short
 * atoms) and, when an RFC defines one, the response code to put in brackets.
 */

/** One argument of a response code: atoms/numbers written verbatim, arrays as parenthesised lists. */
export type ResponseCodeArg = string | number | bigint | readonly ResponseCodeArg[];

/** A response code such as `[TOOBIG]` or `[BADCHARSET (UTF-8 US-ASCII)]` (RFC 3501 §7.1, RFC 5530). */
export interface ResponseCode {
  /** The code atom, e.g. `BADCHARSET`. */
  readonly name: string;
  readonly args?: readonly ResponseCodeArg[];
}

/** Tagged status a parse error is answered with. RFC 3501 uses BAD for syntax and NO for refusals (e.g. BADCHARSET). */
export type ParseErrorStatus = 'BAD' | 'NO';

export interface ImapParseErrorOptions {
  /** Defaults to `BAD`. */
  status?: ParseErrorStatus;
  /** A bare name is shorthand for a code without arguments. */
  code?: ResponseCode | string;
  /** Extra detail for logs only; never sent to the client. */
  detail?: string;
  cause?: unknown;
}

export class ImapParseError extends Error {
  override readonly name: string = 'ImapParseError';
  /** Text for the tagged (or untagged) response; contains no CR, LF or 8-bit data. */
  readonly clientText: string;
  readonly status: ParseErrorStatus;
  readonly code: ResponseCode | null;

  constructor(clientText: string, options: ImapParseErrorOptions = {}) {
    const detail = options.detail === undefined ? '' : ` (${options.detail})`;
    super(clientText + detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.clientText = clientText;
    this.status = options.status ?? 'BAD';
    const code = options.code;
    this.code = code === undefined ? null : typeof code === 'string' ? { name: code } : code;
  }
}

/**
 * Invalid modified UTF-7 (RFC 3501 §5.1.3). Answered with NO because the
 * command is well-formed but names a mailbox the server will not accept.
 */
export class Mutf7Error extends ImapParseError {
  override readonly name: string = 'Mutf7Error';
  constructor(detail: string) {
    super('Mailbox name is not valid modified UTF-7', { status: 'NO', detail });
  }
}

/** Charsets the search parser accepts, in the order advertised by `[BADCHARSET (...)]` (RFC 3501 §6.4.4). */
export const SUPPORTED_CHARSETS: readonly string[] = ['UTF-8', 'US-ASCII'];

export function badCharsetError(): ImapParseError {
  return new ImapParseError('Unsupported charset', {
    status: 'NO',
    code: { name: 'BADCHARSET', args: [SUPPORTED_CHARSETS] },
  });
}

export function tooBigError(text: string, status: ParseErrorStatus): ImapParseError {
  return new ImapParseError(text, { status, code: 'TOOBIG' });
}
