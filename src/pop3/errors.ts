/**
 * Typed errors of the POP3 layer. A handler throws {@link Pop3Error} for every
 * negative answer; the dispatcher alone turns it into `-ERR [CODE] text`.
 */

/**
 * Response codes: RFC 2449 §8 (IN-USE, LOGIN-DELAY) and RFC 3206 (SYS/TEMP,
 * SYS/PERM, AUTH). Clients act on them (e.g. Thunderbird asks for a new
 * password only on AUTH), so they are used exactly as the RFCs define.
 */
export type Pop3ResponseCode = 'AUTH' | 'SYS/TEMP' | 'SYS/PERM' | 'IN-USE' | 'LOGIN-DELAY';

export class Pop3Error extends Error {
  override readonly name = 'Pop3Error';
  /** Text for the `-ERR` line: generic, never raw client input, no CR/LF. */
  readonly clientText: string;
  readonly code: Pop3ResponseCode | null;
  /** Counts towards the bad-command limit (syntax and state errors do; refusals do not). */
  readonly bad: boolean;

  constructor(clientText: string, options: { code?: Pop3ResponseCode; bad?: boolean; detail?: string; cause?: unknown } = {}) {
    super(options.detail ? `${clientText} (${options.detail})` : clientText, options.cause === undefined ? undefined : { cause: options.cause });
    this.clientText = clientText;
    this.code = options.code ?? null;
    this.bad = options.bad ?? false;
  }

  /** The full response line without CRLF. */
  line(): string {
    return this.code ? `-ERR [${this.code}] ${this.clientText}` : `-ERR ${this.clientText}`;
  }
}

/** A syntax error in a command's arguments (counts as a bad command). */
export function syntaxError(clientText: string, detail?: string): Pop3Error {
  return new Pop3Error(clientText, { bad: true, detail });
}
