import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { StorageConfig } from '../../config/schema.js';
import { FsBlobFiles } from '../blobs/fs-blobs.js';
import type { BlobStore, Renderer, StagedBlob, Store } from '../interface.js';
import type { ChangeEvent } from '../types.js';
import { SqliteAccounts } from './accounts.js';
import { SqliteArchive } from './archive.js';
import { SqliteContext } from './context.js';
import { SqliteCoordination } from './coordination.js';
import { SqliteAutoreplies, SqliteFilters } from './delivery.js';
import { SqliteMetadata } from './metadata.js';
import { openDatabase } from './db.js';
import { SqliteJournal } from './journal.js';
import { SqliteMailboxes } from './mailboxes.js';
import { SqliteMaintenance } from './maintenance.js';
import { SqliteMessages } from './messages.js';
import { SqliteOutbox } from './outbox.js';
import { SqliteQuota } from './quota.js';
import { SqliteAsps, SqliteAuthLog, SqliteTwoFactor } from './security.js';
import { registerSearchFunctions } from './search.js';
import { indexedUpTo, initTextIndex, openSearchDb, TextIndexer } from './text-index.js';

class SqliteBlobs implements BlobStore {
  constructor(private readonly ctx: SqliteContext) {}

  stage(input: AsyncIterable<Buffer> | Iterable<Buffer> | Readable, options?: { maxSize?: number; onChunk?: (chunk: Buffer) => void }): Promise<StagedBlob> {
    this.ctx.assertOpen();
    return this.ctx.files.stage(input, options);
  }
  release(staged: StagedBlob): Promise<void> {
    return this.ctx.files.release(staged);
  }
  open(hash: string, start?: number, end?: number): Readable {
    return this.ctx.files.open(hash, start, end);
  }
  read(hash: string, start?: number, end?: number): Promise<Buffer> {
    return this.ctx.files.read(hash, start, end);
  }
  readStaged(staged: StagedBlob, start = 0, end = staged.size): Promise<Buffer> {
    return this.ctx.files.readStaged(staged, start, end);
  }
  async exists(hash: string): Promise<boolean> {
    return this.ctx.files.exists(hash);
  }
  async refCount(hash: string): Promise<number> {
    const row = this.ctx.stmt<[string], { refcount: number }>('SELECT refcount FROM blobs WHERE hash = ?').get(hash);
    return row?.refcount ?? 0;
  }
}

/** Two renderers under one name would make a stored rendition ambiguous. */
function uniqueRenderers(renderers: readonly Renderer[]): readonly Renderer[] {
  const names = new Set<string>();
  for (const r of renderers) {
    if (names.has(r.name)) throw new Error(`renderer ${r.name} registered twice`);
    names.add(r.name);
  }
  return renderers;
}

export interface SqliteStoreOptions {
  /** Called after each commit with its journal entries (the notifier hooks in here). */
  onChange?: (events: ChangeEvent[]) => void;
  /** Protocol renditions computed when a body is first stored (interface.ts Renderer). */
  renderers?: readonly Renderer[];
  /** Failures of the background full-text indexer (it retries; searches stay exact meanwhile). */
  onIndexError?: (err: Error) => void;
}

/**
 * The embedded engine: one SQLite database (WAL) plus a content-addressed
 * blob directory under `dataDir`. Several processes may open the same
 * directory; SQLite's locking serialises their writes.
 */
export class SqliteStore implements Store {
  readonly accounts: SqliteAccounts;
  readonly mailboxes: SqliteMailboxes;
  readonly messages: SqliteMessages;
  readonly blobs: SqliteBlobs;
  readonly journal: SqliteJournal;
  readonly quota: SqliteQuota;
  readonly archive: SqliteArchive;
  readonly coordination: SqliteCoordination;
  readonly maintenance: SqliteMaintenance;
  readonly filters: SqliteFilters;
  readonly autoreplies: SqliteAutoreplies;
  readonly metadata: SqliteMetadata;
  readonly asps: SqliteAsps;
  readonly twoFactor: SqliteTwoFactor;
  readonly authLog: SqliteAuthLog;
  readonly outbox: SqliteOutbox;
  readonly ctx: SqliteContext;
  private readonly indexer: TextIndexer;

  constructor(config: StorageConfig, options: SqliteStoreOptions = {}) {
    const dataDir = resolve(config.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(join(dataDir, 'eider.sqlite'), config.busyTimeout);
    registerSearchFunctions(db);
    initTextIndex(db, dataDir, config.busyTimeout);
    const searchDb = openSearchDb(dataDir, config.busyTimeout);
    registerSearchFunctions(searchDb);
    let listener = options.onChange ?? (() => undefined);
    const files = new FsBlobFiles(dataDir);
    const renderers = uniqueRenderers(options.renderers ?? []);
    this.ctx = new SqliteContext(db, files, config, (events) => listener(events), renderers);
    this.ctx.search = new SqliteContext(searchDb, files, config, () => undefined, renderers);
    this.indexer = new TextIndexer({
      dataDir,
      textLimit: config.textIndexLimit,
      busyTimeout: config.busyTimeout,
      ...(options.onIndexError ? { onError: options.onIndexError } : {}),
    });
    this.ctx.onTextQueued = () => this.indexer.kick();
    // A backlog from an upgrade, a rebuild or a crash: start on it now rather than at the next delivery.
    if (this.queuedUpTo() > indexedUpTo(this.ctx.search)) this.indexer.kick();
    this.setChangeListener = (fn) => {
      listener = fn;
    };
    this.accounts = new SqliteAccounts(this.ctx);
    this.mailboxes = new SqliteMailboxes(this.ctx);
    this.messages = new SqliteMessages(this.ctx);
    this.blobs = new SqliteBlobs(this.ctx);
    this.journal = new SqliteJournal(this.ctx);
    this.quota = new SqliteQuota(this.ctx);
    this.archive = new SqliteArchive(this.ctx);
    this.coordination = new SqliteCoordination(this.ctx);
    this.maintenance = new SqliteMaintenance(this.ctx);
    this.filters = new SqliteFilters(this.ctx);
    this.autoreplies = new SqliteAutoreplies(this.ctx);
    this.metadata = new SqliteMetadata(this.ctx);
    this.asps = new SqliteAsps(this.ctx);
    this.twoFactor = new SqliteTwoFactor(this.ctx);
    this.authLog = new SqliteAuthLog(this.ctx);
    this.outbox = new SqliteOutbox(this.ctx);
  }

  /** Replaces the post-commit hook (wired once the notifier exists). */
  readonly setChangeListener: (fn: (events: ChangeEvent[]) => void) => void;

  private queuedUpTo(): number {
    return this.ctx.stmt<[], { n: number | null }>('SELECT max(id) AS n FROM text_queue').get()?.n ?? 0;
  }

  /**
   * Resolves once every body stored so far is in the full-text index.
   * Searches never need this (queued bodies are matched directly); it is
   * for tests, benchmarks and tools that want the index itself complete.
   */
  async textIndexSettled(): Promise<void> {
    const upTo = this.queuedUpTo();
    if (upTo > indexedUpTo(this.ctx.search)) await this.indexer.settle(upTo);
  }

  async ping(): Promise<void> {
    this.ctx.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.ctx.closed) return;
    // better-sqlite3 is synchronous: no write can be in flight between awaits,
    // so closing here cannot cut a transaction in half.
    this.ctx.closed = true;
    this.ctx.search.closed = true;
    await this.indexer.stop();
    this.ctx.search.db.close();
    this.ctx.db.close();
  }
}
