/**
 * The full-text index lives in its own database file (`text.sqlite`),
 * written by a worker thread, so that building FTS5 trigram entries and
 * committing them never runs on the event loop or inside a delivery's
 * transaction. A delivery only appends a row to `text_queue` in the main
 * database; the worker re-derives the text from the blob file, applies
 * queue rows in id order and records how far it got (`done`) in the same
 * transaction as the entries, so the index and its progress mark always
 * agree, even after a crash (the worker simply redoes what was lost).
 *
 * Searches read both files through one read-only connection that attaches
 * the index. Bodies still queued are matched by extracting their text on the
 * spot (see pendingDocs), so a search right after a delivery is exact.
 *
 * Not attached to the write connection on purpose: BEGIN IMMEDIATE takes the
 * write lock of every attached database, which would make each delivery wait
 * for the indexer's commits.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { newId } from '../ids.js';
import type { SqliteContext } from './context.js';
import { writeTx, type Db } from './db.js';
import { extractTextDoc, type TextDoc } from './text-extract.js';

export const TEXT_DB_FILE = 'text.sqlite';
/** Bump when the FTS table's definition changes: a mismatch rebuilds the index from the blobs. */
const TEXT_FORMAT = '1';

/** Opens (creating if needed) the index database for writing. */
export function openTextDb(dataDir: string, busyTimeout: number): Db {
  const db = new Database(join(dataDir, TEXT_DB_FILE), { timeout: busyTimeout });
  db.pragma('journal_mode = WAL');
  // NORMAL: a power cut may lose the last index commits, but their progress
  // mark goes with them, so the worker redoes them; nothing here is the only copy.
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
  db.exec(`CREATE TABLE IF NOT EXISTS text_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  return db;
}

const FTS_TABLE = `CREATE VIRTUAL TABLE blob_text USING fts5(headers, body, tokenize = 'trigram case_sensitive 0')`;

/**
 * Makes sure the index belongs to this main database (same epoch, same
 * format); otherwise (new or upgraded data directory, index file deleted or
 * restored from elsewhere) empties it and queues every stored body. The main
 * database commits first: a crash in between only repeats the rebuild.
 */
export function initTextIndex(main: Db, dataDir: string, busyTimeout: number): void {
  const text = openTextDb(dataDir, busyTimeout);
  try {
    const state = new Map(text.prepare<[], { key: string; value: string }>('SELECT key, value FROM text_state').all().map((r) => [r.key, r.value]));
    const epoch = main.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'text_index_epoch'").get()?.value;
    if (epoch !== undefined && state.get('epoch') === epoch && state.get('format') === TEXT_FORMAT) return;
    const fresh = newId();
    let floor = 0;
    writeTx(main, () => {
      floor = main.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM text_queue').get()?.n ?? 0;
      main.prepare("INSERT INTO text_queue (blob_id, op) SELECT id, 'add' FROM blobs ORDER BY id").run();
      main
        .prepare("INSERT INTO meta (key, value) VALUES ('text_index_epoch', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .run(fresh);
    });
    writeTx(text, () => {
      text.exec('DROP TABLE IF EXISTS blob_text');
      text.exec(FTS_TABLE);
      const set = text.prepare('INSERT INTO text_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
      set.run('epoch', fresh);
      set.run('format', TEXT_FORMAT);
      // Rows queued before the rebuild are covered by the full queue just added.
      set.run('done', String(floor));
    });
  } finally {
    text.close();
  }
}

/** A read-only connection over the main database with the index attached as `txt`. */
export function openSearchDb(dataDir: string, busyTimeout: number): Db {
  const db = new Database(join(dataDir, 'eider.sqlite'), { readonly: true, timeout: busyTimeout });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
  db.pragma('cache_size = -16384');
  db.prepare('ATTACH DATABASE ? AS txt').run(join(dataDir, TEXT_DB_FILE));
  return db;
}

/** Queues a body for the index (op 'add' or 'delete'), inside the caller's write transaction. */
export const QUEUE_SQL = 'INSERT INTO text_queue (blob_id, op) VALUES (?, ?)';

const DONE_SQL = "(SELECT CAST(value AS INTEGER) FROM txt.text_state WHERE key = 'done')";

/** The last queue row the index has applied, read through the search connection. */
export function indexedUpTo(search: SqliteContext): number {
  return search.stmt<[], { n: number | null }>(`SELECT ${DONE_SQL} AS n`).get()?.n ?? 0;
}

/**
 * Bodies of the scope that are queued but not yet indexed, with their text
 * extracted now. `scope` is a WHERE fragment over `messages m`. In steady
 * state this is the last few deliveries; after an upgrade it is the whole
 * backlog, and searches cost what a scan does until the worker catches up.
 */
export async function pendingDocs(search: SqliteContext, scope: string, params: Record<string, string | number>): Promise<Map<number, TextDoc>> {
  const rows = search
    .stmt<[Record<string, string | number>], { id: number; hash: string }>(
      // CROSS JOIN fixes the order: from the (short) tail of the queue out, never from every message of the scope in.
      `SELECT DISTINCT b.id, b.hash FROM text_queue q CROSS JOIN blobs b CROSS JOIN messages m
       WHERE q.id > ${DONE_SQL} AND q.op = 'add' AND b.id = q.blob_id AND m.blob_id = b.id AND ${scope}`,
    )
    .all(params);
  const docs = new Map<number, TextDoc>();
  for (const r of rows) {
    try {
      docs.set(r.id, await extractTextDoc(search.files.open(r.hash), search.config.textIndexLimit));
    } catch {
      // The body went away meanwhile (collected): it cannot match anything any more.
    }
  }
  return docs;
}

interface WorkerReport {
  type: 'done' | 'error';
  done?: number;
  message?: string;
}

/**
 * Owns the indexing worker of this process: started on the first queued body
 * (many stores never index anything), kicked after each commit that queued
 * one, stopped with the store. The worker also polls, so bodies queued by
 * another process sharing the directory are indexed even if that one dies.
 */
export class TextIndexer {
  private worker: Worker | null = null;
  private exited: Promise<void> | null = null;
  private done = 0;
  private stopping = false;
  private waiters: Array<{ upTo: number; resolve: () => void }> = [];

  constructor(
    private readonly options: { dataDir: string; textLimit: number; busyTimeout: number; onError?: (err: Error) => void },
  ) {}

  /** New rows were queued: the worker gathers for a moment, then indexes them in one batch. */
  kick(): void {
    if (this.stopping) return;
    this.start().postMessage('kick');
  }

  /** Resolves once everything queued up to `upTo` is indexed (tests, benchmarks, shutdown drains). */
  settle(upTo: number): Promise<void> {
    if (this.done >= upTo || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ upTo, resolve });
      this.start().postMessage('now');
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.stopping = true;
    if (!worker) return;
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await this.exited;
    clearTimeout(timer);
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { onError, ...data } = this.options;
    const worker = new Worker(new URL('./text-worker.js', import.meta.url), { workerData: data });
    // The index can always be finished later: never keep a process alive for it.
    worker.unref();
    worker.on('message', (m: WorkerReport) => {
      if (m.type === 'done' && m.done !== undefined) {
        this.done = Math.max(this.done, m.done);
        this.waiters = this.waiters.filter((w) => (w.upTo <= this.done ? (w.resolve(), false) : true));
      } else if (m.type === 'error') {
        onError?.(new Error(`text index: ${m.message ?? 'unknown error'}`));
      }
    });
    worker.on('error', (err) => onError?.(err));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.worker = null;
        resolve();
        if (this.stopping) return;
        onError?.(new Error(`text index worker exited with code ${code}`));
        // Restarted by the next kick; waiters get one after a pause, not a tight restart loop.
        if (this.waiters.length > 0) setTimeout(() => this.waiters.length > 0 && !this.stopping && this.start().postMessage('now'), 1000).unref();
      }),
    );
    this.worker = worker;
    return worker;
  }
}
