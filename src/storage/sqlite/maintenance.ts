import type { MaintenanceReport, MaintenanceStore } from '../interface.js';
import type { SqliteContext } from './context.js';
import { removeMessages, unrefBlob } from './expunge.js';
import { mailboxRowById } from './mailboxes.js';
import type { MessageRow } from './rows.js';
import { pruneAuthLog } from './security.js';
import { indexedUpTo, QUEUE_SQL } from './text-index.js';
import { backfillRenditions, type BackfillCursor } from './renditions.js';

const DAY = 24 * 60 * 60 * 1000;
/** An unreferenced blob waits this long before deletion, so a delivery that staged the same body can still use it. */
const BLOB_GRACE = 60 * 60 * 1000;
const STAGING_MAX_AGE = DAY;
const BATCH = 500;
/**
 * Older bodies given their missing renditions per run: about 140 µs a body for IMAP's three, in
 * transactions of 40 bodies with the event loop turning between them; 100,000 catch up in ten runs.
 */
const BACKFILL_PER_RUN = 10_000;

export class SqliteMaintenance implements MaintenanceStore {
  private lastOrphanSweep = 0;
  /** How far the rendition backfill has looked (see backfillRenditions). */
  private readonly backfilled: BackfillCursor = { upTo: 0 };

  constructor(private readonly ctx: SqliteContext) {}

  async run(nowDate = new Date()): Promise<MaintenanceReport> {
    const now = nowDate.getTime();
    const report: MaintenanceReport = {
      archivePurged: 0,
      retentionExpunged: 0,
      journalPruned: 0,
      blobsDeleted: 0,
      stagedCleaned: 0,
      authLogPruned: 0,
      renditionsBackfilled: 0,
    };
    report.archivePurged = this.purgeArchive(now);
    report.retentionExpunged = this.expireMessages(now);
    report.journalPruned = this.pruneJournal(now);
    report.blobsDeleted = this.collectBlobs(now);
    report.stagedCleaned = this.ctx.files.cleanStaging(STAGING_MAX_AGE, now);
    report.authLogPruned = pruneAuthLog(this.ctx, now);
    this.pruneTextQueue();
    report.renditionsBackfilled = await backfillRenditions(this.ctx, this.backfilled, BACKFILL_PER_RUN);
    if (now - this.lastOrphanSweep > DAY) {
      this.lastOrphanSweep = now;
      report.blobsDeleted += this.sweepOrphans(now);
    }
    return report;
  }

  private purgeArchive(now: number): number {
    const cutoff = now - this.ctx.config.archiveRetention * DAY;
    let total = 0;
    for (;;) {
      const n = this.ctx.write(() => {
        const rows = this.ctx
          .stmt<[number, number], { id: string; blob_id: number }>('SELECT id, blob_id FROM archive WHERE archived < ? LIMIT ?')
          .all(cutoff, BATCH);
        for (const r of rows) {
          this.ctx.stmt('DELETE FROM archive WHERE id = ?').run(r.id);
          unrefBlob(this.ctx, r.blob_id, 1, now);
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }

  private expireMessages(now: number): number {
    let total = 0;
    for (;;) {
      const n = this.ctx.write((tx) => {
        const rows = this.ctx
          .stmt<[number, number], MessageRow>('SELECT * FROM messages WHERE expires IS NOT NULL AND expires < ? ORDER BY mailbox_id, uid LIMIT ?')
          .all(now, BATCH);
        const byMailbox = new Map<string, MessageRow[]>();
        for (const r of rows) (byMailbox.get(r.mailbox_id) ?? byMailbox.set(r.mailbox_id, []).get(r.mailbox_id)!).push(r);
        for (const [mailboxId, list] of byMailbox) {
          const mailbox = mailboxRowById(this.ctx, mailboxId);
          if (mailbox) removeMessages(this.ctx, tx, mailbox, list, { archive: false, journal: true, now });
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }

  private pruneJournal(now: number): number {
    const cutoff = now - this.ctx.config.journalRetention * DAY;
    return this.ctx.write(() => {
      // Remember how far expunge history is gone, so QRESYNC knows when it cannot be exact.
      this.ctx
        .stmt(
          `UPDATE mailboxes SET expunge_floor = max(expunge_floor, coalesce((
             SELECT max(modseq) FROM journal j WHERE j.mailbox_id = mailboxes.id AND j.kind = 'expunge' AND j.created < ?), 0))`,
        )
        .run(cutoff);
      return this.ctx.stmt('DELETE FROM journal WHERE created < ?').run(cutoff).changes;
    });
  }

  /** Queue rows the indexer has applied are only history. */
  private pruneTextQueue(): void {
    const done = indexedUpTo(this.ctx.search);
    if (done > 0) this.ctx.write(() => this.ctx.stmt('DELETE FROM text_queue WHERE id <= ?').run(done));
  }

  private collectBlobs(now: number): number {
    let total = 0;
    for (;;) {
      const n = this.ctx.write(() => {
        const rows = this.ctx
          .stmt<[number, number], { id: number; hash: string }>(
            'SELECT id, hash FROM blobs WHERE refcount <= 0 AND unreferenced_at < ? LIMIT ?',
          )
          .all(now - BLOB_GRACE, BATCH);
        for (const r of rows) {
          // Inside the write transaction: no other process can be promoting this hash right now.
          this.ctx.stmt(QUEUE_SQL).run(r.id, 'delete');
          this.ctx.textQueued = true;
          this.ctx.stmt('DELETE FROM blob_renditions WHERE blob_id = ?').run(r.id);
          this.ctx.stmt('DELETE FROM blobs WHERE id = ?').run(r.id);
          this.ctx.files.remove(r.hash);
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }

  /** Files renamed into place by a transaction that then failed or crashed. */
  private sweepOrphans(now: number): number {
    const candidates: string[] = [];
    for (const f of this.ctx.files.listStored()) if (now - f.mtimeMs > DAY) candidates.push(f.hash);
    let removed = 0;
    for (let i = 0; i < candidates.length; i += BATCH) {
      const batch = candidates.slice(i, i + BATCH);
      removed += this.ctx.write(() => {
        let n = 0;
        const has = this.ctx.stmt<[string], { id: number }>('SELECT id FROM blobs WHERE hash = ?');
        for (const hash of batch) {
          if (!has.get(hash)) {
            this.ctx.files.remove(hash);
            n++;
          }
        }
        return n;
      });
    }
    return removed;
  }
}
