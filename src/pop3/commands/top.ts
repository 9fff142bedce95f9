/** TOP (RFC 1939 §7): the header, the blank line, then n body lines (n may be 0). */
import { parseTop, type TopArgs } from '../parse.js';
import type { Pop3Command } from './types.js';

export const top = {
  name: 'TOP',
  states: ['transaction'],
  parse: parseTop,
  async handle(session, args) {
    const entry = session.maildrop().get(args.message);
    const delivered = await session.sendMessage(entry, args.lines);
    if (delivered && session.config.markSeenOnTop) session.markSeen(entry.uid);
  },
} satisfies Pop3Command<TopArgs>;
