/** RETR (RFC 1939 §5): the whole message, streamed. */
import { parseMessageNumber } from '../parse.js';
import type { Pop3Command } from './types.js';

export const retr = {
  name: 'RETR',
  states: ['transaction'],
  parse: parseMessageNumber,
  async handle(session, n) {
    const entry = session.maildrop().get(n);
    const delivered = await session.sendMessage(entry, null);
    if (delivered && session.config.markSeenOnRetr) session.markSeen(entry.uid);
  },
} satisfies Pop3Command<number>;
