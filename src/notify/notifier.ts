import type { ChangeEvent } from '../storage/types.js';

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * Publish/subscribe of per-user change events, so a session in any process
 * learns of new, changed and expunged messages. Events are hints: listeners
 * re-read state from storage (the journal is the source of truth), which is
 * why a lost event is recoverable and why `onResync` exists.
 */
export interface Notifier {
  /** Hands events to every subscriber of their users, here and in other processes. Never blocks, never throws. */
  publish(events: readonly ChangeEvent[]): void;
  /** Listens for one user's events; returns the unsubscribe function. */
  subscribe(userId: string, listener: ChangeListener): () => void;
  /**
   * Called when events may have been missed (the link to other processes
   * dropped and came back): every listener should resynchronise from the journal.
   */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Fan-out to local listeners, asynchronously, isolating listener failures. Shared by both implementations. */
export class LocalFanout {
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly resyncListeners = new Set<() => void>();

  constructor(private readonly onListenerError: (err: unknown) => void) {}

  deliver(event: ChangeEvent): void {
    this.deliverAll([event]);
  }

  /**
   * Events of one commit, in order. Each listener gets them in one task
   * rather than one per event: a STORE on 10,000 messages is 10,000 events,
   * and a task per event and session made the fan-out cost more than the write.
   */
  deliverAll(events: readonly ChangeEvent[]): void {
    const byUser = new Map<string, ChangeEvent[]>();
    for (const event of events) {
      if (!this.listeners.get(event.userId)?.size) continue;
      let list = byUser.get(event.userId);
      if (list === undefined) byUser.set(event.userId, (list = []));
      list.push(event);
    }
    for (const [userId, list] of byUser) {
      // Copy: a listener may unsubscribe while we iterate.
      for (const listener of [...(this.listeners.get(userId) ?? [])]) {
        setImmediate(() => {
          for (const event of list) {
            try {
              listener(event);
            } catch (err) {
              this.onListenerError(err);
            }
          }
        });
      }
    }
  }

  /** Returns true when this was the user's first listener. */
  add(userId: string, listener: ChangeListener): boolean {
    let set = this.listeners.get(userId);
    const first = !set;
    if (!set) this.listeners.set(userId, (set = new Set()));
    set.add(listener);
    return first;
  }

  /** Returns true when the user has no listeners left. */
  remove(userId: string, listener: ChangeListener): boolean {
    const set = this.listeners.get(userId);
    if (!set) return false;
    set.delete(listener);
    if (set.size > 0) return false;
    this.listeners.delete(userId);
    return true;
  }

  users(): string[] {
    return [...this.listeners.keys()];
  }

  addResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  resync(): void {
    for (const listener of [...this.resyncListeners]) {
      setImmediate(() => {
        try {
          listener();
        } catch (err) {
          this.onListenerError(err);
        }
      });
    }
  }

  clear(): void {
    this.listeners.clear();
    this.resyncListeners.clear();
  }
}
