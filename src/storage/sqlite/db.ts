import Database from 'better-sqlite3';
import { coreMigrations } from './schema-core.js';

export type Db = Database.Database;

/**
 * Schema modules, each with its own ordered list of migrations, so features
 * added later (filters, outbox, security, ...) bring their tables without
 * renumbering anyone else's.
 */
export const schemaModules: Record<string, string[]> = {
  core: coreMigrations,
};

/** Registers another module's migrations; call before openDatabase. */
export function registerSchema(module: string, migrations: string[]): void {
  schemaModules[module] = migrations;
}

export function openDatabase(file: string, busyTimeout: number): Db {
  const db = new Database(file, { timeout: busyTimeout });
  // WAL lets readers in other processes proceed while one writes; FULL makes
  // each commit fsync the WAL, because an acknowledged delivery must survive a
  // power cut, not just a process crash.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  // IMMEDIATE: two processes starting at once must not both apply a migration.
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (module, version))');
    const applied = db.prepare<[string], { version: number }>('SELECT version FROM schema_migrations WHERE module = ?');
    const mark = db.prepare('INSERT INTO schema_migrations (module, version) VALUES (?, ?)');
    for (const [module, steps] of Object.entries(schemaModules)) {
      const done = new Set(applied.all(module).map((r) => r.version));
      steps.forEach((sql, i) => {
        if (done.has(i + 1)) return;
        db.exec(sql);
        mark.run(module, i + 1);
      });
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * Runs fn in a write transaction taken with BEGIN IMMEDIATE: the write lock
 * is acquired up front, so two processes never deadlock upgrading read locks,
 * and busy_timeout queues writers instead of failing them.
 */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** A read snapshot: every statement inside sees the same committed state. */
export function readTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).deferred();
}
