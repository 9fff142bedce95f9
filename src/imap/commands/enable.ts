/**
 * ENABLE (RFC 5161): turns on CONDSTORE and QRESYNC (QRESYNC implies
 * CONDSTORE, RFC 7162 §3.2.3) and UTF8=ACCEPT (RFC 6855); unknown or
 * unsupported names are ignored.
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
      if (name === 'UTF8=ACCEPT') {
        // RFC 6855 §3: from here on names and quoted strings are UTF-8 in both directions. Only
        // in the authenticated state: a selected mailbox's names were already sent the other way.
        if (session.state !== 'authenticated') continue;
        if (!session.utf8Accept) enabled.push(name);
        session.utf8Accept = true;
        session.writer.utf8 = true;
        continue;
      }
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
