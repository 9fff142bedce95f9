/**
 * MOVE / UID MOVE (RFC 6851): one atomic storage move, then the untagged
 * OK [COPYUID] before the expunges of the moved messages (§4.3), then the
 * tagged OK.
 */
import { no, SELECTED, type Command, type CommandHandler } from '../handler.js';
import { requireMailbox, writableMailbox } from '../mailboxes.js';
import { resolveRuns, runsToUidRanges } from '../message-set.js';
import { compressNumbers } from '../proto/sequence-set.js';
import type { Session } from '../session.js';
import { flushExpunges } from '../sync.js';

async function moveMessages(command: Command<'MOVE' | 'UID MOVE'>, session: Session): Promise<void> {
  const sel = writableMailbox(session);
  const target = await requireMailbox(session, command.args.mailbox, 'TRYCREATE');
  if (target.id === sel.id) throw no('Messages are already in that mailbox', 'CANNOT');
  const runs = resolveRuns(sel.map, command.args.sequence, command.args.uid, session.savedSearch);
  if (runs.length === 0) return;
  const result = await session.store.messages.move(sel.id, runsToUidRanges(sel.map, runs), target.id);
  if (result.sourceUids.length > 0) {
    const args = [result.uidValidity, compressNumbers(result.sourceUids), compressNumbers(result.destinationUids)];
    await session.writer.status(null, 'OK', 'Moved', { name: 'COPYUID', args });
  }
  for (const uid of result.sourceUids) sel.pendingExpunges.add(uid);
  await flushExpunges(session, sel);
}

export const move = {
  name: 'MOVE',
  states: SELECTED,
  handle: moveMessages,
} satisfies CommandHandler<'MOVE'>;

export const uidMove = {
  name: 'UID MOVE',
  states: SELECTED,
  handle: moveMessages,
} satisfies CommandHandler<'UID MOVE'>;
