/** GETQUOTA (RFC 9208 §4.2): the user's storage quota, in units of 1024 octets (RFC 9208 §5.1). */
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';
import { userId } from '../mailboxes.js';
import { atom } from '../proto/values.js';
import type { Session } from '../session.js';

export async function quotaResponse(session: Session, usage: { used: number; quota: number }): Promise<void> {
  const used = Math.ceil(usage.used / 1024);
  const limit = Math.floor(usage.quota / 1024);
  await session.writer.untagged(atom('QUOTA'), '', [atom('STORAGE'), used, limit]);
}

export const getquota = {
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  async handle(command, session) {
    const usage = await session.store.quota.usage(userId(session));
    if (command.args.root !== '' || usage.quota <= 0) throw no('No such quota root', 'NONEXISTENT');
    await quotaResponse(session, usage);
  },
} satisfies CommandHandler<'GETQUOTA'>;
