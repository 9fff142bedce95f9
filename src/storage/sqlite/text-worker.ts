/**
 * The indexing worker (see text-index.ts): applies `text_queue` rows of the
 * main database to the FTS5 table in `text.sqlite`, in id order, a batch per
 * transaction. Bodies are read back from their blob files and parsed here, on
 * this thread, with the same extraction the delivery path would have used.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { FsBlobFiles } from '../blobs/fs-blobs.js';
import { extractTextDoc, type TextDoc } from './text-extract.js';
import { openTextDb } from './text-index.js';

interface Options {
  dataDir: string;
  textLimit: number;
  busyTimeout: number;
}

const options = workerData as Options;
const port = parentPort!;
const BATCH_ROWS = 64;
/** Text held for one transaction; a batch stops early past this. */
const BATCH_TEXT = 16 * 1024 * 1024;
/** Bodies queued by other processes are picked up at least this often. */
const POLL_MS = 5_000;
/**
 * A kick waits this long before indexing, so a stream of deliveries is
 * indexed in batches: FTS5 writes and merges a segment per transaction, which
 * costs several times more per body when each body comes alone. Searches do
 * not wait for it (text-index.ts pendingDocs).
 */
const GATHER_MS = 200;

const text = openTextDb(options.dataDir, options.busyTimeout);
const main = new Database(join(options.dataDir, 'eider.sqlite'), { readonly: true, timeout: options.busyTimeout });
const files = new FsBlobFiles(options.dataDir);

// Merge segments in larger steps than FTS5's default (4): about a quarter less work per body indexed,
// for no measurable change in query time (measured on 50 KB and 3.5 KB bodies in batches of 25).
text.prepare("INSERT INTO blob_text (blob_text, rank) VALUES ('automerge', 8)").run();

const readDone = text.prepare<[], { value: string }>("SELECT value FROM text_state WHERE key = 'done'");
const setDone = text.prepare("UPDATE text_state SET value = ? WHERE key = 'done'");
const remove = text.prepare<[number]>('DELETE FROM blob_text WHERE rowid = ?');
const insert = text.prepare<[number, string, string]>('INSERT INTO blob_text (rowid, headers, body) VALUES (?, ?, ?)');
const nextRows = main.prepare<[number, number], { id: number; blob_id: number; op: string; hash: string | null }>(
  'SELECT q.id, q.blob_id, q.op, b.hash FROM text_queue q LEFT JOIN blobs b ON b.id = q.blob_id WHERE q.id > ? ORDER BY q.id LIMIT ?',
);

const done = (): number => Number(readDone.get()?.value ?? 0);

interface Step {
  id: number;
  blobId: number;
  doc: TextDoc | null;
}

/** One batch; returns how many queue rows it applied (0: caught up). */
async function indexBatch(): Promise<number> {
  const rows = nextRows.all(done(), BATCH_ROWS);
  if (rows.length === 0) return 0;
  const steps: Step[] = [];
  let held = 0;
  for (const r of rows) {
    let doc: TextDoc | null = null;
    // A body collected since it was queued has a 'delete' row behind this one; nothing to index.
    if (r.op === 'add' && r.hash !== null) {
      try {
        doc = await extractTextDoc(files.open(r.hash), options.textLimit);
      } catch {
        doc = null;
      }
    }
    steps.push({ id: r.id, blobId: r.blob_id, doc });
    held += (doc?.body.length ?? 0) + (doc?.headers.length ?? 0);
    if (held > BATCH_TEXT) break;
  }
  text
    .transaction(() => {
      // Another process's worker may have applied some of these meanwhile.
      const from = done();
      let last = from;
      for (const s of steps) {
        if (s.id <= from) continue;
        remove.run(s.blobId);
        if (s.doc) insert.run(s.blobId, s.doc.headers, s.doc.body);
        last = s.id;
      }
      if (last > from) setDone.run(String(last));
    })
    .immediate();
  return steps.length;
}

let running = false;
let again = false;
let stopping = false;

async function drain(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      while (!stopping && (await indexBatch()) > 0) port.postMessage({ type: 'done', done: done() });
    } while (again && !stopping);
    port.postMessage({ type: 'done', done: done() });
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  } finally {
    running = false;
  }
  if (stopping) finish();
}

function finish(): void {
  clearInterval(poll);
  text.close();
  main.close();
  port.close();
}

const poll = setInterval(() => void drain(), POLL_MS);
let gathering: NodeJS.Timeout | null = null;

port.on('message', (m: string) => {
  if (m === 'stop') {
    stopping = true;
    if (gathering) clearTimeout(gathering);
    if (!running) finish();
    return;
  }
  if (m === 'now') {
    void drain();
    return;
  }
  gathering ??= setTimeout(() => {
    gathering = null;
    void drain();
  }, GATHER_MS);
});
