/**
 * Stored renditions (storage interface Renderer): written with each new
 * body (append.ts) and, for bodies stored before a renderer existed,
 * filled in by maintenance from the stored envelope and MIME tree, so an
 * upgraded data directory ends up answering every FETCH from stored text.
 */
import type { Envelope, MimePart } from '../../mime/types.js';
import type { SqliteContext } from './context.js';

function isAscii(data: Buffer): boolean {
  for (const b of data) if (b >= 0x80) return false;
  return true;
}

/** 7-bit text (nearly every rendition) is stored as TEXT: reading a JS string back is cheaper than a Buffer. */
export function storedRendition(data: Buffer): string | Buffer {
  return isAscii(data) ? data.toString('latin1') : data;
}

/**
 * `LEFT JOIN`s of `messages m` to the renditions `names` (as `r0`, `r1`, ...;
 * their data is `rN.data`, NULL where a body has none), each taking its name
 * as a parameter, in order. A join per name runs faster in SQLite than a
 * correlated subquery per row.
 */
export function renditionJoins(names: readonly string[]): string {
  return names.map((_, i) => ` LEFT JOIN blob_renditions r${i} ON r${i}.blob_id = m.blob_id AND r${i}.name = ?`).join('');
}

/** Bodies rendered per transaction: each is a JSON parse and a render per renderer, about 100 µs for IMAP's three. */
const BATCH = 40;

type Missing = { id: number; envelope: string; mime: string; have: string };

/** Where the backfill has looked up to: every body at or below `upTo` has what the renderers could render. */
export interface BackfillCursor {
  upTo: number;
}

/**
 * Renders what up to `limit` bodies lack of the store's renditions, in blob
 * id order from where the last call stopped (`cursor`, kept by the caller
 * for the store's life, so a body whose render throws is not retried every
 * run; a restart looks again once). Each body's envelope and MIME tree are
 * parsed once for all its missing renditions. A transaction per batch, with
 * a turn of the event loop between batches, so sessions are served
 * meanwhile; another process filling the same rows is harmless (INSERT OR
 * IGNORE). Returns how many renditions were stored.
 */
export async function backfillRenditions(ctx: SqliteContext, cursor: BackfillCursor, limit: number): Promise<number> {
  const renderers = ctx.renderers;
  if (renderers.length === 0) return 0;
  const names = JSON.stringify(renderers.map((r) => r.name));
  const find = ctx.stmt<[number, string, number, number], Missing>(
    `SELECT b.id, b.envelope, b.mime, (SELECT json_group_array(name) FROM blob_renditions r WHERE r.blob_id = b.id) AS have
     FROM blobs b
     WHERE b.id > ? AND b.refcount > 0
       AND (SELECT count(*) FROM blob_renditions r WHERE r.blob_id = b.id AND r.name IN (SELECT value FROM json_each(?))) < ?
     ORDER BY b.id LIMIT ?`,
  );
  const insert = ctx.stmt('INSERT OR IGNORE INTO blob_renditions (blob_id, name, data) VALUES (?, ?, ?)');
  let stored = 0;
  let done = 0;
  while (done < limit) {
    const want = Math.min(BATCH, limit - done);
    // Read before the scan: a scan that comes back short has seen every body up to here.
    const top = ctx.pluck<[], number | null>('SELECT max(id) FROM blobs').get() ?? 0;
    const rows = find.all(cursor.upTo, names, renderers.length, want);
    stored += ctx.write(() => {
      let n = 0;
      for (const row of rows) {
        const have = new Set(JSON.parse(row.have) as string[]);
        const parsed = { envelope: JSON.parse(row.envelope) as Envelope, root: JSON.parse(row.mime) as MimePart };
        for (const renderer of renderers) {
          if (have.has(renderer.name)) continue;
          let data: Buffer;
          try {
            data = renderer.render(parsed);
          } catch {
            // As at delivery: a rendering bug leaves the body to be rendered on every fetch.
            continue;
          }
          n += insert.run(row.id, renderer.name, storedRendition(data)).changes;
        }
      }
      return n;
    });
    done += rows.length;
    if (rows.length < want) {
      cursor.upTo = Math.max(top, cursor.upTo);
      return stored;
    }
    cursor.upTo = rows[rows.length - 1]!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return stored;
}
