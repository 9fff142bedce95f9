/**
 * Group commit for appends and flag changes. Every commit fsyncs
 * (synchronous=FULL), and better-sqlite3 runs it on the event loop, so one
 * transaction per write caps them at one fsync each, serialised. Writes
 * that arrive while the loop is busy (the recipients of one LMTP message,
 * the STOREs of concurrent sessions) are committed together: each in its
 * own savepoint, so one failing (over quota, mailbox gone) leaves the others
 * untouched, and every caller is answered only after the shared commit,
 * i.e. when its change is durable. Journal events of a rolled-back write are
 * never broadcast.
 */
import { TxEvents, type SqliteContext } from './context.js';

/** One write: runs inside the shared transaction, in a savepoint of its own. */
export type GroupJob<T> = (events: TxEvents, now: number) => T;

interface Pending {
  run: (events: TxEvents, now: number) => void;
  fail: (err: unknown) => void;
  settle: () => void;
}

/** Upper bound on writes per transaction, so one commit never holds the lock for long. */
const MAX_BATCH = 64;

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly savepoint: (job: Pending, events: TxEvents, now: number) => void;

  constructor(private readonly ctx: SqliteContext) {
    // Nested transaction = SAVEPOINT: a failure rolls back this write only.
    this.savepoint = ctx.db.transaction((job: Pending, events: TxEvents, now: number) => job.run(events, now));
  }

  /** Runs `job` in the next shared transaction; resolves with its result once that has committed. */
  submit<T>(job: GroupJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let outcome: { ok: true; value: T } | { ok: false; err: unknown } | null = null;
      this.queue.push({
        run: (events, now) => {
          outcome = { ok: true, value: job(events, now) };
        },
        fail: (err) => {
          outcome = { ok: false, err };
        },
        settle: () => {
          if (outcome === null) reject(new Error('group commit: write was not run'));
          else if (outcome.ok) resolve(outcome.value);
          else reject(outcome.err);
        },
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate: I/O callbacks of this loop turn (other recipients, other sessions) join the batch first.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.schedule();
    if (batch.length === 0) return;
    try {
      this.ctx.write((tx) => {
        const now = Date.now();
        for (const job of batch) {
          const events = new TxEvents();
          try {
            this.savepoint(job, events, now);
            for (const ev of events.events) tx.events.push(ev);
          } catch (err) {
            job.fail(err);
          }
        }
      });
    } catch (err) {
      // The commit itself failed (disk full, busy timeout): nothing of the batch is stored.
      for (const job of batch) job.fail(err);
    }
    for (const job of batch) job.settle();
  }
}
