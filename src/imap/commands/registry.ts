/**
 * The explicit command table: one handler per command name the parser
 * knows (src/imap/parse/registry.ts). The mapped type makes a missing or
 * mistyped entry a compile error.
 */
import type { CommandHandler } from '../handler.js';
import type { CommandName } from '../parse/registry.js';
import { append } from './append.js';
import { authenticate } from './authenticate.js';
import { capability } from './capability.js';
import { check } from './check.js';
import { close } from './close.js';
import { copy, uidCopy } from './copy.js';
import { create } from './create.js';
import { del } from './delete.js';
import { compress } from './compress.js';
import { getmetadata, setmetadata } from './metadata.js';
import { enable } from './enable.js';
import { examine } from './examine.js';
import { expunge } from './expunge.js';
import { fetch, uidFetch } from './fetch.js';
import { getquota } from './getquota.js';
import { getquotaroot } from './getquotaroot.js';
import { id } from './id.js';
import { idle } from './idle.js';
import { list } from './list.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { lsub } from './lsub.js';
import { move, uidMove } from './move.js';
import { namespace } from './namespace.js';
import { noop } from './noop.js';
import { rename } from './rename.js';
import { search, uidSearch } from './search.js';
import { select } from './select.js';
import { setquota } from './setquota.js';
import { sort, uidSort } from './sort.js';
import { starttls } from './starttls.js';
import { status } from './status.js';
import { store, uidStore } from './store.js';
import { subscribe } from './subscribe.js';
import { thread, uidThread } from './thread.js';
import { uidExpunge } from './uid-expunge.js';
import { unselect } from './unselect.js';
import { unsubscribe } from './unsubscribe.js';

export type HandlerTable = { readonly [N in CommandName]: CommandHandler<N> };

export const handlers: HandlerTable = {
  CAPABILITY: capability,
  NOOP: noop,
  LOGOUT: logout,
  STARTTLS: starttls,
  AUTHENTICATE: authenticate,
  LOGIN: login,
  SELECT: select,
  EXAMINE: examine,
  CREATE: create,
  DELETE: del,
  RENAME: rename,
  SUBSCRIBE: subscribe,
  UNSUBSCRIBE: unsubscribe,
  LIST: list,
  LSUB: lsub,
  STATUS: status,
  APPEND: append,
  CHECK: check,
  CLOSE: close,
  UNSELECT: unselect,
  EXPUNGE: expunge,
  'UID EXPUNGE': uidExpunge,
  SEARCH: search,
  'UID SEARCH': uidSearch,
  FETCH: fetch,
  'UID FETCH': uidFetch,
  STORE: store,
  'UID STORE': uidStore,
  COPY: copy,
  'UID COPY': uidCopy,
  MOVE: move,
  'UID MOVE': uidMove,
  IDLE: idle,
  NAMESPACE: namespace,
  ID: id,
  ENABLE: enable,
  COMPRESS: compress,
  GETMETADATA: getmetadata,
  SETMETADATA: setmetadata,
  GETQUOTA: getquota,
  GETQUOTAROOT: getquotaroot,
  SETQUOTA: setquota,
  SORT: sort,
  'UID SORT': uidSort,
  THREAD: thread,
  'UID THREAD': uidThread,
};
