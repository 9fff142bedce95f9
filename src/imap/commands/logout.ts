/** LOGOUT (RFC 3501 §6.1.3): untagged BYE, then the tagged OK, then close. */
import { ANY_STATE, type CommandHandler } from '../handler.js';

export const logout = {
  name: 'LOGOUT',
  states: ANY_STATE,
  async handle(_command, session) {
    await session.writer.status(null, 'BYE', 'Logging out');
    session.state = 'logout';
    session.deselect();
    return {
      text: 'LOGOUT completed',
      after: async () => {
        session.logger.info('imap.logout');
        session.close();
      },
    };
  },
} satisfies CommandHandler<'LOGOUT'>;
