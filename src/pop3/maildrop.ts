import type { Store } from '../storage/interface.js';
import type { UidRanges } from '../storage/query.js';
import type { Mailbox } from '../storage/types.js';
import { Pop3Error } from './errors.js';

/** One message of the session's maildrop; numbered by its position (1-based), fixed for the session (RFC 1939 §5). */
export interface DropEntry {
  readonly uid: number;
  readonly size: number;
  /** Marked by DELE; cleared by RSET. */
  deleted: boolean;
  /** Removed by another session (IMAP expunge or move) since the snapshot. */
  gone: boolean;
}

const PAGE = 1000;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** Unique per message and stable across sessions (RFC 1939 §7): UIDVALIDITY and UID, like Dovecot's %08x%08x. */
export function uidlOf(uidValidity: number, uid: number): string {
  return `${hex8(uidValidity)}${hex8(uid)}`;
}

/** Inclusive UID ranges covering `uids` (ascending input), so one storage call covers many messages. */
export function toRanges(uids: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const uid of uids) {
    const last = out[out.length - 1];
    if (last && uid === last[1] + 1) last[1] = uid;
    else out.push([uid, uid]);
  }
  return out;
}

/**
 * The session's view of INBOX, taken at login: UIDs and sizes only, never
 * bodies. New mail is not added (message numbers must not change); messages
 * that vanish are marked gone and answered with -ERR.
 */
export class Maildrop {
  private constructor(
    readonly mailboxId: string,
    readonly uidValidity: number,
    private readonly entries: DropEntry[],
  ) {}

  /** Pages through the mailbox; with maxMessages > 0 only the newest that many (highest UIDs). */
  static async load(store: Store, mailbox: Mailbox, maxMessages: number): Promise<Maildrop> {
    let afterUid = 0;
    if (maxMessages > 0) {
      const uids = await store.messages.uids(mailbox.id);
      if (uids.length > maxMessages) afterUid = uids[uids.length - maxMessages - 1]!;
    }
    let entries: DropEntry[] = [];
    for (;;) {
      const page = await store.messages.list(mailbox.id, { afterUid, limit: PAGE });
      for (const m of page) entries.push({ uid: m.uid, size: m.size, deleted: false, gone: false });
      if (page.length < PAGE) break;
      afterUid = page[page.length - 1]!.uid;
    }
    // Mail that arrived while paging may push the count over the cap.
    if (maxMessages > 0 && entries.length > maxMessages) entries = entries.slice(entries.length - maxMessages);
    return new Maildrop(mailbox.id, mailbox.uidValidity, entries);
  }

  /** Number of messages in the snapshot, including deleted ones (the highest valid message number). */
  get size(): number {
    return this.entries.length;
  }

  /** A message that may be acted on. @throws Pop3Error for a number out of range, a DELE'd or a vanished message. */
  get(n: number): DropEntry {
    const e = n >= 1 ? this.entries[n - 1] : undefined;
    if (!e) throw new Pop3Error('No such message');
    if (e.deleted) throw new Pop3Error('Message is marked as deleted');
    if (e.gone) throw new Pop3Error('Message was removed by another session');
    return e;
  }

  /** Messages not deleted and not gone, with their numbers. */
  *visible(): Generator<[number, DropEntry]> {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!e.deleted && !e.gone) yield [i + 1, e];
    }
  }

  stat(): { count: number; octets: number } {
    let count = 0;
    let octets = 0;
    for (const [, e] of this.visible()) {
      count++;
      octets += e.size;
    }
    return { count, octets };
  }

  uidl(e: DropEntry): string {
    return uidlOf(this.uidValidity, e.uid);
  }

  /** Index of the entry with this UID, or -1 (the snapshot is ascending by UID). */
  private indexOf(uid: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid]!;
      if (e.uid === uid) return mid;
      if (e.uid < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Marks a vanished UID; false when it is not in the snapshot. */
  markGone(uid: number): boolean {
    const i = this.indexOf(uid);
    if (i < 0) return false;
    this.entries[i]!.gone = true;
    return true;
  }

  /** RSET (RFC 1939 §5): unmarks every DELE'd message. */
  reset(): void {
    for (const e of this.entries) e.deleted = false;
  }

  /** UIDs marked by DELE, ascending, as ranges for one storage call. */
  deletedRanges(): UidRanges {
    return toRanges(this.entries.filter((e) => e.deleted).map((e) => e.uid));
  }

  get deletedCount(): number {
    let n = 0;
    for (const e of this.entries) if (e.deleted) n++;
    return n;
  }
}
