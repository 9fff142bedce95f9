/**
 * GETQUOTAROOT (RFC 9208 §4.3): every mailbox of a user shares one root, ""
 * (storage is counted per user). An account without a quota has no root.
 */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { requireMailbox, userId, wireName } from '../mailboxes.js';
import { atom } from '../proto/values.js';
import { quotaResponse } from './getquota.js';

export const getquotaroot = {
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  async handle(command, session) {
    const mailbox = await requireMailbox(session, command.args.mailbox);
    const usage = await session.store.quota.usage(userId(session));
    if (usage.quota <= 0) {
      await session.writer.untagged(atom('QUOTAROOT'), wireName(mailbox.path, session.utf8Accept));
      return;
    }
    await session.writer.untagged(atom('QUOTAROOT'), wireName(mailbox.path, session.utf8Accept), '');
    await quotaResponse(session, usage);
  },
} satisfies CommandHandler<'GETQUOTAROOT'>;
