/**
 * CLOSE (RFC 3501 §6.4.2): expunges \Deleted messages without EXPUNGE
 * responses (only when selected read-write), then leaves the selected state.
 */
import { SELECTED, type CommandHandler } from '../handler.js';
import { selectedMailbox } from '../mailboxes.js';

export const close = {
  name: 'CLOSE',
  states: SELECTED,
  async handle(_command, session) {
    const sel = selectedMailbox(session);
    session.deselect();
    if (sel.readWrite && sel.map.length > 0) {
      // Only messages this session knows of: one that arrived unseen is not the client's to remove.
      await session.store.messages.expunge(sel.id, { ranges: [[1, sel.map.maxUid]], onlyDeleted: true });
    }
  },
} satisfies CommandHandler<'CLOSE'>;
