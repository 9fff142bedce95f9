/**
 * CHECK (RFC 3501 §6.4.1): every write is already durable when it is
 * acknowledged, so there is no checkpoint to take; like NOOP it reports
 * pending changes.
 */
import { SELECTED, type CommandHandler } from '../handler.js';

export const check = {
  name: 'CHECK',
  states: SELECTED,
  async handle(_command, session) {
    session.markDirty();
  },
} satisfies CommandHandler<'CHECK'>;
