/**
 * DELETE (RFC 3501 §6.3.4): messages go to the restorable archive; child
 * mailboxes stay (the name then lists as \Noselect). INBOX cannot go, and
 * neither can the mailbox this session has selected.
 */
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';
import { requireMailbox, userId } from '../mailboxes.js';

export const del = {
  name: 'DELETE',
  states: AUTHENTICATED,
  async handle(command, session) {
    const mailbox = await requireMailbox(session, command.args.mailbox);
    if (mailbox.path === 'INBOX') throw no('INBOX cannot be deleted', 'CANNOT');
    if (session.selected?.id === mailbox.id) throw no('Cannot delete the selected mailbox', 'INUSE');
    await session.store.mailboxes.deleteMailbox(userId(session), mailbox.id);
  },
} satisfies CommandHandler<'DELETE'>;
