/** EXAMINE (RFC 3501 §6.3.2): SELECT, read-only, taking no \Recent and setting no \Seen. */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { openMailbox } from './select.js';

export const examine = {
  name: 'EXAMINE',
  states: AUTHENTICATED,
  handle: (command, session) => openMailbox(command, session, false),
} satisfies CommandHandler<'EXAMINE'>;
