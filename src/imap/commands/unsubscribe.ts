/** UNSUBSCRIBE (RFC 3501 §6.3.7). */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { setSubscribed } from './subscribe.js';

export const unsubscribe = {
  name: 'UNSUBSCRIBE',
  states: AUTHENTICATED,
  async handle(command, session) {
    await setSubscribed(session, command.args.mailbox, false);
  },
} satisfies CommandHandler<'UNSUBSCRIBE'>;
