/** DELE (RFC 1939 §5): marks only; removal happens in the UPDATE state after QUIT. */
import { parseMessageNumber } from '../parse.js';
import type { Pop3Command } from './types.js';

export const dele = {
  name: 'DELE',
  states: ['transaction'],
  parse: parseMessageNumber,
  async handle(session, n) {
    session.maildrop().get(n).deleted = true;
    session.ok(`Message ${n} marked as deleted`);
  },
} satisfies Pop3Command<number>;
