/**
 * RENAME (RFC 3501 §6.3.5): children move along; renaming INBOX moves its
 * messages into the new mailbox and leaves INBOX empty (both done by storage).
 */
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';
import { requireMailbox, storagePath, userId } from '../mailboxes.js';

export const rename = {
  name: 'RENAME',
  states: AUTHENTICATED,
  async handle(command, session) {
    const mailbox = await requireMailbox(session, command.args.from);
    const to = storagePath(command.args.to);
    const owner = userId(session);
    if (to === 'INBOX' || (await session.store.mailboxes.getMailbox(owner, to))) throw no('Target mailbox already exists', 'ALREADYEXISTS');
    await session.store.mailboxes.renameMailbox(owner, mailbox.id, to);
    // Renaming INBOX empties it: the session must hear of the moved messages.
    if (session.selected?.id === mailbox.id) session.markDirty();
  },
} satisfies CommandHandler<'RENAME'>;
