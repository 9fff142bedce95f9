/**
 * What every per-command parser receives: a cursor positioned just after the
 * command name (before its first SP) and the connection state parsing needs.
 * Parsers are pure: no I/O, no mailbox state, no checks of the session state.
 */
import type { TokenCursor } from '../proto/cursor.js';
import type { ParseContext } from '../proto/tokens.js';

export interface CommandContext extends ParseContext {
  /** The command came with the `UID` prefix (UID FETCH, UID STORE, ...). */
  readonly uid: boolean;
}

export type CommandParser<T> = (cursor: TokenCursor, context: CommandContext) => T;

/** Arguments of a command that takes none. */
export type NoArgs = Readonly<Record<string, never>>;

export function parseNoArgs(cursor: TokenCursor): NoArgs {
  cursor.expectEnd();
  return {};
}
