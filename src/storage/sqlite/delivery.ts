import type { Autoreply, AutoreplyInput, Filter, FilterPatch, NewFilter } from '../../filters/types.js';
import type { AutoreplyStore, FilterStore } from '../delivery-stores.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { Id } from '../types.js';
import { userOwnedTables } from './accounts.js';
import type { SqliteContext } from './context.js';
import { registerSchema } from './db.js';

registerSchema('delivery', [
  `
  CREATE TABLE filters (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    query TEXT NOT NULL,
    action TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL,
    seq INTEGER NOT NULL
  );
  CREATE INDEX filters_user ON filters(user_id, seq);

  CREATE TABLE autoreplies (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    created INTEGER NOT NULL
  );

  CREATE TABLE autoreply_sent (
    user_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    sent INTEGER NOT NULL,
    PRIMARY KEY (user_id, sender)
  ) WITHOUT ROWID;
  `,
]);
userOwnedTables.push('filters', 'autoreplies', 'autoreply_sent');

interface FilterRow {
  id: string;
  user_id: string;
  name: string;
  query: string;
  action: string;
  disabled: number;
  created: number;
}

const toFilter = (r: FilterRow): Filter => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  query: JSON.parse(r.query) as Filter['query'],
  action: JSON.parse(r.action) as Filter['action'],
  disabled: r.disabled !== 0,
  created: new Date(r.created),
});

export class SqliteFilters implements FilterStore {
  constructor(private readonly ctx: SqliteContext) {}

  async list(userId: Id): Promise<Filter[]> {
    return this.ctx.stmt<[string], FilterRow>('SELECT * FROM filters WHERE user_id = ? ORDER BY seq').all(userId).map(toFilter);
  }

  async get(userId: Id, id: Id): Promise<Filter | null> {
    const row = this.ctx.stmt<[string, string], FilterRow>('SELECT * FROM filters WHERE id = ? AND user_id = ?').get(id, userId);
    return row ? toFilter(row) : null;
  }

  async create(userId: Id, filter: NewFilter): Promise<Filter> {
    return this.ctx.write(() => {
      if (!this.ctx.stmt('SELECT id FROM users WHERE id = ?').get(userId)) throw new NotFoundError('user');
      const now = Date.now();
      const id = newId(now);
      const seq = (this.ctx.stmt<[string], { s: number | null }>('SELECT max(seq) AS s FROM filters WHERE user_id = ?').get(userId)?.s ?? 0) + 1;
      this.ctx
        .stmt('INSERT INTO filters (id, user_id, name, query, action, disabled, created, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, userId, filter.name ?? '', JSON.stringify(filter.query), JSON.stringify(filter.action), filter.disabled ? 1 : 0, now, seq);
      return toFilter(this.ctx.stmt<[string], FilterRow>('SELECT * FROM filters WHERE id = ?').get(id)!);
    });
  }

  async update(userId: Id, id: Id, patch: FilterPatch): Promise<Filter> {
    return this.ctx.write(() => {
      const row = this.ctx.stmt<[string, string], FilterRow>('SELECT * FROM filters WHERE id = ? AND user_id = ?').get(id, userId);
      if (!row) throw new NotFoundError('filter');
      this.ctx
        .stmt('UPDATE filters SET name = ?, query = ?, action = ?, disabled = ? WHERE id = ?')
        .run(
          patch.name ?? row.name,
          patch.query ? JSON.stringify(patch.query) : row.query,
          patch.action ? JSON.stringify(patch.action) : row.action,
          patch.disabled === undefined ? row.disabled : patch.disabled ? 1 : 0,
          id,
        );
      return toFilter(this.ctx.stmt<[string], FilterRow>('SELECT * FROM filters WHERE id = ?').get(id)!);
    });
  }

  async delete(userId: Id, id: Id): Promise<void> {
    this.ctx.write(() => {
      if (this.ctx.stmt('DELETE FROM filters WHERE id = ? AND user_id = ?').run(id, userId).changes === 0) throw new NotFoundError('filter');
    });
  }
}

interface StoredAutoreply {
  status: boolean;
  name: string;
  subject: string;
  text: string;
  html: string;
  start: number | null;
  end: number | null;
}

export class SqliteAutoreplies implements AutoreplyStore {
  constructor(private readonly ctx: SqliteContext) {}

  private read(userId: Id): { data: StoredAutoreply; created: number } | null {
    const row = this.ctx.stmt<[string], { data: string; created: number }>('SELECT data, created FROM autoreplies WHERE user_id = ?').get(userId);
    return row ? { data: JSON.parse(row.data) as StoredAutoreply, created: row.created } : null;
  }

  private toAutoreply(userId: Id, data: StoredAutoreply, created: number): Autoreply {
    return {
      userId,
      status: data.status,
      name: data.name,
      subject: data.subject,
      text: data.text,
      html: data.html,
      start: data.start === null ? null : new Date(data.start),
      end: data.end === null ? null : new Date(data.end),
      created: new Date(created),
    };
  }

  async get(userId: Id): Promise<Autoreply | null> {
    const r = this.read(userId);
    return r ? this.toAutoreply(userId, r.data, r.created) : null;
  }

  async set(userId: Id, input: AutoreplyInput): Promise<Autoreply> {
    return this.ctx.write(() => {
      if (!this.ctx.stmt('SELECT id FROM users WHERE id = ?').get(userId)) throw new NotFoundError('user');
      const current = this.read(userId);
      const base: StoredAutoreply = current?.data ?? { status: false, name: '', subject: '', text: '', html: '', start: null, end: null };
      const next: StoredAutoreply = {
        status: input.status ?? base.status,
        name: input.name ?? base.name,
        subject: input.subject ?? base.subject,
        text: input.text ?? base.text,
        html: input.html ?? base.html,
        start: input.start === undefined ? base.start : input.start === null ? null : input.start.getTime(),
        end: input.end === undefined ? base.end : input.end === null ? null : input.end.getTime(),
      };
      const created = current?.created ?? Date.now();
      this.ctx
        .stmt('INSERT INTO autoreplies (user_id, data, created) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET data = excluded.data')
        .run(userId, JSON.stringify(next), created);
      return this.toAutoreply(userId, next, created);
    });
  }

  async delete(userId: Id): Promise<void> {
    this.ctx.write(() => {
      this.ctx.stmt('DELETE FROM autoreplies WHERE user_id = ?').run(userId);
      this.ctx.stmt('DELETE FROM autoreply_sent WHERE user_id = ?').run(userId);
    });
  }

  async claimReply(userId: Id, sender: string, intervalMs: number): Promise<boolean> {
    return this.ctx.write(() => {
      const now = Date.now();
      const key = sender.trim().toLowerCase();
      const row = this.ctx.stmt<[string, string], { sent: number }>('SELECT sent FROM autoreply_sent WHERE user_id = ? AND sender = ?').get(userId, key);
      if (row && now - row.sent < intervalMs) return false;
      this.ctx
        .stmt('INSERT INTO autoreply_sent (user_id, sender, sent) VALUES (?, ?, ?) ON CONFLICT(user_id, sender) DO UPDATE SET sent = excluded.sent')
        .run(userId, key, now);
      return true;
    });
  }
}
