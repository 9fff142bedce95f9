/**
 * AUTHENTICATE (RFC 3501 §6.2.2) with SASL-IR (RFC 4959): PLAIN (RFC 4616)
 * and LOGIN (draft-murchison-sasl-login). Both carry the password in the
 * clear, so both follow the plaintext policy.
 */
import { NOT_AUTHENTICATED, bad, no, type CommandHandler } from '../handler.js';
import { completeLogin, requirePlaintext } from '../login-flow.js';
import { parseSaslResponse } from '../parse/authenticate.js';
import type { Session } from '../session.js';
import { decodePlain } from '../sasl.js';

/** One SASL round: a `+` challenge, then the client's base64 line (`*` cancels). */
async function exchange(session: Session, challenge: string): Promise<Buffer> {
  await session.writer.continuationData(Buffer.from(challenge, 'utf8'));
  const event = await session.readLine();
  if (event.type === 'end' || event.type === 'fatal') {
    session.close();
    throw bad('Connection closed during authentication');
  }
  if (event.type === 'error') throw bad(event.error.clientText);
  const response = parseSaslResponse(event.line);
  if (response.cancel) throw bad('Authentication cancelled');
  return response.data;
}

export const authenticate = {
  name: 'AUTHENTICATE',
  states: NOT_AUTHENTICATED,
  async handle(command, session) {
    const { mechanism, initialResponse } = command.args;
    if (mechanism !== 'PLAIN' && mechanism !== 'LOGIN') throw no('Unsupported authentication mechanism', 'CANNOT');
    requirePlaintext(session);
    if (mechanism === 'PLAIN') {
      const creds = decodePlain(initialResponse ?? (await exchange(session, '')));
      if (creds === null) throw bad('Malformed PLAIN response');
      if (creds.authzid !== '' && creds.authzid !== creds.authcid) throw no('Cannot act as another user', 'AUTHORIZATIONFAILED');
      return completeLogin(session, creds.authcid, creds.password);
    }
    // LOGIN: with SASL-IR the initial response is the user name.
    const username = initialResponse ?? (await exchange(session, 'Username:'));
    const password = await exchange(session, 'Password:');
    return completeLogin(session, username.toString('utf8'), password.toString('utf8'));
  },
} satisfies CommandHandler<'AUTHENTICATE'>;
