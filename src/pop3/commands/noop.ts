/** NOOP (RFC 1939 §5). */
import { parseNoArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const noop = {
  name: 'NOOP',
  states: ['transaction'],
  parse: parseNoArgs,
  async handle(session) {
    session.ok('');
  },
} satisfies Pop3Command<null>;
