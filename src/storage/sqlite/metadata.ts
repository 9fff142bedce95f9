/** METADATA entries (RFC 5464) in the `metadata` table (schema-core.ts migration 5). */
import { MetadataLimitError, NotFoundError } from '../errors.js';
import type { MetadataEntry, MetadataLimits, MetadataStore } from '../metadata-store.js';
import type { Id } from '../types.js';
import type { SqliteContext } from './context.js';

/** The LIKE pattern for the descendants of `name`, with LIKE's own wildcards escaped. */
function below(name: string): string {
  return `${name.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
}

export class SqliteMetadata implements MetadataStore {
  constructor(private readonly ctx: SqliteContext) {}

  private key(userId: Id, mailboxId: Id | null): string {
    if (mailboxId === null) return '';
    if (!this.ctx.stmt('SELECT 1 FROM mailboxes WHERE id = ? AND user_id = ?').get(mailboxId, userId)) throw new NotFoundError('mailbox');
    return mailboxId;
  }

  async get(userId: Id, mailboxId: Id | null, names: readonly string[], depth: 0 | 1 | 'infinity'): Promise<MetadataEntry[]> {
    const key = this.key(userId, mailboxId);
    const exact = this.ctx.stmt<[string, string, string], { value: Buffer }>('SELECT value FROM metadata WHERE user_id = ? AND mailbox_key = ? AND name = ?');
    const descendants = this.ctx.stmt<[string, string, string], { name: string; value: Buffer }>(
      "SELECT name, value FROM metadata WHERE user_id = ? AND mailbox_key = ? AND name LIKE ? ESCAPE '\\' ORDER BY name",
    );
    const found = new Map<string, Buffer>();
    for (const name of names) {
      const row = exact.get(userId, key, name);
      if (row) found.set(name, row.value);
      if (depth === 0) continue;
      for (const d of descendants.all(userId, key, below(name))) {
        // DEPTH 1: children only, not grandchildren.
        if (depth === 1 && d.name.slice(name.length + 1).includes('/')) continue;
        found.set(d.name, d.value);
      }
    }
    return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
  }

  async set(userId: Id, mailboxId: Id | null, entries: ReadonlyArray<{ name: string; value: Buffer | null }>, limits: MetadataLimits): Promise<void> {
    this.ctx.write(() => {
      const key = this.key(userId, mailboxId);
      for (const e of entries) if (e.value !== null && e.value.length > limits.maxValueSize) throw new MetadataLimitError('maxsize', limits.maxValueSize);
      const put = this.ctx.stmt('INSERT INTO metadata (user_id, mailbox_key, name, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value');
      const del = this.ctx.stmt('DELETE FROM metadata WHERE user_id = ? AND mailbox_key = ? AND name = ?');
      for (const e of entries) {
        if (e.value === null) del.run(userId, key, e.name);
        else put.run(userId, key, e.name, e.value);
      }
      const count = this.ctx.pluck<[string, string], number>('SELECT count(*) FROM metadata WHERE user_id = ? AND mailbox_key = ?').get(userId, key) ?? 0;
      // Throwing rolls the whole set back: all or none (RFC 5464 §4.3).
      if (count > limits.maxEntries) throw new MetadataLimitError('toomany', limits.maxEntries);
    });
  }
}
