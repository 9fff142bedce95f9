/** UNSELECT (RFC 3691): leave the selected state without expunging. */
import { SELECTED, type CommandHandler } from '../handler.js';

export const unselect = {
  name: 'UNSELECT',
  states: SELECTED,
  async handle(_command, session) {
    session.deselect();
  },
} satisfies CommandHandler<'UNSELECT'>;
