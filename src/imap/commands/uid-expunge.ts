/** UID EXPUNGE (RFC 4315 §2.1): EXPUNGE restricted to the given UIDs. */
import { SELECTED, type CommandHandler } from '../handler.js';
import { writableMailbox } from '../mailboxes.js';
import { resolveRuns, runsToUidRanges } from '../message-set.js';
import { flushExpunges } from '../sync.js';

export const uidExpunge = {
  name: 'UID EXPUNGE',
  states: SELECTED,
  async handle(command, session) {
    const sel = writableMailbox(session);
    const runs = resolveRuns(sel.map, command.args.uids, true, session.savedSearch);
    if (runs.length > 0) {
      const ranges = runsToUidRanges(sel.map, runs);
      const result = await session.store.messages.expunge(sel.id, { ranges, onlyDeleted: true });
      for (const uid of result.uids) sel.pendingExpunges.add(uid);
    }
    await flushExpunges(session, sel);
  },
} satisfies CommandHandler<'UID EXPUNGE'>;
