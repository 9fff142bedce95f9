/** STAT (RFC 1939 §5): count and octets of the messages not marked as deleted. */
import { parseNoArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const stat = {
  name: 'STAT',
  states: ['transaction'],
  parse: parseNoArgs,
  async handle(session) {
    const { count, octets } = session.maildrop().stat();
    session.ok(`${count} ${octets}`);
  },
} satisfies Pop3Command<null>;
