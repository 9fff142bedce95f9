/**
 * What LOGIN and AUTHENTICATE share: the plaintext policy check and the
 * step from credentials to the authenticated state, all through
 * `LoginService.login()`, the single login path.
 */
import { no, type CommandResult } from './handler.js';
import type { Session } from './session.js';

/** RFC 3501 §6.2.3 / RFC 2595 §3.1: no cleartext passwords where LOGINDISABLED is advertised. */
export function requirePlaintext(session: Session): void {
  if (!session.plaintextAllowed()) throw no('Use STARTTLS or the TLS port before sending a password', 'PRIVACYREQUIRED');
}

export async function completeLogin(session: Session, username: string, password: string): Promise<CommandResult> {
  const result = await session.ctx.login.login({
    username,
    password,
    scope: 'imap',
    protocol: 'imap',
    ip: session.remoteAddress,
    session: session.id,
  });
  const user = result.user;
  const limit = user.settings.imapMaxConnections ?? session.config.maxConnectionsPerUser;
  if (session.ctx.sessions.count(user.id, 'imap') >= limit) {
    session.logger.info('imap.login_limit', { user: user.username, limit });
    throw no('Too many connections for this account', 'LIMIT');
  }
  session.authenticated(user);
  session.logger.info('imap.login', { method: result.method });
  return { text: 'Logged in', code: { name: 'CAPABILITY', args: session.capabilityList() } };
}
