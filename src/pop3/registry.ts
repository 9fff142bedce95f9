/**
 * The explicit command table. Adding a command is one import and one
 * `register(...)` line; the dispatcher finds it by keyword.
 */
import { auth } from './commands/auth.js';
import { capa } from './commands/capa.js';
import { dele } from './commands/dele.js';
import { list } from './commands/list.js';
import { noop } from './commands/noop.js';
import { pass } from './commands/pass.js';
import { quit } from './commands/quit.js';
import { retr } from './commands/retr.js';
import { rset } from './commands/rset.js';
import { stat } from './commands/stat.js';
import { stls } from './commands/stls.js';
import { top } from './commands/top.js';
import type { Pop3Command, SessionApi, SessionState } from './commands/types.js';
import { uidl } from './commands/uidl.js';
import { user } from './commands/user.js';

/** A command with its argument type hidden: `bind` parses (and may throw), the result runs. */
export interface RegisteredCommand {
  readonly name: string;
  readonly states: readonly SessionState[];
  bind(args: string): (session: SessionApi) => Promise<void>;
}

function register<A>(command: Pop3Command<A>): RegisteredCommand {
  return {
    name: command.name,
    states: command.states,
    bind(raw) {
      const args = command.parse(raw);
      return (session) => command.handle(session, args);
    },
  };
}

const table: RegisteredCommand[] = [
  register(user),
  register(pass),
  register(auth),
  register(stls),
  register(capa),
  register(quit),
  register(stat),
  register(list),
  register(retr),
  register(top),
  register(dele),
  register(rset),
  register(noop),
  register(uidl),
];

export const commands: ReadonlyMap<string, RegisteredCommand> = new Map(table.map((c) => [c.name, c]));
