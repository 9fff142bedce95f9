/**
 * SELECT / EXAMINE (RFC 3501 §6.3.1–2) with CONDSTORE (RFC 7162 §3.1.8)
 * and QRESYNC (RFC 7162 §3.2.5) parameters.
 */
import type { Mailbox } from '../../storage/types.js';
import { AUTHENTICATED, bad, type Command, type CommandHandler, type CommandResult } from '../handler.js';
import { missingUids } from '../gaps.js';
import { requireMailbox } from '../mailboxes.js';
import type { QresyncParams } from '../parse/select.js';
import { compressNumbers, resolveSequenceSet } from '../proto/sequence-set.js';
import { atom, raw } from '../proto/values.js';
import { SelectedMailbox } from '../selected.js';
import type { Session } from '../session.js';
import { flagUpdateItems } from '../sync.js';
import { mailboxObjectId } from '../objectid.js';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

async function firstUnseen(session: Session, sel: SelectedMailbox): Promise<number> {
  const first = await session.store.mailboxes.firstUnseen(sel.id);
  if (first === null) return 0;
  const seq = sel.map.seqOf(first);
  if (seq > 0) return seq;
  // The lowest unseen message arrived after the UID map was read: look among the messages this session knows.
  const unseen = await session.store.messages.search(sel.id, { op: 'flag', flag: '\\Seen', present: false });
  for (const uid of unseen) {
    const s = sel.map.seqOf(uid);
    if (s > 0) return s;
  }
  return 0;
}

/**
 * RFC 7162 §3.2.5.1: what changed since the client's mod-sequence, as
 * VANISHED (EARLIER) and FETCH responses, when its UIDVALIDITY still holds.
 */
async function qresync(session: Session, sel: SelectedMailbox, params: QresyncParams): Promise<void> {
  if (params.uidValidity !== sel.mailbox.uidValidity) return;
  const since = Number(params.modSeq);
  const known = params.knownUids?.kind === 'set' ? resolveSequenceSet(params.knownUids, 0) : null;
  const changes = await session.store.messages.changesSince(sel.id, since);
  let vanished: string;
  if (changes.complete) {
    const inKnown = (uid: number): boolean => known === null || known.some(([lo, hi]) => uid >= lo && uid <= hi);
    vanished = compressNumbers(changes.expunged.filter((uid) => inKnown(uid) && !sel.map.has(uid)));
  } else {
    const maxKnown = Math.max(sel.map.maxUid, sel.mailbox.uidNext - 1);
    vanished = missingUids(sel.map, known ?? (maxKnown > 0 ? [[1, maxKnown]] : []));
  }
  if (vanished !== '') await session.writer.untagged(atom('VANISHED'), [atom('EARLIER')], raw(vanished));
  for (const change of changes.changed) {
    const seq = sel.map.seqOf(change.uid);
    if (seq === 0) continue;
    await session.writer.untagged(seq, atom('FETCH'), flagUpdateItems(session, sel, change.uid, change.flags, change.modseq));
    sel.noteReported(change.uid, change.modseq);
  }
}

const FLAGS_LINE = `* FLAGS (${SYSTEM_FLAGS.join(' ')})\r\n`;
const PERMANENT_LINE = `* OK [PERMANENTFLAGS (${SYSTEM_FLAGS.join(' ')} \\*)] Flags permitted\r\n`;
const NO_PERMANENT_LINE = '* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n';

/**
 * The untagged data of RFC 3501 §6.3.1 (with HIGHESTMODSEQ, RFC 7162 §3.1.2.1, and MAILBOXID, RFC 8474),
 * as one piece of text: every SELECT sends these eight lines, fixed but
 * for a few numbers, so they are not worth a value tree each.
 */
async function announce(session: Session, sel: SelectedMailbox, uidNext: number): Promise<void> {
  const unseen = await firstUnseen(session, sel);
  let text = FLAGS_LINE + (sel.readWrite ? PERMANENT_LINE : NO_PERMANENT_LINE);
  text += `* ${sel.map.length} EXISTS\r\n* ${sel.recentCount} RECENT\r\n`;
  if (unseen > 0) text += `* OK [UNSEEN ${unseen}] Message ${unseen} is first unseen\r\n`;
  text += `* OK [UIDVALIDITY ${sel.mailbox.uidValidity}] UIDs valid\r\n`;
  text += `* OK [UIDNEXT ${uidNext}] Predicted next UID\r\n`;
  text += `* OK [HIGHESTMODSEQ ${sel.modseq}] Highest\r\n`;
  // RFC 8474 §4.2.
  text += `* OK [MAILBOXID (${mailboxObjectId(sel.mailbox.id)})] Ok\r\n`;
  await session.writer.untaggedText(text);
}

export async function openMailbox(command: Command<'SELECT' | 'EXAMINE'>, session: Session, readWrite: boolean): Promise<CommandResult> {
  const args = command.args;
  // RFC 7162 §3.2.5: the QRESYNC parameter needs ENABLE QRESYNC first.
  if (args.qresync && !session.qresync) throw bad('QRESYNC is not enabled');
  if (session.selected) {
    // RFC 3501 §6.3.1: the previous mailbox is closed first, even if this SELECT fails (RFC 7162 §3.2.11: say so).
    session.deselect();
    await session.writer.status(null, 'OK', 'Previous mailbox is now closed', { name: 'CLOSED' });
  }
  const mailbox: Mailbox = await requireMailbox(session, args.mailbox);
  if (args.condstore || args.qresync) await session.enableCondstore();
  // The mailbox row is read before the UIDs: a message arriving in between is then
  // in the map and merely re-reported as a flag change, never lost.
  const uids = await session.shared.uidLists.uids(mailbox);
  const sel = new SelectedMailbox(mailbox, uids, readWrite);
  let uidNext = Math.max(mailbox.uidNext, sel.map.maxUid + 1);
  if (readWrite) {
    // RFC 3501 §2.3.2: this session becomes the one that sees these messages as \Recent.
    const claim = await session.store.mailboxes.claimRecent(mailbox.id);
    sel.addRecent(claim.firstUid, claim.uidNext);
    uidNext = Math.max(uidNext, claim.uidNext);
  } else {
    // EXAMINE must not take \Recent from other sessions; it reports the count without claiming.
    // Unclaimed messages are the newest ones (UIDs at or above the recent mark).
    const { recent } = await session.store.mailboxes.counters(mailbox.id);
    if (recent > 0 && recent <= sel.map.length) sel.addRecent(sel.map.uidAt(sel.map.length - recent), uidNext);
  }
  await announce(session, sel, uidNext);
  if (args.qresync) await qresync(session, sel, args.qresync);
  session.select(sel);
  // Anything that changed while we were reading is reported before the tagged OK.
  sel.dirty = true;
  session.logger.info('imap.select', { mailbox: mailbox.path, readWrite, exists: sel.map.length });
  return { text: `${readWrite ? 'SELECT' : 'EXAMINE'} completed`, code: { name: readWrite ? 'READ-WRITE' : 'READ-ONLY' } };
}

export const select = {
  name: 'SELECT',
  states: AUTHENTICATED,
  handle: (command, session) => openMailbox(command, session, true),
} satisfies CommandHandler<'SELECT'>;
