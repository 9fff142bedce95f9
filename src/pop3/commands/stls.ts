/** STLS (RFC 2595 §4): only before login and only once. */
import { Pop3Error } from '../errors.js';
import { parseNoArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const stls = {
  name: 'STLS',
  states: ['authorization'],
  parse: parseNoArgs,
  async handle(session) {
    if (session.secure) throw new Pop3Error('Already using TLS', { bad: true });
    session.pendingUser = null;
    await session.startTls();
  },
} satisfies Pop3Command<null>;
