/** CAPABILITY (RFC 3501 §6.1.1): valid in every state; the list depends on TLS and authentication. */
import { ANY_STATE, type CommandHandler } from '../handler.js';
import { atom } from '../proto/values.js';

export const capability = {
  name: 'CAPABILITY',
  states: ANY_STATE,
  async handle(_command, session) {
    await session.writer.untagged(atom('CAPABILITY'), ...session.capabilityList().map(atom));
  },
} satisfies CommandHandler<'CAPABILITY'>;
