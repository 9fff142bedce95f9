import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  fsync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open as openAsync, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError } from '../errors.js';
import type { StagedBlob } from '../interface.js';

/** Thrown by stage() when the input is larger than allowed. Nothing is left on disk. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxSize: number) {
    super(`blob exceeds ${maxSize} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/**
 * Ranges up to this size are read with synchronous calls: open, read and
 * close through the thread pool cost three round trips of the event loop
 * each, more than the reads themselves for a message from the page cache
 * (SQLite reads its pages synchronously on the event loop anyway).
 */
const SYNC_READ_LIMIT = 256 * 1024;

function readRangeSync(path: string, start: number, end: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new NotFoundError('blob');
  }
  try {
    const length = Math.max(0, end - start);
    const buf = Buffer.allocUnsafe(length);
    let off = 0;
    while (off < length) {
      const n = readSync(fd, buf, off, length - off, start + off);
      if (n === 0) break;
      off += n;
    }
    return off === length ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

interface StagedFile extends StagedBlob {
  readonly tempPath: string;
  /** Renamed (or linked) into place: nothing is left at tempPath to read or remove. */
  moved: boolean;
  /** Its bytes and its name in the blob tree are on disk (fsynced). */
  durable: boolean;
}

/**
 * fsync through the thread pool with a plain fd: the one slow call of a
 * write (milliseconds), so it stays off the event loop. The metadata calls
 * around it (create, rename, mkdir, close) and writes of at most 256 KiB
 * into the page cache take microseconds and run synchronously: as promises
 * each cost more event-loop CPU than the system call itself (measured
 * per delivery: about 1.3 ms of fs promise overhead against 0.2 ms of calls).
 */
function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

const staged = new WeakMap<StagedBlob, StagedFile>();
const early = new WeakMap<StagedBlob, Promise<void>>();

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function fsyncAt(path: string): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a file and a directory at once (the file system can serve both with one journal commit). */
async function fsyncBoth(file: string, dir: string): Promise<void> {
  const f = openSync(file, 'r');
  try {
    const d = openSync(dir, 'r');
    try {
      // allSettled: neither fd may be closed while the other fsync still uses it.
      const results = await Promise.allSettled([fsyncFd(f), fsyncFd(d)]);
      for (const r of results) if (r.status === 'rejected') throw r.reason;
    } finally {
      closeSync(d);
    }
  } finally {
    closeSync(f);
  }
}

/**
 * Content-addressed files: <dir>/blobs/ab/cd/<sha256>. Files are written to
 * <dir>/tmp first and placed under their hash by `promoteEarly` (before the
 * transaction that first references the hash) or `promote` (inside it), both
 * of which return only once bytes and name are fsynced, so a committed row
 * never points at a missing or partly written file. Reference counts live in
 * the database, not here.
 */
export class FsBlobFiles {
  readonly blobDir: string;
  readonly tmpDir: string;

  constructor(dataDir: string) {
    this.blobDir = join(dataDir, 'blobs');
    this.tmpDir = join(dataDir, 'tmp');
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new NotFoundError('blob', 'invalid blob hash');
    return join(this.blobDir, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  async stage(
    input: AsyncIterable<Buffer> | Iterable<Buffer> | Readable,
    options: { maxSize?: number; onChunk?: (chunk: Buffer) => void } = {},
  ): Promise<StagedBlob> {
    const tempPath = join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}.tmp`);
    const fd = openSync(tempPath, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    let ok = false;
    try {
      // Coalesce small chunks: one write per ~256 KB keeps syscalls low for
      // the many small reads a socket delivers.
      let pending: Buffer[] = [];
      let pendingSize = 0;
      const flush = () => {
        if (pendingSize === 0) return;
        const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingSize);
        pending = [];
        pendingSize = 0;
        writeAll(fd, buf);
      };
      for await (const raw of input as AsyncIterable<Buffer | string> | Iterable<Buffer>) {
        const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
        size += chunk.length;
        if (options.maxSize !== undefined && size > options.maxSize) throw new BlobTooLargeError(options.maxSize);
        hash.update(chunk);
        options.onChunk?.(chunk);
        pending.push(chunk);
        pendingSize += chunk.length;
        if (pendingSize >= 256 * 1024) flush();
      }
      flush();
      // Not fsynced here: that happens when it is placed (promoteEarly / promote), alongside its directory's.
      ok = true;
    } finally {
      closeSync(fd);
      if (!ok) await unlink(tempPath).catch(() => undefined);
    }
    const blob: StagedFile = { hash: hash.digest('hex'), size, tempPath, moved: false, durable: false };
    const handle: StagedBlob = { hash: blob.hash, size };
    staged.set(handle, blob);
    return handle;
  }

  /**
   * Makes the staged content available under its hash. Synchronous on
   * purpose: it runs inside a database write transaction, which serialises it
   * with garbage collection in every process.
   * @throws Error when neither the staged file nor a stored copy exists.
   */
  promote(handle: StagedBlob): void {
    const final = this.pathOf(handle.hash);
    const dir = join(this.blobDir, handle.hash.slice(0, 2), handle.hash.slice(2, 4));
    const file = staged.get(handle);
    if (file && !file.moved && existsSync(file.tempPath)) {
      // Bytes first, then the name: a name never points at bytes that are not on disk.
      fsyncPath(file.tempPath);
      mkdirSync(dir, { recursive: true });
      renameSync(file.tempPath, final);
      file.moved = true;
      fsyncPath(dir);
      file.durable = true;
      return;
    }
    if (!existsSync(final)) throw new Error(`staged blob ${handle.hash} is no longer available`);
    if (file && !file.durable) {
      // Placed by promoteEarly, whose fsyncs did not complete.
      fsyncPath(final);
      fsyncPath(dir);
      file.durable = true;
    }
  }

  /**
   * Moves a staged file into place ahead of the transaction that references
   * it, with the fsyncs off the event loop. promote() then finds it in place.
   * Idempotent per handle. Should no transaction reference it after all, it
   * is an orphan for maintenance's sweep, as after a crash.
   *
   * The usual case, no file under that name yet, links the staged file there
   * and fsyncs its bytes and the directory concurrently (one journal commit
   * rather than two in a row). A crash in between can leave a file whose
   * bytes are not all on disk under the name, but no row refers to it (the
   * referencing commit waits for both fsyncs), and nothing trusts a name
   * without a row: the next copy of the same body finds the name taken and
   * takes the other path, which replaces whatever is there with bytes fsynced
   * beforehand (and so does a concurrent delivery of the same body).
   */
  promoteEarly(handle: StagedBlob): Promise<void> {
    let p = early.get(handle);
    if (!p) {
      p = this.movePlaced(handle);
      early.set(handle, p);
    }
    return p;
  }

  private async movePlaced(handle: StagedBlob): Promise<void> {
    const file = staged.get(handle);
    if (!file) return;
    const final = this.pathOf(handle.hash);
    const dir = join(this.blobDir, handle.hash.slice(0, 2), handle.hash.slice(2, 4));
    try {
      // Fan-out directories, once made, stay (files are removed, directories never).
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
      let linked = true;
      try {
        linkSync(file.tempPath, final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        linked = false;
      }
      if (linked) {
        await fsyncBoth(file.tempPath, dir);
        unlinkSync(file.tempPath);
        file.moved = true;
      } else {
        await fsyncAt(file.tempPath);
        renameSync(file.tempPath, final);
        file.moved = true;
        await fsyncAt(dir);
      }
      file.durable = true;
    } catch {
      // Left for promote() inside the transaction, which reports what is really missing.
    }
  }

  async release(handle: StagedBlob): Promise<void> {
    const file = staged.get(handle);
    if (!file) return;
    staged.delete(handle);
    if (!file.moved) await unlink(file.tempPath).catch(() => undefined);
  }

  open(hash: string, start = 0, end?: number): Readable {
    const path = this.pathOf(hash);
    if (end !== undefined && end <= start) {
      // createReadStream cannot express an empty range.
      return createReadStream(path, { start: 0, end: -1 });
    }
    return createReadStream(path, { start, end: end === undefined ? undefined : end - 1, highWaterMark: 256 * 1024 });
  }

  /** Reads from a staged blob, wherever it is now (its temp file, or already in place). */
  async readStaged(handle: StagedBlob, start: number, end: number): Promise<Buffer> {
    const file = staged.get(handle);
    if (file && !file.moved && existsSync(file.tempPath)) {
      try {
        return await this.readPath(file.tempPath, start, end);
      } catch {
        // promoted meanwhile; read the stored copy
      }
    }
    return this.read(handle.hash, start, end);
  }

  async read(hash: string, start = 0, end?: number): Promise<Buffer> {
    return this.readPath(this.pathOf(hash), start, end);
  }

  private async readPath(path: string, start: number, end?: number): Promise<Buffer> {
    if (end !== undefined && end - start <= SYNC_READ_LIMIT) return readRangeSync(path, start, end);
    let file;
    try {
      file = await openAsync(path, 'r');
    } catch {
      throw new NotFoundError('blob');
    }
    try {
      const stop = end ?? (await file.stat()).size;
      const length = Math.max(0, stop - start);
      const buf = Buffer.allocUnsafe(length);
      let off = 0;
      while (off < length) {
        const { bytesRead } = await file.read(buf, off, length - off, start + off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      return off === length ? buf : buf.subarray(0, off);
    } finally {
      await file.close();
    }
  }

  exists(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  /** Removes a stored file; called inside the transaction that deletes its row. */
  remove(hash: string): void {
    try {
      unlinkSync(this.pathOf(hash));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Deletes staging files older than maxAgeMs (left by crashed processes). */
  cleanStaging(maxAgeMs: number, now = Date.now()): number {
    let n = 0;
    for (const name of readdirSync(this.tmpDir)) {
      const p = join(this.tmpDir, name);
      try {
        if (now - statSync(p).mtimeMs > maxAgeMs) {
          unlinkSync(p);
          n++;
        }
      } catch {
        // raced with its owner finishing; fine
      }
    }
    return n;
  }

  /** Every stored hash with its file mtime, for the orphan sweep. */
  *listStored(): Generator<{ hash: string; mtimeMs: number }> {
    for (const a of readdirSync(this.blobDir)) {
      const da = join(this.blobDir, a);
      for (const b of readdirSync(da)) {
        const db = join(da, b);
        for (const name of readdirSync(db)) {
          try {
            if (/^[0-9a-f]{64}$/.test(name)) yield { hash: name, mtimeMs: statSync(join(db, name)).mtimeMs };
          } catch {
            // removed concurrently
          }
        }
      }
    }
  }
}
