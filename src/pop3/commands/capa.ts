/** CAPA (RFC 2449 §5): valid in every state; the list depends on the state and the connection. */
import { parseNoArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const capa = {
  name: 'CAPA',
  states: ['authorization', 'transaction'],
  parse: parseNoArgs,
  async handle(session) {
    session.multiline('Capability list follows', session.capabilities());
  },
} satisfies Pop3Command<null>;
