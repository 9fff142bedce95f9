/**
 * STORE / UID STORE (RFC 3501 §6.4.6) with UNCHANGEDSINCE and MODIFIED
 * (RFC 7162 §3.1.3). One storage call changes every message atomically;
 * the new flags are reported here, and remembered so that catching up with
 * the journal does not report them again.
 */
import { SELECTED, type Command, type CommandHandler, type CommandResult } from '../handler.js';
import { writableMailbox } from '../mailboxes.js';
import { resolveRuns, runsToUidRanges } from '../message-set.js';
import { compressNumbers } from '../proto/sequence-set.js';
import { atom, raw, type ImapValue } from '../proto/values.js';
import type { Session } from '../session.js';
import { flagValues } from '../sync.js';

async function storeFlags(command: Command<'STORE' | 'UID STORE'>, session: Session): Promise<CommandResult | void> {
  const sel = writableMailbox(session);
  const args = command.args;
  if (args.unchangedSince !== null) await session.enableCondstore();
  const runs = resolveRuns(sel.map, args.sequence, args.uid, session.savedSearch);
  if (runs.length === 0) return;
  const result = await session.store.messages.updateFlags(sel.id, runsToUidRanges(sel.map, runs), {
    mode: args.operation,
    flags: [...args.flags],
    listUnchanged: !args.silent,
    ...(args.unchangedSince === null ? {} : { unchangedSince: Number(args.unchangedSince) }),
  });
  for (const c of result.changed) sel.noteReported(c.uid, c.modseq);
  sel.ownChange(result.previousModseq, result.modseq);
  const changedUids = new Set(result.changed.map((c) => c.uid));
  const reports = [...result.changed, ...(args.silent ? [] : result.unchanged)].sort((a, b) => a.uid - b.uid);
  for (const r of reports) {
    const seq = sel.map.seqOf(r.uid);
    // RFC 7162 §3.1.3: with .SILENT a CONDSTORE client still learns the new MODSEQ of what changed.
    if (seq === 0 || (args.silent && !(session.condstore && changedUids.has(r.uid)))) continue;
    const items: ImapValue[] = [];
    // RFC 3501 §6.4.8: responses to a UID command carry UID; RFC 7162 §3.1: so does every one once CONDSTORE is on.
    if (args.uid || session.condstore) items.push(raw('UID'), r.uid);
    if (session.condstore) items.push(raw('MODSEQ'), [r.modseq]);
    if (!args.silent) items.push(raw('FLAGS'), flagValues(sel.flagsFor(r.uid, r.flags)));
    await session.writer.untagged(seq, atom('FETCH'), items);
  }
  if (result.conflicts.length > 0) {
    // RFC 7162 §3.1.3: MODIFIED lists UIDs for UID STORE and sequence numbers for STORE.
    const ids = args.uid ? result.conflicts : result.conflicts.map((uid) => sel.map.seqOf(uid)).filter((n) => n > 0).sort((a, b) => a - b);
    return { text: 'Conditional STORE failed for some messages', code: { name: 'MODIFIED', args: [compressNumbers(ids)] } };
  }
}

export const store = {
  name: 'STORE',
  states: SELECTED,
  handle: storeFlags,
} satisfies CommandHandler<'STORE'>;

export const uidStore = {
  name: 'UID STORE',
  states: SELECTED,
  handle: storeFlags,
} satisfies CommandHandler<'UID STORE'>;
