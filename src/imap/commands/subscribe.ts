/**
 * SUBSCRIBE / UNSUBSCRIBE (RFC 3501 §6.3.6, §6.3.7). Subscriptions are a
 * property of existing mailboxes here, so SUBSCRIBE to a name that does not
 * exist is refused (the RFC allows that), while UNSUBSCRIBE of one succeeds:
 * it is already not subscribed, and clients unsubscribe folders they just
 * deleted (Dovecot answers OK too).
 */
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';
import { storagePath, userId } from '../mailboxes.js';
import type { Session } from '../session.js';

export async function setSubscribed(session: Session, name: string, subscribed: boolean): Promise<void> {
  const mailbox = await session.store.mailboxes.getMailbox(userId(session), storagePath(name));
  if (!mailbox) {
    if (subscribed) throw no('No such mailbox', 'NONEXISTENT');
    return;
  }
  if (mailbox.subscribed !== subscribed) await session.store.mailboxes.updateMailbox(userId(session), mailbox.id, { subscribed });
}

export const subscribe = {
  name: 'SUBSCRIBE',
  states: AUTHENTICATED,
  async handle(command, session) {
    await setSubscribed(session, command.args.mailbox, true);
  },
} satisfies CommandHandler<'SUBSCRIBE'>;
