/**
 * SUBSCRIBE / UNSUBSCRIBE (RFC 3501 §6.3.6, §6.3.7). Subscriptions are a
 * property of existing mailboxes here, so a name that does not exist is
 * refused (the RFC allows that).
 */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { requireMailbox, userId } from '../mailboxes.js';
import type { Session } from '../session.js';

export async function setSubscribed(session: Session, name: string, subscribed: boolean): Promise<void> {
  const mailbox = await requireMailbox(session, name);
  if (mailbox.subscribed !== subscribed) await session.store.mailboxes.updateMailbox(userId(session), mailbox.id, { subscribed });
}

export const subscribe = {
  name: 'SUBSCRIBE',
  states: AUTHENTICATED,
  async handle(command, session) {
    await setSubscribed(session, command.args.mailbox, true);
  },
} satisfies CommandHandler<'SUBSCRIBE'>;
