import type { Pop3Config } from '../config/schema.js';
import { AlreadyExistsError } from '../storage/errors.js';
import type { Store } from '../storage/interface.js';
import type { Mailbox } from '../storage/types.js';
import type { Maildrop } from './maildrop.js';

/** The user's Trash: the \Trash special-use mailbox, else one named "Trash", else a new one. */
async function trashMailbox(store: Store, userId: string): Promise<Mailbox> {
  const special = await store.mailboxes.getSpecialMailbox(userId, '\\Trash');
  if (special) return special;
  const named = await store.mailboxes.getMailbox(userId, 'Trash');
  if (named) return named;
  try {
    return await store.mailboxes.createMailbox(userId, 'Trash', { specialUse: '\\Trash' });
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    const raced = await store.mailboxes.getMailbox(userId, 'Trash');
    if (!raced) throw err;
    return raced;
  }
}

/**
 * The UPDATE state (RFC 1939 §6): removes the messages marked by DELE, in one
 * atomic storage call, either into the restorable archive (expunge) or into
 * Trash (deleteAction = "trash"). Messages already removed by another session
 * are skipped by storage. Returns how many were marked.
 */
export async function applyDeletes(store: Store, userId: string, drop: Maildrop, action: Pop3Config['deleteAction']): Promise<number> {
  const ranges = drop.deletedRanges();
  if (ranges.length === 0) return 0;
  if (action === 'trash') {
    const trash = await trashMailbox(store, userId);
    if (trash.id !== drop.mailboxId) {
      await store.messages.move(drop.mailboxId, ranges, trash.id);
      return drop.deletedCount;
    }
  }
  await store.messages.expunge(drop.mailboxId, { ranges, onlyDeleted: false });
  return drop.deletedCount;
}
