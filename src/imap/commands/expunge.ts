/**
 * EXPUNGE (RFC 3501 §6.4.3): removes \Deleted messages (into the
 * restorable archive) and reports each, together with any expunge by
 * others that was still pending.
 */
import { SELECTED, type CommandHandler } from '../handler.js';
import { writableMailbox } from '../mailboxes.js';
import { flushExpunges } from '../sync.js';

export const expunge = {
  name: 'EXPUNGE',
  states: SELECTED,
  async handle(_command, session) {
    const sel = writableMailbox(session);
    if (sel.map.length > 0) {
      const result = await session.store.messages.expunge(sel.id, { ranges: [[1, sel.map.maxUid]], onlyDeleted: true });
      for (const uid of result.uids) sel.pendingExpunges.add(uid);
    }
    await flushExpunges(session, sel);
  },
} satisfies CommandHandler<'EXPUNGE'>;
