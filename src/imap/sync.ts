/**
 * Catching the selected mailbox up with changes made elsewhere (other
 * sessions, deliveries, other processes): one `changesSince` read from the
 * journal, reported as untagged FETCH (flags), EXPUNGE or VANISHED, EXISTS
 * and RECENT, at the points RFC 3501 §5.2 and §7.4.1 allow.
 */
import { NotFoundError } from '../storage/errors.js';
import { compressNumbers } from './proto/sequence-set.js';
import { atom, flag, raw, type ImapValue } from './proto/values.js';
import type { SelectedMailbox } from './selected.js';
import type { Session } from './session.js';

/** Flag values for a flag list; anything that is not a valid IMAP flag (set through the API) is skipped. */
export function flagValues(flags: readonly string[]): ImapValue[] {
  const out: ImapValue[] = [];
  for (const f of flags) {
    try {
      out.push(flag(f));
    } catch {
      // Not expressible on the wire; leaving it out beats a broken response.
    }
  }
  return out;
}

/**
 * The data of an untagged FETCH for a flag change. Once CONDSTORE is enabled
 * every such response carries UID and MODSEQ (RFC 7162 §3.1).
 */
export function flagUpdateItems(session: Session, sel: SelectedMailbox, uid: number, flags: readonly string[], modseq: number): ImapValue[] {
  const items: ImapValue[] = [];
  if (session.condstore) items.push(raw('UID'), uid, raw('MODSEQ'), [modseq]);
  items.push(raw('FLAGS'), flagValues(sel.flagsFor(uid, flags)));
  return items;
}

/**
 * Reports the pending expunges: EXPUNGE per message in descending sequence
 * order, so each number is right when the client applies it (RFC 3501
 * §7.4.1), or one VANISHED once QRESYNC is on (RFC 7162 §3.2.10).
 */
export async function flushExpunges(session: Session, sel: SelectedMailbox): Promise<void> {
  const gone = new Set<number>();
  for (const uid of sel.pendingExpunges) if (sel.map.has(uid)) gone.add(uid);
  sel.pendingExpunges.clear();
  if (gone.size === 0) return;
  for (const uid of gone) sel.forgetRecent(uid);
  const seqs = sel.map.remove(gone);
  if (session.qresync) {
    await session.writer.untagged(atom('VANISHED'), raw(compressNumbers([...gone].sort((a, b) => a - b))));
    return;
  }
  for (let i = seqs.length - 1; i >= 0; i--) await session.writer.untagged(seqs[i] ?? 0, atom('EXPUNGE'));
}

/** New messages: grow the map, claim \Recent when selected read-write, report EXISTS and RECENT. */
async function announceNew(session: Session, sel: SelectedMailbox, uids: number[]): Promise<void> {
  sel.map.append(uids);
  if (sel.readWrite) {
    const claim = await session.store.mailboxes.claimRecent(sel.id);
    sel.addRecent(claim.firstUid, claim.uidNext);
  }
  await session.writer.untagged(sel.map.length, atom('EXISTS'));
  await session.writer.untagged(sel.recentCount, atom('RECENT'));
}

/** UIDs in the map that storage no longer has (the journal was pruned past our mod-sequence). */
async function expungedByDiff(session: Session, sel: SelectedMailbox): Promise<number[]> {
  const current = await session.store.messages.uids(sel.id);
  const present = new Set(current);
  const out: number[] = [];
  for (let i = 0; i < sel.map.length; i++) {
    const uid = sel.map.uidAt(i);
    if (!present.has(uid)) out.push(uid);
  }
  return out;
}

/**
 * Reads what changed since the session's mod-sequence and reports it.
 * `allowExpunge` is false while answering FETCH, STORE or SEARCH: expunges
 * then stay pending (the messages keep their sequence numbers) until a
 * command that may report them.
 */
export async function catchUp(session: Session, allowExpunge: boolean): Promise<void> {
  const sel = session.selected;
  if (!sel) return;
  sel.dirty = false;
  let changes;
  try {
    changes = await session.store.messages.changesSince(sel.id, sel.modseq);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    // Deleted by another session: nothing sensible is left to report.
    session.close('Selected mailbox was deleted');
    return;
  }
  const expunged = changes.complete ? changes.expunged : await expungedByDiff(session, sel);
  for (const uid of expunged) if (sel.map.has(uid)) sel.pendingExpunges.add(uid);
  const max = sel.map.maxUid;
  const fresh: number[] = [];
  for (const change of changes.changed) {
    if (change.uid > max) {
      fresh.push(change.uid);
      continue;
    }
    if (sel.pendingExpunges.has(change.uid) || sel.wasReported(change.uid, change.modseq)) continue;
    const seq = sel.map.seqOf(change.uid);
    if (seq === 0) continue;
    await session.writer.untagged(seq, atom('FETCH'), flagUpdateItems(session, sel, change.uid, change.flags, change.modseq));
  }
  if (allowExpunge) await flushExpunges(session, sel);
  if (fresh.length > 0) await announceNew(session, sel, fresh);
  sel.caughtUp(changes.highestModseq);
}
