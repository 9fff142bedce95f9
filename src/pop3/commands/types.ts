import type { Pop3Config } from '../../config/schema.js';
import type { DropEntry, Maildrop } from '../maildrop.js';

/** RFC 1939 §3. UPDATE is entered by QUIT and ends the session, so no command runs in it. */
export type SessionState = 'authorization' | 'transaction';

/** What a command handler may do with its session. The dispatcher has already checked the state. */
export interface SessionApi {
  readonly id: string;
  readonly state: SessionState;
  readonly secure: boolean;
  readonly config: Pop3Config;
  /** Whether plaintext passwords (USER/PASS, PLAIN, LOGIN) are accepted on this connection. */
  readonly plaintextAllowed: boolean;
  /** The name given by USER, waiting for PASS. */
  pendingUser: string | null;
  /** `+OK text`. */
  ok(text: string): void;
  /** `+OK first`, the lines (dot-stuffed), then the terminating ".". */
  multiline(first: string, lines: Iterable<string>): void;
  /** Sends a SASL challenge (`+ base64`) and returns the client's answer; "*" cancels (RFC 5034 §4). */
  challenge(base64: string): Promise<string>;
  /** The single login path, then the maildrop lock and snapshot; enters TRANSACTION. */
  login(username: string, password: string): Promise<void>;
  capabilities(): string[];
  /** Answers +OK and negotiates TLS (RFC 2595 §4). */
  startTls(): Promise<void>;
  /** The TRANSACTION-state maildrop. */
  maildrop(): Maildrop;
  /** RETR (lines null) or TOP: the +OK line, the message (or its top) encoded, the terminator. False when the client left half-way. */
  sendMessage(entry: DropEntry, lines: number | null): Promise<boolean>;
  markSeen(uid: number): void;
  /** QUIT: the UPDATE state when in TRANSACTION, then the final answer and close. */
  quit(): Promise<void>;
}

/**
 * One POP3 command: a pure parser of the text after the keyword, and a
 * handler that answers (or throws a Pop3Error for the dispatcher to answer).
 */
export interface Pop3Command<A> {
  readonly name: string;
  readonly states: readonly SessionState[];
  parse(args: string): A;
  handle(session: SessionApi, args: A): Promise<void>;
}
