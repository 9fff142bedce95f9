/** SETQUOTA (RFC 9208 §4.1.3): quotas are set by the administrator (the API), never by the user. */
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';

export const setquota = {
  name: 'SETQUOTA',
  states: AUTHENTICATED,
  async handle() {
    throw no('Quotas are managed by the administrator', 'NOPERM');
  },
} satisfies CommandHandler<'SETQUOTA'>;
