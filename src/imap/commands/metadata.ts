/**
 * GETMETADATA / SETMETADATA (RFC 5464): annotations on a mailbox, or with
 * the mailbox "" on the server. Limits (§4.3): values up to 64 KiB, 100
 * entries per mailbox; a set that would pass one changes nothing and is
 * NO [METADATA MAXSIZE n] or NO [METADATA TOOMANY].
 */
import { MetadataLimitError } from '../../storage/errors.js';
import { AUTHENTICATED, no, type CommandHandler } from '../handler.js';
import { requireMailbox, userId, wireName } from '../mailboxes.js';
import { astring, atom, type ImapValue } from '../proto/values.js';
import type { Session } from '../session.js';

export const METADATA_LIMITS = { maxEntries: 100, maxValueSize: 64 * 1024 } as const;

async function target(session: Session, name: string): Promise<string | null> {
  return name === '' ? null : (await requireMailbox(session, name)).id;
}

export const getmetadata = {
  name: 'GETMETADATA',
  states: AUTHENTICATED,
  async handle(command, session) {
    const { mailbox, entries, maxSize, depth } = command.args;
    const found = await session.store.metadata.get(userId(session), await target(session, mailbox), entries, depth);
    // §4.2.1: MAXSIZE leaves larger values out and names the largest in LONGENTRIES.
    let longest = 0;
    const values: ImapValue[] = [];
    for (const e of found) {
      if (maxSize !== null && e.value.length > maxSize) {
        longest = Math.max(longest, e.value.length);
        continue;
      }
      values.push(astring(e.name), e.value);
    }
    if (values.length > 0) await session.writer.untagged(atom('METADATA'), mailbox === '' ? '' : wireName(mailbox, session.utf8Accept), values);
    if (longest === 0) return undefined;
    return { text: 'GETMETADATA completed', code: { name: 'METADATA', args: ['LONGENTRIES', longest] } };
  },
} satisfies CommandHandler<'GETMETADATA'>;

export const setmetadata = {
  name: 'SETMETADATA',
  states: AUTHENTICATED,
  async handle(command, session) {
    const { mailbox, entries } = command.args;
    try {
      await session.store.metadata.set(userId(session), await target(session, mailbox), entries, METADATA_LIMITS);
    } catch (err) {
      if (!(err instanceof MetadataLimitError)) throw err;
      if (err.limit === 'maxsize') throw no('Value too large', { name: 'METADATA', args: ['MAXSIZE', err.max] });
      throw no('Too many entries', { name: 'METADATA', args: ['TOOMANY'] });
    }
  },
} satisfies CommandHandler<'SETMETADATA'>;
