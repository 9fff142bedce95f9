/**
 * NOOP (RFC 3501 §6.1.2): does nothing but is the client's way to poll, so
 * the selected mailbox is always checked, notification or not (a change made
 * by another process without Redis is only found this way).
 */
import { ANY_STATE, type CommandHandler } from '../handler.js';

export const noop = {
  name: 'NOOP',
  states: ANY_STATE,
  async handle(_command, session) {
    session.markDirty();
  },
} satisfies CommandHandler<'NOOP'>;
