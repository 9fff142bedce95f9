/**
 * Group commit for appends. Every commit fsyncs (synchronous=FULL), and
 * better-sqlite3 runs it on the event loop, so one transaction per message
 * caps deliveries at one fsync each, serialised. Appends that arrive while
 * the loop is busy (the recipients of one LMTP message, concurrent
 * sessions) are committed together: each in its own savepoint, so one
 * failing (over quota, mailbox gone) leaves the others untouched, and every
 * caller is answered only after the shared commit, i.e. when its copy is
 * durable. Journal events of a rolled-back append are never broadcast.
 */
import type { AppendResult, NewMessage } from '../interface.js';
import { appendInTx } from './append.js';
import { TxEvents, type SqliteContext } from './context.js';

interface Pending {
  mailboxId: string;
  message: NewMessage;
  header: Buffer;
  resolve: (r: AppendResult) => void;
  reject: (err: unknown) => void;
}

/** Upper bound on appends per transaction, so one commit never holds the lock for long. */
const MAX_BATCH = 64;

export class AppendGroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly one: (item: Pending, events: TxEvents, now: number) => AppendResult;

  constructor(private readonly ctx: SqliteContext) {
    this.one = ctx.db.transaction((item: Pending, events: TxEvents, now: number) =>
      appendInTx(ctx, events, item.mailboxId, item.message, item.header, now),
    );
  }

  append(mailboxId: string, message: NewMessage, header: Buffer): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ mailboxId, message, header, resolve, reject });
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
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; err: unknown }> = [];
    try {
      this.ctx.write((tx) => {
        outcomes.length = 0;
        const now = Date.now();
        for (const item of batch) {
          const events = new TxEvents();
          try {
            // Nested transaction = SAVEPOINT: a failure rolls back this append only.
            outcomes.push({ ok: true, result: this.one(item, events, now) });
            tx.events.push(...events.events);
          } catch (err) {
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.result);
      else item.reject(o.err);
    });
  }
}
