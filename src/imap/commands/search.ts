/**
 * SEARCH / UID SEARCH (RFC 3501 §6.4.4) with ESEARCH return options
 * (RFC 4731), SAVE (RFC 5182) and the MODSEQ criterion (RFC 7162 §3.1.5).
 * The criteria compile to one storage query over the UIDs this session
 * knows; sequence numbers are mapped back through the session's map.
 */
import { SELECTED, type Command, type CommandHandler } from '../handler.js';
import { selectedMailbox } from '../mailboxes.js';
import { uidRangesOf } from '../message-set.js';
import { someSearchKey, type SearchReturnOption } from '../proto/search.js';
import { atom } from '../proto/values.js';
import { compileSearch } from '../search/compile.js';
import { esearchData } from '../search/esearch.js';
import type { SelectedMailbox } from '../selected.js';
import type { Session } from '../session.js';

/** RFC 7162 §3.1.5: the highest mod-sequence of the matching messages. */
async function highestModseq(session: Session, sel: SelectedMailbox, uids: readonly number[]): Promise<number> {
  let max = 0;
  const ranges = uidRangesOf(uids);
  for (let i = 0; i < ranges.length; i += 500) {
    let after = 0;
    const chunk = ranges.slice(i, i + 500);
    for (;;) {
      const rows = await session.store.messages.list(sel.id, { ranges: chunk, afterUid: after, limit: 1000 });
      for (const r of rows) if (r.modseq > max) max = r.modseq;
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < 1000) break;
      after = last.uid;
    }
  }
  return max;
}

/**
 * RFC 5182 §2.4: SAVE keeps what MIN and/or MAX name when only they are
 * asked for, otherwise every match.
 */
function savedResult(options: ReadonlySet<SearchReturnOption>, uids: readonly number[]): number[] {
  if (options.has('ALL') || options.has('COUNT') || (!options.has('MIN') && !options.has('MAX'))) return [...uids];
  const out: number[] = [];
  const first = uids[0];
  const last = uids[uids.length - 1];
  if (options.has('MIN') && first !== undefined) out.push(first);
  if (options.has('MAX') && last !== undefined && last !== first) out.push(last);
  return out;
}

async function searchMessages(command: Command<'SEARCH' | 'UID SEARCH'>, session: Session): Promise<void> {
  const sel = selectedMailbox(session);
  const args = command.args;
  const options = args.returnOptions === null ? null : new Set(args.returnOptions);
  const usesModseq = someSearchKey(args.criteria, (k) => k.type === 'modseq');
  if (usesModseq) await session.enableCondstore();
  let matches: number[];
  let seqs: number[];
  try {
    const query = compileSearch(args.criteria, { uids: sel.map.view(), recent: (uid) => sel.isRecent(uid), saved: session.savedSearch });
    // Storage answers in UID order, so one pass pairs the matches with their sequence numbers.
    const found = await session.store.messages.search(sel.id, query);
    const all = sel.map.seqsOfAscending(found);
    // Usually every match is in the map (the query is limited to it); copy only when one is not.
    const stray = all.includes(0);
    matches = stray ? found.filter((_, i) => all[i] !== 0) : found;
    seqs = stray ? all.filter((seq) => seq !== 0) : all;
  } catch (err) {
    // RFC 5182 §2.1: a failed SEARCH with SAVE leaves an empty saved result.
    if (options?.has('SAVE')) session.savedSearch = [];
    throw err;
  }
  const modseq = usesModseq && matches.length > 0 ? await highestModseq(session, sel, matches) : 0;
  const ids = args.uid ? matches : seqs;
  if (options === null) {
    const tail = modseq > 0 ? ` (MODSEQ ${modseq})` : '';
    // Numbers only, so plain text: the answer can list most of a 100,000-message mailbox.
    await session.writer.untaggedText(ids.length === 0 ? '* SEARCH\r\n' : `* SEARCH ${ids.join(' ')}${tail}\r\n`);
    return;
  }
  if (options.has('SAVE')) session.savedSearch = savedResult(options, matches);
  // RFC 5182 §2.4: RETURN (SAVE) alone produces no ESEARCH response.
  if (options.size === 1 && options.has('SAVE')) return;
  const data = esearchData(command.tag, args.uid, ids, options);
  if (modseq > 0) data.push(atom('MODSEQ'), modseq);
  await session.writer.untagged(...data);
}

export const search = {
  name: 'SEARCH',
  states: SELECTED,
  handle: searchMessages,
} satisfies CommandHandler<'SEARCH'>;

export const uidSearch = {
  name: 'UID SEARCH',
  states: SELECTED,
  handle: searchMessages,
} satisfies CommandHandler<'UID SEARCH'>;
