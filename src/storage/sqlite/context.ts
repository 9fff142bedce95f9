import type Database from 'better-sqlite3';
import type { StorageConfig } from '../../config/schema.js';
import type { FsBlobFiles } from '../blobs/fs-blobs.js';
import { UnavailableError } from '../errors.js';
import type { Renderer } from '../interface.js';
import type { ChangeEvent, JournalKind } from '../types.js';
import { writeTx, type Db } from './db.js';

export interface JournalInput {
  userId: string;
  mailboxId: string;
  kind: JournalKind;
  uid?: number | null;
  modseq?: number | null;
  flags?: string[] | null;
  path?: string | null;
}

/** Collects the journal entries of one transaction so they are broadcast only after it commits. */
export class TxEvents {
  readonly events: ChangeEvent[] = [];
}

/** Shared by the engine's modules: the connection, blob files, config, statement cache, change hook. */
export class SqliteContext {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly plucked = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();
  closed = false;
  /** Set by a write that queued a body for the full-text index; the commit then kicks the indexer. */
  textQueued = false;
  /**
   * Where compiled searches with text keys run: a read-only connection with
   * the full-text index attached (text-index.ts). Itself unless the engine
   * sets one.
   */
  search: SqliteContext = this;
  /** Wakes the indexer (engine.ts wires it to TextIndexer.kick). */
  onTextQueued: () => void = () => undefined;

  constructor(
    readonly db: Db,
    readonly files: FsBlobFiles,
    readonly config: StorageConfig,
    private readonly onChange: (events: ChangeEvent[]) => void,
    /** Run when a body is first stored; their output is kept in blob_renditions. */
    readonly renderers: readonly Renderer[] = [],
  ) {}

  /**
   * A cached prepared statement. The cache is keyed by SQL text and the type
   * parameters describe that SQL's placeholders and columns, so narrowing the
   * cached statement to them is sound.
   */
  stmt<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    this.assertOpen();
    let s = this.statements.get(sql);
    if (!s) {
      // Bounded: query texts built from client input (search trees) vary.
      if (this.statements.size >= 2000) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<P, R>;
  }

  /**
   * A cached prepared statement in pluck mode (first column only). Kept apart
   * from stmt()'s cache because pluck() changes a statement for every user.
   */
  pluck<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    this.assertOpen();
    let s = this.plucked.get(sql);
    if (!s) {
      if (this.plucked.size >= 500) this.plucked.clear();
      s = this.db.prepare(sql).pluck();
      this.plucked.set(sql, s);
    }
    return s as Database.Statement<P, R>;
  }

  /** A cached prepared statement in raw mode (rows as arrays), kept apart for the same reason as pluck(). */
  raw<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    this.assertOpen();
    let s = this.rawStatements.get(sql);
    if (!s) {
      if (this.rawStatements.size >= 500) this.rawStatements.clear();
      s = this.db.prepare(sql).raw();
      this.rawStatements.set(sql, s);
    }
    return s as Database.Statement<P, R>;
  }

  assertOpen(): void {
    if (this.closed) throw new UnavailableError('store is closed');
  }

  /** Runs fn in an IMMEDIATE write transaction, then broadcasts its journal entries. */
  write<T>(fn: (tx: TxEvents) => T): T {
    this.assertOpen();
    const tx = new TxEvents();
    let result: T;
    try {
      result = writeTx(this.db, () => fn(tx));
    } finally {
      // Kicked on a rollback too: harmless, the worker finds nothing new.
      if (this.textQueued) {
        this.textQueued = false;
        this.onTextQueued();
      }
    }
    if (tx.events.length > 0) {
      try {
        this.onChange(tx.events);
      } catch {
        // A failing listener must not turn a committed write into an error.
      }
    }
    return result;
  }

  /** Appends a journal entry inside the current transaction. */
  journal(tx: TxEvents, entry: JournalInput, now = Date.now()): number {
    const info = this.stmt(
      'INSERT INTO journal (user_id, mailbox_id, kind, uid, modseq, flags, path, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      entry.userId,
      entry.mailboxId,
      entry.kind,
      entry.uid ?? null,
      entry.modseq ?? null,
      entry.flags ? JSON.stringify(entry.flags) : null,
      entry.path ?? null,
      now,
    );
    const journalId = Number(info.lastInsertRowid);
    const ev: ChangeEvent = { userId: entry.userId, mailboxId: entry.mailboxId, kind: entry.kind, journalId };
    if (entry.uid != null) ev.uid = entry.uid;
    if (entry.modseq != null) ev.modseq = entry.modseq;
    tx.events.push(ev);
    return journalId;
  }

  /** A UIDVALIDITY never handed out before in this store (RFC 3501 §2.3.1.1: must change if a name is reused). */
  nextUidValidity(): number {
    const row = this.stmt<[], { value: string }>("SELECT value FROM meta WHERE key = 'uidvalidity'").get();
    const last = row ? Number(row.value) : 0;
    const candidate = Math.max(Math.floor(Date.now() / 1000), last + 1) >>> 0;
    this.stmt("INSERT INTO meta (key, value) VALUES ('uidvalidity', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
      String(candidate),
    );
    return candidate;
  }
}
