/**
 * ENABLE (RFC 5161): turns on CONDSTORE and QRESYNC (QRESYNC implies
 * CONDSTORE, RFC 7162 §3.2.3); unknown or unsupported names are ignored.
 * The RFC lets servers skip checking that no mailbox is selected, which
 * keeps clients that enable late working.
 */
import { ENABLEABLE } from '../capabilities.js';
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { atom } from '../proto/values.js';

export const enable = {
  name: 'ENABLE',
  states: AUTHENTICATED,
  async handle(command, session) {
    const enabled: string[] = [];
    for (const name of command.args.capabilities) {
      if (!ENABLEABLE.has(name)) continue;
      if (name === 'QRESYNC') {
        if (!session.qresync) enabled.push(name);
        session.qresync = true;
      } else if (!session.condstore) {
        enabled.push(name);
      }
      await session.enableCondstore();
    }
    await session.writer.untagged(atom('ENABLED'), ...enabled.map(atom));
  },
} satisfies CommandHandler<'ENABLE'>;
