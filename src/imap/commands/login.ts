/**
 * LOGIN (RFC 3501 §6.2.3): refused with PRIVACYREQUIRED where LOGINDISABLED
 * is advertised; otherwise through the single login path.
 */
import { NOT_AUTHENTICATED, type CommandHandler } from '../handler.js';
import { completeLogin, requirePlaintext } from '../login-flow.js';

export const login = {
  name: 'LOGIN',
  states: NOT_AUTHENTICATED,
  async handle(command, session) {
    requirePlaintext(session);
    return completeLogin(session, command.args.username, command.args.password);
  },
} satisfies CommandHandler<'LOGIN'>;
