/** AUTH (RFC 5034): PLAIN and LOGIN, with an initial response (SASL-IR); bare AUTH lists the mechanisms. */
import { Pop3Error } from '../errors.js';
import { parseAuth, type AuthArgs } from '../parse.js';
import {
  decodeBase64,
  decodeInitialResponse,
  isMechanism,
  LOGIN_PASS_PROMPT,
  LOGIN_USER_PROMPT,
  MECHANISMS,
  parseLoginField,
  parsePlain,
} from '../sasl.js';
import { PLAINTEXT_DISALLOWED } from './texts.js';
import type { Pop3Command } from './types.js';

export const auth = {
  name: 'AUTH',
  states: ['authorization'],
  parse: parseAuth,
  async handle(session, args) {
    if (args.kind === 'list') {
      session.multiline('Supported mechanisms follow', session.plaintextAllowed ? MECHANISMS : []);
      return;
    }
    if (!isMechanism(args.mechanism)) throw new Pop3Error('Unsupported authentication mechanism', { bad: true });
    // Both mechanisms carry the password in the clear.
    if (!session.plaintextAllowed) throw new Pop3Error(PLAINTEXT_DISALLOWED, { code: 'AUTH' });
    session.pendingUser = null;
    const ir = args.initialResponse === null ? null : decodeInitialResponse(args.initialResponse);
    if (args.mechanism === 'PLAIN') {
      // RFC 5034 §4: no initial response means an empty challenge first.
      const creds = parsePlain(ir ?? decodeBase64(await session.challenge('')));
      await session.login(creds.username, creds.password);
      return;
    }
    const username = parseLoginField(ir ?? decodeBase64(await session.challenge(LOGIN_USER_PROMPT)), 'user name');
    const password = parseLoginField(decodeBase64(await session.challenge(LOGIN_PASS_PROMPT)), 'password');
    await session.login(username, password);
  },
} satisfies Pop3Command<AuthArgs>;
