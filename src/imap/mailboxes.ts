/**
 * Mailbox names between the wire and storage: storage paths are UTF-8 with
 * "/" as separator, the wire uses modified UTF-7 (RFC 3501 §5.1.3, decoded
 * by the parser) and INBOX is case-insensitive (normalised by the parser).
 */
import type { Mailbox, SpecialUse } from '../storage/types.js';
import { no } from './handler.js';
import { encodeMutf7 } from './proto/mutf7.js';
import { astring, type ImapValue } from './proto/values.js';
import type { SelectedMailbox } from './selected.js';
import type { Session } from './session.js';

export const SEPARATOR = '/';

/** The name as written in responses (LIST, LSUB, STATUS): UTF-8 itself once UTF8=ACCEPT is enabled (RFC 6855 §3). */
export function wireName(path: string, utf8Accept: boolean): ImapValue {
  return astring(utf8Accept ? path : encodeMutf7(path));
}

/**
 * A trailing separator only declares that the client means to create names
 * below (RFC 3501 §6.3.3); the mailbox itself is the name without it.
 */
export function storagePath(name: string): string {
  return name.length > 1 && name.endsWith(SEPARATOR) ? name.slice(0, -1) : name;
}

export function userId(session: Session): string {
  const user = session.user;
  if (!user) throw new Error('command needs an authenticated session');
  return user.id;
}

/**
 * The named mailbox, or NO with `code`: NONEXISTENT for commands on the
 * mailbox itself, TRYCREATE for the target of APPEND, COPY and MOVE
 * (RFC 3501 §6.3.11, §6.4.7).
 */
export async function requireMailbox(session: Session, name: string, code: 'NONEXISTENT' | 'TRYCREATE' = 'NONEXISTENT'): Promise<Mailbox> {
  const mailbox = await session.store.mailboxes.getMailbox(userId(session), storagePath(name));
  if (!mailbox) throw no(code === 'TRYCREATE' ? 'Mailbox does not exist' : 'No such mailbox', code);
  return mailbox;
}

const SPECIAL_USES: ReadonlyMap<string, SpecialUse> = new Map(
  (['\\Drafts', '\\Sent', '\\Junk', '\\Trash', '\\Archive', '\\Flagged', '\\All'] as const).map((u) => [u, u]),
);

/** An RFC 6154 attribute as a storage special use (\Inbox is storage-only and never on the wire). */
export function toSpecialUse(attribute: string): SpecialUse | null {
  return SPECIAL_USES.get(attribute) ?? null;
}

/** The selected mailbox; the dispatcher only runs selected-state commands when there is one. */
export function selectedMailbox(session: Session): SelectedMailbox {
  const sel = session.selected;
  if (!sel) throw new Error('command needs a selected mailbox');
  return sel;
}

/** Refuses changes in a mailbox opened with EXAMINE (RFC 3501 §6.3.2). */
export function writableMailbox(session: Session): SelectedMailbox {
  const sel = selectedMailbox(session);
  if (!sel.readWrite) throw no('Mailbox is open read-only', 'CANNOT');
  return sel;
}
