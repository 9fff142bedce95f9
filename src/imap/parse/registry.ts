/**
 * The explicit map from command name to its pure parser. `UID` variants map
 * to the same parser as the plain command; `parseCommandLine` tells them
 * apart through `context.uid`. Adding a command means adding one line here,
 * and its args type then appears in {@link ParsedCommand} automatically.
 */
import * as append from './append.js';
import * as authenticate from './authenticate.js';
import * as capability from './capability.js';
import * as check from './check.js';
import * as close from './close.js';
import type { CommandParser } from './context.js';
import * as copy from './copy.js';
import * as create from './create.js';
import * as del from './delete.js';
import * as compress from './compress.js';
import * as metadata from './metadata.js';
import * as enable from './enable.js';
import * as examine from './examine.js';
import * as expunge from './expunge.js';
import * as fetch from './fetch.js';
import * as getquota from './getquota.js';
import * as getquotaroot from './getquotaroot.js';
import * as id from './id.js';
import * as idle from './idle.js';
import * as list from './list.js';
import * as login from './login.js';
import * as logout from './logout.js';
import * as lsub from './lsub.js';
import * as move from './move.js';
import * as namespace from './namespace.js';
import * as noop from './noop.js';
import * as rename from './rename.js';
import * as search from './search.js';
import * as select from './select.js';
import * as setquota from './setquota.js';
import * as sort from './sort.js';
import * as starttls from './starttls.js';
import * as status from './status.js';
import * as store from './store.js';
import * as subscribe from './subscribe.js';
import * as thread from './thread.js';
import * as uidExpunge from './uid-expunge.js';
import * as unselect from './unselect.js';
import * as unsubscribe from './unsubscribe.js';

export const commandParsers = {
  CAPABILITY: capability.parse,
  NOOP: noop.parse,
  LOGOUT: logout.parse,
  STARTTLS: starttls.parse,
  AUTHENTICATE: authenticate.parse,
  LOGIN: login.parse,
  SELECT: select.parse,
  EXAMINE: examine.parse,
  CREATE: create.parse,
  DELETE: del.parse,
  RENAME: rename.parse,
  SUBSCRIBE: subscribe.parse,
  UNSUBSCRIBE: unsubscribe.parse,
  LIST: list.parse,
  LSUB: lsub.parse,
  STATUS: status.parse,
  APPEND: append.parse,
  CHECK: check.parse,
  CLOSE: close.parse,
  UNSELECT: unselect.parse,
  EXPUNGE: expunge.parse,
  'UID EXPUNGE': uidExpunge.parse,
  SEARCH: search.parse,
  'UID SEARCH': search.parse,
  FETCH: fetch.parse,
  'UID FETCH': fetch.parse,
  STORE: store.parse,
  'UID STORE': store.parse,
  COPY: copy.parse,
  'UID COPY': copy.parse,
  MOVE: move.parse,
  'UID MOVE': move.parse,
  IDLE: idle.parse,
  NAMESPACE: namespace.parse,
  ID: id.parse,
  ENABLE: enable.parse,
  COMPRESS: compress.parse,
  GETMETADATA: metadata.parseGet,
  SETMETADATA: metadata.parseSet,
  GETQUOTA: getquota.parse,
  GETQUOTAROOT: getquotaroot.parse,
  SETQUOTA: setquota.parse,
  SORT: sort.parse,
  'UID SORT': sort.parse,
  THREAD: thread.parse,
  'UID THREAD': thread.parse,
} as const satisfies Record<string, CommandParser<object>>;

export type CommandName = keyof typeof commandParsers;

export type CommandArgs<N extends CommandName> = ReturnType<(typeof commandParsers)[N]>;

/** A parsed command, discriminated by `name` (`switch (cmd.name)` narrows `args`). */
export type ParsedCommand = {
  [N in CommandName]: { readonly tag: string; readonly name: N; readonly args: CommandArgs<N> };
}[CommandName];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandParsers, name);
}
