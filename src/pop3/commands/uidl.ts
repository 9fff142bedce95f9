/** UIDL (RFC 1939 §7): unique ids, stable across sessions (UIDVALIDITY + UID). */
import { parseOptionalMessageNumber } from '../parse.js';
import type { Pop3Command } from './types.js';

export const uidl = {
  name: 'UIDL',
  states: ['transaction'],
  parse: parseOptionalMessageNumber,
  async handle(session, n) {
    const drop = session.maildrop();
    if (n !== null) {
      session.ok(`${n} ${drop.uidl(drop.get(n))}`);
      return;
    }
    const lines: string[] = [];
    for (const [i, e] of drop.visible()) lines.push(`${i} ${drop.uidl(e)}`);
    session.multiline('Unique-ID listing follows', lines);
  },
} satisfies Pop3Command<number | null>;
