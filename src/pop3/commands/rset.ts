/** RSET (RFC 1939 §5): unmarks every DELE'd message. */
import { parseNoArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const rset = {
  name: 'RSET',
  states: ['transaction'],
  parse: parseNoArgs,
  async handle(session) {
    const drop = session.maildrop();
    drop.reset();
    const { count, octets } = drop.stat();
    session.ok(`Maildrop has ${count} messages (${octets} octets)`);
  },
} satisfies Pop3Command<null>;
