/**
 * The UID lists of recently selected mailboxes, shared by this process's
 * sessions: SELECT needs every UID of the mailbox (the sequence map), and
 * reading 100,000 of them costs milliseconds, where catching a known list
 * up with the journal (what was added or expunged since) usually costs a
 * few index lookups. Clients select the same mailboxes over and over.
 *
 * Correct across processes: an entry is the list as of a mailbox modseq and
 * is only ever brought forward through storage (`changesSince`, the same
 * read sessions catch up with), never trusted on its own; when the journal
 * no longer reaches back to it, the list is read afresh.
 */
import type { Store } from '../storage/interface.js';
import type { Mailbox } from '../storage/types.js';

interface Entry {
  uidValidity: number;
  /** The list holds every message present at this modseq (and possibly some added after it). */
  modseq: number;
  uids: Uint32Array;
}

export class UidLists {
  /** Insertion order is recency: a hit is re-inserted, eviction takes the first. */
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(
    private readonly store: Store,
    /** UIDs kept in all (4 bytes each). */
    private readonly maxUids = 4_000_000,
  ) {}

  /**
   * Every UID of `mailbox`, ascending: at least the messages present at
   * `mailbox.highestModseq` (the row the caller read first), possibly later
   * ones too, like a fresh `messages.uids()`. The list is shared with the
   * cache and other sessions: read it, never write it (UidMap copies on its
   * first change).
   */
  async uids(mailbox: Mailbox): Promise<Uint32Array> {
    const entry = this.entries.get(mailbox.id);
    let uids: Uint32Array | null = null;
    let modseq = mailbox.highestModseq;
    if (entry !== undefined && entry.uidValidity === mailbox.uidValidity) {
      if (entry.modseq === mailbox.highestModseq) {
        uids = entry.uids;
      } else {
        const changes = await this.store.messages.changesSince(mailbox.id, entry.modseq);
        if (changes.complete) {
          uids = advance(entry.uids, changes.expunged, changes.changed);
          modseq = changes.highestModseq;
        }
      }
    }
    uids ??= await this.store.messages.uids(mailbox.id);
    this.put(mailbox.id, { uidValidity: mailbox.uidValidity, modseq, uids });
    return uids;
  }

  private put(id: string, entry: Entry): void {
    const old = this.entries.get(id);
    if (old !== undefined) {
      this.entries.delete(id);
      this.held -= old.uids.length;
    }
    if (entry.uids.length > this.maxUids) return;
    this.entries.set(id, entry);
    this.held += entry.uids.length;
    for (const [key, e] of this.entries) {
      if (this.held <= this.maxUids) break;
      this.entries.delete(key);
      this.held -= e.uids.length;
    }
  }
}

/**
 * The list after the journal's changes: expunged UIDs removed, messages
 * above the old highest UID appended (UIDs only grow, so anything new is
 * above it; changed messages below it were already listed).
 */
function advance(uids: Uint32Array, expunged: readonly number[], changed: ReadonlyArray<{ uid: number }>): Uint32Array {
  const max = uids.length === 0 ? 0 : (uids[uids.length - 1] ?? 0);
  const gone = new Set(expunged);
  const added: number[] = [];
  for (const c of changed) if (c.uid > max && !gone.has(c.uid)) added.push(c.uid);
  if (gone.size === 0 && added.length === 0) return uids;
  const out = new Uint32Array(uids.length + added.length);
  let n = 0;
  if (gone.size === 0) {
    out.set(uids);
    n = uids.length;
  } else {
    for (const uid of uids) if (!gone.has(uid)) out[n++] = uid;
  }
  for (const uid of added) out[n++] = uid;
  return n === out.length ? out : out.slice(0, n);
}
