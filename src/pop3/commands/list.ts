/** LIST (RFC 1939 §5): one message's size, or every undeleted message's. */
import { parseOptionalMessageNumber } from '../parse.js';
import type { Pop3Command } from './types.js';

export const list = {
  name: 'LIST',
  states: ['transaction'],
  parse: parseOptionalMessageNumber,
  async handle(session, n) {
    const drop = session.maildrop();
    if (n !== null) {
      session.ok(`${n} ${drop.get(n).size}`);
      return;
    }
    const { count, octets } = drop.stat();
    const lines: string[] = [];
    for (const [i, e] of drop.visible()) lines.push(`${i} ${e.size}`);
    session.multiline(`${count} messages (${octets} octets)`, lines);
  },
} satisfies Pop3Command<number | null>;
