/**
 * STATUS (RFC 3501 §6.3.10). Asking for HIGHESTMODSEQ is a CONDSTORE
 * enabling command (RFC 7162 §3.1).
 */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { requireMailbox } from '../mailboxes.js';
import { statusResponse } from '../status-data.js';

export const status = {
  name: 'STATUS',
  states: AUTHENTICATED,
  async handle(command, session) {
    const mailbox = await requireMailbox(session, command.args.mailbox);
    if (command.args.items.includes('HIGHESTMODSEQ')) await session.enableCondstore();
    await statusResponse(session, mailbox, command.args.items);
  },
} satisfies CommandHandler<'STATUS'>;
