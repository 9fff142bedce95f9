/**
 * LSUB (RFC 3501 §6.3.9): subscribed mailboxes matching the pattern. When
 * `%` stops above a subscribed mailbox whose parent is not subscribed, the
 * parent is returned with \Noselect, as the RFC requires.
 */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { compilePattern, joinReference, MailboxTree } from '../list-tree.js';
import { userId, wireName } from '../mailboxes.js';
import { atom, raw } from '../proto/values.js';

export const lsub = {
  name: 'LSUB',
  states: AUTHENTICATED,
  async handle(command, session) {
    const { reference, pattern } = command.args;
    if (pattern === '') {
      await session.writer.untagged(atom('LSUB'), [raw('\\Noselect')], '/', '');
      return;
    }
    const matches = compilePattern(joinReference(reference, pattern));
    const tree = new MailboxTree(await session.store.mailboxes.listMailboxes(userId(session)));
    for (const entry of tree.entries) {
      if (!matches(entry.path)) continue;
      if (entry.mailbox?.subscribed) {
        await session.writer.untagged(atom('LSUB'), [], '/', wireName(entry.path, session.utf8Accept));
      } else if (tree.subscribedDescendants(entry.path).some((d) => !matches(d))) {
        await session.writer.untagged(atom('LSUB'), [raw('\\Noselect')], '/', wireName(entry.path, session.utf8Accept));
      }
    }
  },
} satisfies CommandHandler<'LSUB'>;
