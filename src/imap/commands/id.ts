/**
 * ID (RFC 2971): valid in every state. The client's identification is
 * logged (useful when a client misbehaves); the server names itself
 * without a version, which tells an attacker nothing.
 */
import { ANY_STATE, type CommandHandler } from '../handler.js';
import { atom } from '../proto/values.js';

export const id = {
  name: 'ID',
  states: ANY_STATE,
  async handle(command, session) {
    const params = command.args.params;
    if (params !== null) {
      const client: Record<string, string | null> = {};
      for (const [field, value] of params) client[field.toLowerCase()] = value;
      session.logger.info('imap.client_id', { client });
    }
    await session.writer.untagged(atom('ID'), ['name', 'Eider', 'vendor', 'Eider']);
  },
} satisfies CommandHandler<'ID'>;
