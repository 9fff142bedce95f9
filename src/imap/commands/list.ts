/**
 * LIST (RFC 3501 §6.3.8) with LIST-EXTENDED (RFC 5258: selection options
 * SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE; return options
 * SUBSCRIBED, CHILDREN, SPECIAL-USE), CHILDREN attributes (RFC 3348),
 * special-use attributes (RFC 6154) and LIST-STATUS (RFC 5819).
 */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { compilePattern, joinReference, MailboxTree, type TreeEntry } from '../list-tree.js';
import { wireName, userId } from '../mailboxes.js';
import type { ListArgs } from '../parse/list.js';
import { atom, raw, type ImapValue } from '../proto/values.js';
import type { Session } from '../session.js';
import { statusResponse } from '../status-data.js';

function meetsSelection(entry: TreeEntry, args: ListArgs): boolean {
  const m = entry.mailbox;
  if (args.selection.subscribed && !m?.subscribed) return false;
  if (args.selection.specialUse && (!m?.specialUse || m.specialUse === '\\Inbox')) return false;
  return true;
}

function attributes(entry: TreeEntry, args: ListArgs): string[] {
  const m = entry.mailbox;
  const attrs: string[] = [];
  // RFC 5258 §3: \NonExistent under the extended syntax; plain RFC 3501 clients know \Noselect.
  if (m === null) attrs.push(args.extended ? '\\NonExistent' : '\\Noselect');
  attrs.push(entry.hasChildren ? '\\HasChildren' : '\\HasNoChildren');
  if (m?.specialUse && m.specialUse !== '\\Inbox') attrs.push(m.specialUse);
  if (m?.subscribed && (args.selection.subscribed || args.returnOptions.subscribed)) attrs.push('\\Subscribed');
  return attrs;
}

async function listLine(session: Session, entry: TreeEntry, attrs: readonly string[], extra: ImapValue[]): Promise<void> {
  await session.writer.untagged(atom('LIST'), attrs.map(raw), '/', wireName(entry.path, session.utf8Accept), ...extra);
}

export const list = {
  name: 'LIST',
  states: AUTHENTICATED,
  async handle(command, session) {
    const args = command.args;
    const patterns = args.patterns.filter((p) => p !== '');
    if (patterns.length < args.patterns.length) {
      // An empty pattern asks for the hierarchy separator and the root (RFC 3501 §6.3.8).
      await session.writer.untagged(atom('LIST'), [raw('\\Noselect')], '/', '');
    }
    if (patterns.length === 0) return;
    const matchers = patterns.map((p) => compilePattern(joinReference(args.reference, p)));
    const matches = (path: string): boolean => matchers.some((m) => m(path));
    const tree = new MailboxTree(await session.store.mailboxes.listMailboxes(userId(session)));
    for (const entry of tree.entries) {
      if (!matches(entry.path)) continue;
      const selected = meetsSelection(entry, args);
      // RFC 5258 §3.5 RECURSIVEMATCH: a parent whose unlisted descendant is subscribed is shown with CHILDINFO.
      const childInfo =
        args.selection.recursiveMatch &&
        args.selection.subscribed &&
        tree.subscribedDescendants(entry.path).some((d) => !matches(d));
      if (!selected && !childInfo) continue;
      const extra: ImapValue[] = childInfo ? [['CHILDINFO', ['SUBSCRIBED']]] : [];
      await listLine(session, entry, attributes(entry, args), extra);
      if (args.returnOptions.status && entry.mailbox) {
        await statusResponse(session, entry.mailbox, args.returnOptions.status).catch(() => undefined);
      }
    }
  },
} satisfies CommandHandler<'LIST'>;
