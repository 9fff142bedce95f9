/** QUIT (RFC 1939 §4, §6): from TRANSACTION it enters UPDATE and removes the DELE'd messages. */
import { parseNoArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const quit = {
  name: 'QUIT',
  states: ['authorization', 'transaction'],
  parse: parseNoArgs,
  async handle(session) {
    await session.quit();
  },
} satisfies Pop3Command<null>;
