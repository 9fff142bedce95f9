/**
 * The selected mailbox's sequence map (RFC 3501 §2.3.1.2): position i holds
 * the UID of message sequence number i + 1, ascending. A growable
 * Uint32Array keeps 100,000 messages in 400 KB instead of an array of
 * boxed numbers.
 */
export class UidMap {
  private buf: Uint32Array;
  private len: number;
  /**
   * Whether buf is this map's own. The initial list may be shared (the
   * process's cached UID list of the mailbox, src/imap/uid-lists.ts, handed
   * to every session that selects it), so the first change copies it:
   * SELECT of a 100,000-message mailbox then costs no 400 KB copy.
   */
  private owned = false;

  constructor(initial: Uint32Array) {
    this.buf = initial;
    this.len = initial.length;
  }

  get length(): number {
    return this.len;
  }

  /** Highest UID in the map, 0 when empty. */
  get maxUid(): number {
    return this.len === 0 ? 0 : (this.buf[this.len - 1] ?? 0);
  }

  /** UID at 0-based index. */
  uidAt(index: number): number {
    return this.buf[index] ?? 0;
  }

  /** The live view (seq n at index n-1); valid until the next mutation. */
  view(): Uint32Array {
    return this.buf.subarray(0, this.len);
  }

  /** First index whose UID is >= uid (binary search). */
  lowerBound(uid: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.buf[mid] ?? 0) < uid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** 1-based sequence number of uid, or 0 when it is not in the map. */
  seqOf(uid: number): number {
    const i = this.lowerBound(uid);
    return i < this.len && this.buf[i] === uid ? i + 1 : 0;
  }

  has(uid: number): boolean {
    return this.seqOf(uid) !== 0;
  }

  /**
   * The sequence numbers of ascending `uids`, 0 for those not in the map:
   * one merge pass over both instead of a binary search per UID (SEARCH
   * results can be most of a 100,000-message mailbox).
   */
  seqsOfAscending(uids: readonly number[]): number[] {
    const out = new Array<number>(uids.length);
    let i = 0;
    for (let k = 0; k < uids.length; k++) {
      const uid = uids[k]!;
      while (i < this.len && (this.buf[i] ?? 0) < uid) i++;
      out[k] = i < this.len && this.buf[i] === uid ? i + 1 : 0;
    }
    return out;
  }

  /** Appends UIDs greater than maxUid (new messages), ascending. */
  append(uids: readonly number[]): void {
    if (uids.length === 0) return;
    const need = this.len + uids.length;
    if (need > this.buf.length || !this.owned) {
      const grown = new Uint32Array(Math.max(need, this.buf.length * 2, 64));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
      this.owned = true;
    }
    for (const uid of uids) this.buf[this.len++] = uid;
  }

  /**
   * Removes the given UIDs in one pass and returns the sequence numbers they
   * had before removal, ascending. Reported in descending order, every one of
   * those numbers is still correct when the client applies it (RFC 3501 §7.4.1).
   */
  remove(uids: ReadonlySet<number>): number[] {
    const seqs: number[] = [];
    // Compacts in place when the buffer is ours, into a new one when it is shared.
    const src = this.buf;
    const dst = this.owned ? src : new Uint32Array(this.len);
    let w = 0;
    for (let r = 0; r < this.len; r++) {
      const uid = src[r] ?? 0;
      if (uids.has(uid)) {
        seqs.push(r + 1);
        continue;
      }
      dst[w++] = uid;
    }
    this.buf = dst;
    this.owned = true;
    this.len = w;
    return seqs;
  }
}
