/**
 * CREATE (RFC 3501 §6.3.3) with CREATE-SPECIAL-USE (RFC 6154 §3). Missing
 * parents are created by storage; a special use another mailbox already has
 * is refused with USEATTR, as the RFC asks.
 */
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';
import { storagePath, toSpecialUse, userId } from '../mailboxes.js';
import { mailboxObjectId } from '../objectid.js';

export const create = {
  name: 'CREATE',
  states: AUTHENTICATED,
  async handle(command, session) {
    const path = storagePath(command.args.mailbox);
    if (path === 'INBOX') throw no('INBOX always exists', 'ALREADYEXISTS');
    const uses = command.args.specialUse.map(toSpecialUse);
    if (uses.length > 1) throw no('Only one special use per mailbox', 'USEATTR');
    const specialUse = uses[0] ?? null;
    const owner = userId(session);
    if (specialUse !== null && specialUse !== '\\All' && specialUse !== '\\Flagged') {
      if (await session.store.mailboxes.getSpecialMailbox(owner, specialUse)) {
        throw no(`Another mailbox is already ${specialUse}`, 'USEATTR');
      }
    }
    const created = await session.store.mailboxes.createMailbox(owner, path, specialUse === null ? {} : { specialUse });
    // RFC 8474 §4.1: the new mailbox's MAILBOXID in the tagged OK.
    return { text: 'CREATE completed', code: { name: 'MAILBOXID', args: [[mailboxObjectId(created.id)]] } };
  },
} satisfies CommandHandler<'CREATE'>;
