/**
 * Per-session state of the selected mailbox: the sequence map, the last
 * mod-sequence the session has caught up to, this session's \Recent
 * messages, and the changes it knows of but may not report yet.
 */
import type { Mailbox } from '../storage/types.js';
import { UidMap } from './uid-map.js';

export class SelectedMailbox {
  readonly map: UidMap;
  /** Everything with a mod-sequence at or below this has been reported (or deliberately not). */
  modseq: number;
  /** Changes may be waiting in the journal (notifier event, own write, resync). */
  dirty = false;
  /**
   * Expunged by someone else while the session could not say so (during
   * FETCH, STORE, SEARCH, RFC 3501 §7.4.1): still in the map, answered with
   * what is known, reported at the next point where EXPUNGE is allowed.
   */
  readonly pendingExpunges = new Set<number>();
  /**
   * Flag changes this session already reported itself (its own STORE, the
   * implicit \Seen of FETCH), by UID → mod-sequence, so catching up does not
   * report them a second time when the journal shows them.
   */
  private readonly reported = new Map<number, number>();
  /** UID intervals [from, to) that are \Recent for this session (RFC 3501 §2.3.2). */
  private readonly recentRuns: Array<readonly [number, number]> = [];
  private recentTotal = 0;

  constructor(
    readonly mailbox: Mailbox,
    uids: Uint32Array,
    /** SELECT (true) or EXAMINE (false): EXAMINE changes nothing, \Recent and \Seen included. */
    readonly readWrite: boolean,
  ) {
    this.map = new UidMap(uids);
    this.modseq = mailbox.highestModseq;
  }

  get id(): string {
    return this.mailbox.id;
  }

  /** Claims the UIDs [from, to) as this session's \Recent messages and counts those in the map. */
  addRecent(from: number, to: number): void {
    if (to <= from) return;
    this.recentRuns.push([from, to]);
    this.recentTotal += this.map.lowerBound(to) - this.map.lowerBound(from);
  }

  /** Counts a message appended to the map that falls in a claimed interval. */
  countIfRecent(uid: number): void {
    if (this.isRecent(uid)) this.recentTotal++;
  }

  forgetRecent(uid: number): void {
    if (this.isRecent(uid)) this.recentTotal--;
  }

  isRecent(uid: number): boolean {
    for (const [from, to] of this.recentRuns) if (uid >= from && uid < to) return true;
    return false;
  }

  get recentCount(): number {
    return this.recentTotal;
  }

  /** Flags as reported to this client: \Recent is session state, not stored (RFC 3501 §2.3.2). */
  flagsFor(uid: number, stored: readonly string[]): string[] {
    return this.isRecent(uid) ? [...stored, '\\Recent'] : [...stored];
  }

  noteReported(uid: number, modseq: number): void {
    this.reported.set(uid, modseq);
  }

  wasReported(uid: number, modseq: number): boolean {
    return this.reported.get(uid) === modseq;
  }

  /**
   * This session's own flag change took the mailbox from `before` to
   * `after` (FlagChangeResult). When the session had caught up to `before`,
   * nothing else happened in between, and what did happen it reports itself
   * (or the client asked not to hear, .SILENT): catching up may start at
   * `after` instead of re-reading every message it just changed.
   */
  ownChange(before: number, after: number): void {
    if (before === this.modseq && after > before) this.caughtUp(after);
  }

  /** After a catch-up everything up to `modseq` is known, so the own-report memory can go. */
  caughtUp(modseq: number): void {
    if (modseq > this.modseq) this.modseq = modseq;
    this.reported.clear();
  }
}
