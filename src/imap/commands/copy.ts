/**
 * COPY / UID COPY (RFC 3501 §6.4.7) with COPYUID (RFC 4315 §3): flags and
 * internal dates are kept, bodies shared; a missing target is TRYCREATE.
 */
import { SELECTED, type Command, type CommandHandler, type CommandResult } from '../handler.js';
import { requireMailbox, selectedMailbox } from '../mailboxes.js';
import { resolveRuns, runsToUidRanges } from '../message-set.js';
import { compressNumbers } from '../proto/sequence-set.js';
import type { Session } from '../session.js';

async function copyMessages(command: Command<'COPY' | 'UID COPY'>, session: Session): Promise<CommandResult> {
  const sel = selectedMailbox(session);
  const target = await requireMailbox(session, command.args.mailbox, 'TRYCREATE');
  const runs = resolveRuns(sel.map, command.args.sequence, command.args.uid, session.savedSearch);
  if (runs.length === 0) return { text: 'Nothing to copy' };
  const result = await session.store.messages.copy(sel.id, runsToUidRanges(sel.map, runs), target.id);
  if (target.id === sel.id) session.markDirty();
  if (result.sourceUids.length === 0) return { text: 'Nothing to copy' };
  const code = { name: 'COPYUID', args: [result.uidValidity, compressNumbers(result.sourceUids), compressNumbers(result.destinationUids)] };
  return { text: 'COPY completed', code };
}

export const copy = {
  name: 'COPY',
  states: SELECTED,
  handle: copyMessages,
} satisfies CommandHandler<'COPY'>;

export const uidCopy = {
  name: 'UID COPY',
  states: SELECTED,
  handle: copyMessages,
} satisfies CommandHandler<'UID COPY'>;
