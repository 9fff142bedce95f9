/** USER (RFC 1939 §7). Answers +OK whatever the name, so it does not reveal which accounts exist. */
import { Pop3Error } from '../errors.js';
import { parseUser } from '../parse.js';
import { PLAINTEXT_DISALLOWED } from './texts.js';
import type { Pop3Command } from './types.js';

export const user = {
  name: 'USER',
  states: ['authorization'],
  parse: parseUser,
  async handle(session, name) {
    // RFC 2595 §4: refuse before the password is sent, not after.
    if (!session.plaintextAllowed) throw new Pop3Error(PLAINTEXT_DISALLOWED, { code: 'AUTH' });
    session.pendingUser = name;
    session.ok('Send your password');
  },
} satisfies Pop3Command<string>;
