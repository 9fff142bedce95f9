/**
 * SORT / UID SORT (RFC 5256 §3) with SORT=DISPLAY (RFC 5957) and ESORT
 * (RFC 5267 §3): the search criteria compile like SEARCH's, storage orders
 * the matches (ties broken by UID, i.e. by sequence number, RFC 5256 §3).
 */
import type { SortKey } from '../../storage/query.js';
import { SELECTED, type Command, type CommandHandler } from '../handler.js';
import { selectedMailbox } from '../mailboxes.js';
import type { SortKeyName } from '../parse/sort.js';
import { raw } from '../proto/values.js';
import { compileSearch } from '../search/compile.js';
import { esearchData } from '../search/esearch.js';
import type { Session } from '../session.js';

const KEYS: Readonly<Record<SortKeyName, SortKey>> = {
  ARRIVAL: 'arrival',
  CC: 'cc',
  DATE: 'date',
  FROM: 'from',
  SIZE: 'size',
  SUBJECT: 'subject',
  TO: 'to',
  DISPLAYFROM: 'displayfrom',
  DISPLAYTO: 'displayto',
};

async function sortMessages(command: Command<'SORT' | 'UID SORT'>, session: Session): Promise<void> {
  const sel = selectedMailbox(session);
  const args = command.args;
  const query = compileSearch(args.search, { uids: sel.map.view(), recent: (uid) => sel.isRecent(uid), saved: session.savedSearch });
  const specs = args.criteria.map((c) => ({ key: KEYS[c.key], reverse: c.reverse }));
  const uids = (await session.store.messages.sort(sel.id, query, specs)).filter((uid) => sel.map.has(uid));
  const ids = args.uid ? uids : uids.map((uid) => sel.map.seqOf(uid));
  if (args.returnOptions === null) {
    await session.writer.untagged(raw(ids.length === 0 ? 'SORT' : `SORT ${ids.join(' ')}`));
    return;
  }
  // RFC 5267 §3.2: MIN and MAX are the first and last in sort order, ALL keeps that order.
  await session.writer.untagged(...esearchData(command.tag, args.uid, ids, new Set(args.returnOptions)));
}

export const sort = {
  name: 'SORT',
  states: SELECTED,
  handle: sortMessages,
} satisfies CommandHandler<'SORT'>;

export const uidSort = {
  name: 'UID SORT',
  states: SELECTED,
  handle: sortMessages,
} satisfies CommandHandler<'UID SORT'>;
