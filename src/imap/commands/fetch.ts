/**
 * FETCH / UID FETCH (RFC 3501 §6.4.5, §6.4.8) with CHANGEDSINCE and
 * VANISHED (RFC 7162 §3.1.4, §3.2.6). Messages are read in pages (summary
 * rows when nothing else is asked for), each response written with
 * backpressure, so `FETCH 1:*` on a huge mailbox holds one page at a time.
 * A non-PEEK body fetch sets \Seen first and reports the new FLAGS.
 */
import { fetchResponse, needsFullRecord, recordFields, type FetchRenderContext } from '../fetch/render.js';
import type { MessageRecord, MessageSummary } from '../../storage/types.js';
import { bad, SELECTED, type Command, type CommandHandler, type CommandResult } from '../handler.js';
import { missingUids } from '../gaps.js';
import { selectedMailbox } from '../mailboxes.js';
import { pages, resolveRuns, uidRangesOf } from '../message-set.js';
import type { FetchArgs } from '../parse/fetch.js';
import { fetchItemSetsSeen, type FetchItem } from '../proto/fetch.js';
import { compressNumbers, resolveSequenceSet, type Interval } from '../proto/sequence-set.js';
import { atom, raw, type ImapValue } from '../proto/values.js';
import type { SelectedMailbox } from '../selected.js';
import type { Session } from '../session.js';

type Row = MessageRecord | MessageSummary;

/** Full records carry MIME trees and headers; summaries are a few numbers. */
const RECORD_PAGE = 100;
const SUMMARY_PAGE = 1000;
const FLAGS_ITEM: FetchItem = { type: 'flags' };
const FETCH_ATOM = atom('FETCH');

/** RFC 7162 §3.2.6: UIDs in the set expunged since CHANGEDSINCE, as VANISHED (EARLIER). */
async function reportVanished(session: Session, sel: SelectedMailbox, args: FetchArgs, since: number): Promise<void> {
  const intervals: Interval[] =
    args.sequence.kind === 'saved' ? [...uidRangesOf(session.savedSearch ?? [])] : resolveSequenceSet(args.sequence, sel.map.maxUid);
  if (intervals.length === 0) return;
  const changes = await session.store.messages.changesSince(sel.id, since, { ranges: intervals });
  const text = changes.complete ? compressNumbers(changes.expunged) : missingUids(sel.map, intervals.map(([lo, hi]): Interval => [lo, Math.min(hi, sel.map.maxUid)]));
  if (text !== '') await session.writer.untagged(atom('VANISHED'), [atom('EARLIER')], raw(text));
}

/** Sets \Seen where a non-PEEK body item asks for it; returns the UIDs whose flags changed. */
async function markSeen(session: Session, sel: SelectedMailbox, rows: Row[]): Promise<Set<number>> {
  const unseen = rows.filter((r) => !r.flags.includes('\\Seen')).map((r) => r.uid);
  const changed = new Set<number>();
  if (unseen.length === 0) return changed;
  const result = await session.store.messages.updateFlags(sel.id, uidRangesOf(unseen), { mode: 'add', flags: ['\\Seen'] });
  const byUid = new Map(result.changed.map((c) => [c.uid, c]));
  for (const row of rows) {
    const c = byUid.get(row.uid);
    if (c === undefined) continue;
    // In place: records are class instances whose MIME data are lazy getters a spread would drop.
    row.flags = c.flags;
    row.modseq = c.modseq;
    changed.add(row.uid);
    sel.noteReported(c.uid, c.modseq);
  }
  return changed;
}

async function fetchMessages(command: Command<'FETCH' | 'UID FETCH'>, session: Session): Promise<CommandResult | void> {
  const sel = selectedMailbox(session);
  const args = command.args;
  // RFC 7162 §3.2.6: VANISHED only once QRESYNC is enabled.
  if (args.vanished && !session.qresync) throw bad('VANISHED requires ENABLE QRESYNC');
  const asksModseq = args.changedSince !== null || args.items.some((i) => i.type === 'modseq');
  if (asksModseq) await session.enableCondstore();
  const since = args.changedSince === null ? null : Number(args.changedSince);
  const runs = resolveRuns(sel.map, args.sequence, args.uid, session.savedSearch);
  if (args.vanished && since !== null) await reportVanished(session, sel, args, since);

  const full = needsFullRecord(args.items);
  const fields = recordFields(args.items);
  const setsSeen = sel.readWrite && args.items.some(fetchItemSetsSeen);
  const base: FetchRenderContext = {
    store: session.store,
    includeUid: args.uid,
    includeModseq: since !== null,
    recent: (uid) => sel.isRecent(uid),
  };
  // RFC 7162 §3.1: once CONDSTORE is on, a response that reports a \Seen change carries UID and MODSEQ.
  const seenCtx: FetchRenderContext = session.condstore ? { ...base, includeUid: true, includeModseq: true } : base;
  const withFlags = args.items.some((i) => i.type === 'flags') ? args.items : [...args.items, FLAGS_ITEM];
  let missing = false;
  for (const page of pages(runs, full ? RECORD_PAGE : SUMMARY_PAGE)) {
    // A session closed meanwhile (logout by the admin, shutdown) stops here rather than after the last page.
    if (session.closed) return;
    const uids = page.map((i) => sel.map.uidAt(i));
    let rows: Row[] = full
      ? await session.store.messages.getRecords(sel.id, uids, fields)
      : await session.store.messages.list(sel.id, { ranges: uidRangesOf(uids), limit: uids.length });
    // RFC 2180 §4.1: a message expunged elsewhere but not yet reported is answered with what exists.
    if (rows.length < uids.length) missing = true;
    if (since !== null) rows = rows.filter((r) => r.modseq > since);
    const seenNow = setsSeen ? await markSeen(session, sel, rows) : new Set<number>();
    // Lines whose values are ready are written a page at a time; one that needs storage
    // (a body section) first sends what is gathered, so big bodies still stream in order.
    let batch: ImapValue[][] = [];
    for (const row of rows) {
      const seq = sel.map.seqOf(row.uid);
      if (seq === 0) continue;
      const changed = seenNow.has(row.uid);
      const values = fetchResponse(row, changed ? withFlags : args.items, changed ? seenCtx : base);
      if (values instanceof Promise) {
        await session.writer.untaggedBatch(batch);
        batch = [];
        await session.writer.untagged(seq, FETCH_ATOM, await values);
      } else {
        batch.push([seq, FETCH_ATOM, values]);
      }
    }
    await session.writer.untaggedBatch(batch);
  }
  if (missing) return { text: 'Some messages were expunged meanwhile', code: { name: 'EXPUNGEISSUED' } };
}

export const fetch = {
  name: 'FETCH',
  states: SELECTED,
  handle: fetchMessages,
} satisfies CommandHandler<'FETCH'>;

export const uidFetch = {
  name: 'UID FETCH',
  states: SELECTED,
  handle: fetchMessages,
} satisfies CommandHandler<'UID FETCH'>;
