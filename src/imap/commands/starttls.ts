/**
 * STARTTLS (RFC 3501 §6.2.1, RFC 2595): only before authentication and only
 * once. Plaintext pipelined after the command is discarded, and the client
 * must ask for CAPABILITY again afterwards.
 */
import { NOT_AUTHENTICATED, bad, type CommandHandler } from '../handler.js';

export const starttls = {
  name: 'STARTTLS',
  states: NOT_AUTHENTICATED,
  async handle(_command, session) {
    if (session.secure) throw bad('TLS is already active');
    const upgrade = session.beginTls();
    return { text: 'Begin TLS negotiation now', after: upgrade };
  },
} satisfies CommandHandler<'STARTTLS'>;
