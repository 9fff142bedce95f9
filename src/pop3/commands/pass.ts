/** PASS (RFC 1939 §7): completes USER; the whole rest of the line is the password. */
import { Pop3Error } from '../errors.js';
import { parsePass } from '../parse.js';
import { PLAINTEXT_DISALLOWED } from './texts.js';
import type { Pop3Command } from './types.js';

export const pass = {
  name: 'PASS',
  states: ['authorization'],
  parse: parsePass,
  async handle(session, password) {
    if (!session.plaintextAllowed) throw new Pop3Error(PLAINTEXT_DISALLOWED, { code: 'AUTH' });
    const name = session.pendingUser;
    if (name === null) throw new Pop3Error('Send USER first', { bad: true });
    // Whatever happens, a new PASS needs a new USER (RFC 1939 §7: after -ERR the client starts over).
    session.pendingUser = null;
    await session.login(name, password);
  },
} satisfies Pop3Command<string>;
