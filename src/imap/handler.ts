/**
 * The shape of one command handler (`commands/<name>.ts`) and the typed
 * failures handlers throw; the dispatcher turns them into tagged responses.
 */
import type { ResponseCode } from './errors.js';
import type { CommandArgs, CommandName } from './parse/registry.js';
import type { TaggedStatus } from './proto/writer.js';
import type { Session } from './session.js';

/** RFC 3501 §3 connection states. */
export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export const ANY_STATE: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHENTICATED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];
export const NOT_AUTHENTICATED: readonly SessionState[] = ['not-authenticated'];

export interface Command<N extends CommandName> {
  readonly tag: string;
  readonly name: N;
  readonly args: CommandArgs<N>;
}

/** What a handler answers with; the dispatcher writes `<tag> OK [code] text`. */
export interface CommandResult {
  readonly text?: string;
  readonly code?: ResponseCode | null;
  /** Runs after the tagged response is written (STARTTLS negotiation, LOGOUT's close). */
  readonly after?: () => Promise<void>;
}

export interface CommandHandler<N extends CommandName> {
  readonly name: N;
  readonly states: readonly SessionState[];
  handle(command: Command<N>, session: Session): Promise<CommandResult | void>;
}

/** A refusal the client may see verbatim: `<tag> NO|BAD [code] text`. */
export class CommandError extends Error {
  override readonly name: string = 'CommandError';
  readonly code: ResponseCode | null;
  constructor(
    readonly status: Exclude<TaggedStatus, 'OK'>,
    readonly clientText: string,
    code?: ResponseCode | string,
  ) {
    super(clientText);
    this.code = code === undefined ? null : typeof code === 'string' ? { name: code } : code;
  }
}

export function no(text: string, code?: ResponseCode | string): CommandError {
  return new CommandError('NO', text, code);
}

export function bad(text: string, code?: ResponseCode | string): CommandError {
  return new CommandError('BAD', text, code);
}
