/**
 * Stored renditions (storage interface Renderer): written with each new
 * body (append.ts) and, for bodies stored before a renderer existed,
 * filled in by maintenance from the stored envelope and MIME tree, so an
 * upgraded data directory ends up answering every FETCH from stored text.
 */
import type { Envelope, MimePart } from '../../mime/types.js';
import type { Renderer } from '../interface.js';
import type { SqliteContext } from './context.js';

function isAscii(data: Buffer): boolean {
  for (const b of data) if (b >= 0x80) return false;
  return true;
}

/** 7-bit text (nearly every rendition) is stored as TEXT: reading a JS string back is cheaper than a Buffer. */
export function storedRendition(data: Buffer): string | Buffer {
  return isAscii(data) ? data.toString('latin1') : data;
}

/** Bodies rendered per transaction: each is a JSON parse and a render, tens of microseconds. */
const BATCH = 100;

type Missing = { id: number; envelope: string; mime: string };

/**
 * Renders, for each renderer, up to `limit` bodies that lack its rendition,
 * in blob id order from where the last call stopped (`cursors`, by renderer
 * name: kept by the caller, so a body whose render throws is not retried
 * every run; a restart looks again once). A transaction per batch, with a
 * turn of the event loop between batches, so sessions are served meanwhile.
 * Another process filling the same rows is harmless (INSERT OR IGNORE).
 * Returns how many renditions were stored.
 */
export async function backfillRenditions(ctx: SqliteContext, cursors: Map<string, number>, limit: number): Promise<number> {
  let stored = 0;
  for (const renderer of ctx.renderers) stored += await backfillOne(ctx, renderer, cursors, limit);
  return stored;
}

async function backfillOne(ctx: SqliteContext, renderer: Renderer, cursors: Map<string, number>, limit: number): Promise<number> {
  const find = ctx.stmt<[number, string, number], Missing>(
    `SELECT b.id, b.envelope, b.mime FROM blobs b
     WHERE b.id > ? AND b.refcount > 0 AND NOT EXISTS (SELECT 1 FROM blob_renditions r WHERE r.blob_id = b.id AND r.name = ?)
     ORDER BY b.id LIMIT ?`,
  );
  const insert = ctx.stmt('INSERT OR IGNORE INTO blob_renditions (blob_id, name, data) VALUES (?, ?, ?)');
  let stored = 0;
  let done = 0;
  while (done < limit) {
    const want = Math.min(BATCH, limit - done);
    const from = cursors.get(renderer.name) ?? 0;
    // Read before the scan: a scan that comes back short has seen every body up to here.
    const top = ctx.pluck<[], number | null>('SELECT max(id) FROM blobs').get() ?? 0;
    const rows = find.all(from, renderer.name, want);
    stored += ctx.write(() => {
      let n = 0;
      for (const row of rows) {
        let data: Buffer;
        try {
          data = renderer.render({ envelope: JSON.parse(row.envelope) as Envelope, root: JSON.parse(row.mime) as MimePart });
        } catch {
          // As at delivery: a rendering bug leaves the body to be rendered on every fetch.
          continue;
        }
        n += insert.run(row.id, renderer.name, storedRendition(data)).changes;
      }
      return n;
    });
    done += rows.length;
    if (rows.length < want) {
      cursors.set(renderer.name, Math.max(top, from));
      return stored;
    }
    cursors.set(renderer.name, rows[rows.length - 1]!.id);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return stored;
}
