/**
 * FETCH / UID FETCH (RFC 3501 §6.4.5, §6.4.8) with CHANGEDSINCE and
 * VANISHED (RFC 7162 §3.1.4, §3.2.6). Messages are read in pages (summary
 * columns, with stored renditions, when nothing else is asked for, else
 * records with their stored renditions), each page written with
 * backpressure, so `FETCH 1:*` on a huge mailbox holds one page at a time.
 * A non-PEEK body fetch sets \Seen first and reports the new FLAGS.
 */
import { fetchResponse, needsFullRecord, recordFields, type FetchRenderContext } from '../fetch/render.js';
import { recordsWithRenditions } from '../fetch/renditions.js';
import { lacksRendition, summaryFields, summaryLines } from '../fetch/summary.js';
import type { RecordFields } from '../../storage/interface.js';
import type { MessageRecord } from '../../storage/types.js';
import { bad, SELECTED, type Command, type CommandHandler, type CommandResult } from '../handler.js';
import { missingUids } from '../gaps.js';
import { selectedMailbox } from '../mailboxes.js';
import { pages, resolveRuns, runPages, runsSize, runsToUidRanges, uidRangesOf, type IndexRun } from '../message-set.js';
import type { FetchArgs } from '../parse/fetch.js';
import { fetchItemSetsSeen, type FetchItem } from '../proto/fetch.js';
import { compressNumbers, resolveSequenceSet, type Interval } from '../proto/sequence-set.js';
import { atom, raw, type ImapValue } from '../proto/values.js';
import type { SelectedMailbox } from '../selected.js';
import type { Session } from '../session.js';

/** Full records carry MIME trees and headers; summaries are a few numbers (and written as one text per page). */
const RECORD_PAGE = 100;
const SUMMARY_PAGE = 5000;
/** Summaries with renditions: an ENVELOPE and a BODYSTRUCTURE are a few hundred octets each. */
const RENDITION_PAGE = 1000;
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
async function markSeen(session: Session, sel: SelectedMailbox, rows: MessageRecord[]): Promise<Set<number>> {
  const unseen = rows.filter((r) => !r.flags.includes('\\Seen')).map((r) => r.uid);
  const changed = new Set<number>();
  if (unseen.length === 0) return changed;
  const result = await session.store.messages.updateFlags(sel.id, uidRangesOf(unseen), { mode: 'add', flags: ['\\Seen'], listUnchanged: false });
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
  sel.ownChange(result.previousModseq, result.modseq);
  return changed;
}

/** How the record path answers: the items, the record parts they need, and whether non-PEEK bodies set \Seen. */
interface RecordPlan {
  readonly items: readonly FetchItem[];
  readonly fields: RecordFields;
  readonly setsSeen: boolean;
  readonly base: FetchRenderContext;
  /** For responses that report a \Seen change: RFC 7162 §3.1 wants UID and MODSEQ in them once CONDSTORE is on. */
  readonly seenCtx: FetchRenderContext;
  readonly since: number | null;
}

/**
 * The responses for `uids` from full records (with their stored renditions);
 * false when some of them were expunged meanwhile.
 */
async function writeRecords(session: Session, sel: SelectedMailbox, uids: readonly number[], plan: RecordPlan): Promise<boolean> {
  let rows = await recordsWithRenditions(session.store, sel.id, uids, plan.fields);
  // RFC 2180 §4.1: a message expunged elsewhere but not yet reported is answered with what exists.
  const complete = rows.length >= uids.length;
  if (plan.since !== null) {
    const since = plan.since;
    rows = rows.filter((r) => r.modseq > since);
  }
  const seenNow = plan.setsSeen ? await markSeen(session, sel, rows) : new Set<number>();
  const withFlags = plan.items.some((i) => i.type === 'flags') ? plan.items : [...plan.items, FLAGS_ITEM];
  // Lines whose values are ready are written a page at a time; one that needs storage
  // (a body section) first sends what is gathered, so big bodies still stream in order.
  let batch: ImapValue[][] = [];
  for (const row of rows) {
    const seq = sel.map.seqOf(row.uid);
    if (seq === 0) continue;
    const changed = seenNow.has(row.uid);
    const values = fetchResponse(row, changed ? withFlags : plan.items, changed ? plan.seenCtx : plan.base);
    if (values instanceof Promise) {
      await session.writer.untaggedBatch(batch);
      batch = [];
      await session.writer.untagged(seq, FETCH_ATOM, await values);
    } else {
      batch.push([seq, FETCH_ATOM, values]);
    }
  }
  await session.writer.untaggedBatch(batch);
  return complete;
}

/**
 * Summary items and stored renditions only (`UID FETCH 1:* (UID FLAGS)`, a
 * header listing): columns per page, written as text (fetch/summary.ts).
 * Nothing here sets \Seen. A page where some body lacks a rendition (stored
 * before its renderer existed) is answered from records instead.
 */
async function fetchSummaries(session: Session, sel: SelectedMailbox, runs: readonly IndexRun[], plan: RecordPlan): Promise<CommandResult | void> {
  const fields = summaryFields(plan.items, plan.base);
  if (plan.since !== null) fields.modseq = true;
  const pageSize = fields.renditions.length > 0 ? RENDITION_PAGE : SUMMARY_PAGE;
  let missing = false;
  for (const page of runPages(runs, pageSize)) {
    if (session.closed) return;
    const cols = await session.store.messages.summaryColumns(sel.id, runsToUidRanges(sel.map, page), fields);
    if (cols.uids.length < runsSize(page)) missing = true;
    if (lacksRendition(cols)) {
      const uids = [...cols.uids];
      for (let i = 0; i < uids.length; i += RECORD_PAGE) {
        if (!(await writeRecords(session, sel, uids.slice(i, i + RECORD_PAGE), plan))) missing = true;
      }
      continue;
    }
    await session.writer.untaggedText(summaryLines(cols, plan.items, plan.base, (uid) => sel.map.seqOf(uid), plan.since));
  }
  if (missing) return { text: 'Some messages were expunged meanwhile', code: { name: 'EXPUNGEISSUED' } };
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

  const base: FetchRenderContext = {
    store: session.store,
    includeUid: args.uid,
    includeModseq: since !== null,
    recent: (uid) => sel.isRecent(uid),
  };
  // Stored renditions are the 7-bit serialisation; with UTF8=ACCEPT on, values are rendered for this session.
  const useRenditions = !session.writer.utf8;
  const plan: RecordPlan = {
    items: args.items,
    fields: recordFields(args.items, useRenditions),
    setsSeen: sel.readWrite && args.items.some(fetchItemSetsSeen),
    base,
    seenCtx: session.condstore ? { ...base, includeUid: true, includeModseq: true } : base,
    since,
  };
  if (!needsFullRecord(args.items, useRenditions)) return fetchSummaries(session, sel, runs, plan);
  let missing = false;
  for (const page of pages(runs, RECORD_PAGE)) {
    // A session closed meanwhile (logout by the admin, shutdown) stops here rather than after the last page.
    if (session.closed) return;
    if (!(await writeRecords(session, sel, page.map((i) => sel.map.uidAt(i)), plan))) missing = true;
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
