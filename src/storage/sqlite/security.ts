import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type {
  AppPassword,
  AspScope,
  AspStore,
  AuthLogEntry,
  AuthLogStore,
  AuthLogValue,
  NewAppPassword,
  NewAuthLogEntry,
  TotpState,
  TwoFactorStore,
} from '../security-stores.js';
import type { Id, Page, PageQuery } from '../types.js';
import { userOwnedTables } from './accounts.js';
import type { SqliteContext } from './context.js';
import { registerSchema } from './db.js';
import { pageOf } from './paging.js';

registerSchema('security', [
  `
  CREATE TABLE asps (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    scopes TEXT NOT NULL,
    lookup TEXT NOT NULL,
    hash TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER,
    last_use INTEGER,
    last_ip TEXT
  );
  CREATE INDEX asps_lookup ON asps(user_id, lookup);

  CREATE TABLE totp (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    last_step INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL
  );

  -- No foreign key: entries outlive nothing, but a failed login may race a user deletion.
  CREATE TABLE authlog (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    result TEXT,
    sess TEXT,
    ip TEXT,
    data TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
  );
  CREATE INDEX authlog_user ON authlog(user_id, created, id);
  CREATE INDEX authlog_expires ON authlog(expires);
  `,
]);
userOwnedTables.push('asps', 'totp', 'authlog');

interface AspRow {
  id: string;
  user_id: string;
  description: string;
  scopes: string;
  lookup: string;
  hash: string;
  created: number;
  expires: number | null;
  last_use: number | null;
  last_ip: string | null;
}

const toAsp = (r: AspRow): AppPassword => ({
  id: r.id,
  userId: r.user_id,
  description: r.description,
  scopes: JSON.parse(r.scopes) as AspScope[],
  lookup: r.lookup,
  hash: r.hash,
  created: new Date(r.created),
  expires: r.expires === null ? null : new Date(r.expires),
  lastUse: r.last_use === null ? null : new Date(r.last_use),
  lastIp: r.last_ip,
});

function requireUser(ctx: SqliteContext, userId: Id): void {
  if (!ctx.stmt('SELECT id FROM users WHERE id = ?').get(userId)) throw new NotFoundError('user');
}

export class SqliteAsps implements AspStore {
  constructor(private readonly ctx: SqliteContext) {}

  async create(userId: Id, asp: NewAppPassword): Promise<AppPassword> {
    return this.ctx.write(() => {
      requireUser(this.ctx, userId);
      const now = Date.now();
      const row: AspRow = {
        id: newId(now),
        user_id: userId,
        description: asp.description,
        scopes: JSON.stringify(asp.scopes),
        lookup: asp.lookup,
        hash: asp.hash,
        created: now,
        expires: asp.expires ? asp.expires.getTime() : null,
        last_use: null,
        last_ip: null,
      };
      this.ctx
        .stmt(
          `INSERT INTO asps (id, user_id, description, scopes, lookup, hash, created, expires, last_use, last_ip)
           VALUES (@id, @user_id, @description, @scopes, @lookup, @hash, @created, @expires, @last_use, @last_ip)`,
        )
        .run(row);
      return toAsp(row);
    });
  }

  async list(userId: Id): Promise<AppPassword[]> {
    return this.ctx
      .stmt<[string, number], AspRow>('SELECT * FROM asps WHERE user_id = ? AND (expires IS NULL OR expires > ?) ORDER BY created, id')
      .all(userId, Date.now())
      .map(toAsp);
  }

  async get(userId: Id, id: Id): Promise<AppPassword | null> {
    const row = this.ctx
      .stmt<[string, string, number], AspRow>('SELECT * FROM asps WHERE id = ? AND user_id = ? AND (expires IS NULL OR expires > ?)')
      .get(id, userId, Date.now());
    return row ? toAsp(row) : null;
  }

  async findByLookup(userId: Id, lookup: string): Promise<AppPassword[]> {
    return this.ctx
      .stmt<[string, string, number], AspRow>('SELECT * FROM asps WHERE user_id = ? AND lookup = ? AND (expires IS NULL OR expires > ?)')
      .all(userId, lookup, Date.now())
      .map(toAsp);
  }

  async touch(userId: Id, id: Id, ip: string | null, when = new Date()): Promise<void> {
    this.ctx.write(() => {
      this.ctx.stmt('UPDATE asps SET last_use = ?, last_ip = ? WHERE id = ? AND user_id = ?').run(when.getTime(), ip, id, userId);
    });
  }

  async delete(userId: Id, id: Id): Promise<void> {
    this.ctx.write(() => {
      if (this.ctx.stmt('DELETE FROM asps WHERE id = ? AND user_id = ?').run(id, userId).changes === 0) throw new NotFoundError('asp');
    });
  }
}

interface TotpRow {
  user_id: string;
  secret: string;
  enabled: number;
  last_step: number;
  created: number;
}

export class SqliteTwoFactor implements TwoFactorStore {
  constructor(private readonly ctx: SqliteContext) {}

  async getTotp(userId: Id): Promise<TotpState | null> {
    const r = this.ctx.stmt<[string], TotpRow>('SELECT * FROM totp WHERE user_id = ?').get(userId);
    return r ? { userId: r.user_id, secret: r.secret, enabled: r.enabled !== 0, lastStep: r.last_step, created: new Date(r.created) } : null;
  }

  async setPendingTotp(userId: Id, secret: string): Promise<boolean> {
    return this.ctx.write(() => {
      requireUser(this.ctx, userId);
      const current = this.ctx.stmt<[string], TotpRow>('SELECT * FROM totp WHERE user_id = ?').get(userId);
      if (current && current.enabled) return false;
      this.ctx
        .stmt(
          `INSERT INTO totp (user_id, secret, enabled, last_step, created) VALUES (?, ?, 0, 0, ?)
           ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, last_step = 0, created = excluded.created`,
        )
        .run(userId, secret, Date.now());
      return true;
    });
  }

  async enableTotp(userId: Id, secret: string, step: number): Promise<boolean> {
    return this.ctx.write(
      () =>
        this.ctx.stmt('UPDATE totp SET enabled = 1, last_step = ? WHERE user_id = ? AND enabled = 0 AND secret = ?').run(step, userId, secret)
          .changes === 1,
    );
  }

  async claimStep(userId: Id, step: number): Promise<boolean> {
    return this.ctx.write(
      () => this.ctx.stmt('UPDATE totp SET last_step = ? WHERE user_id = ? AND enabled = 1 AND last_step < ?').run(step, userId, step).changes === 1,
    );
  }

  async deleteTotp(userId: Id): Promise<boolean> {
    return this.ctx.write(() => this.ctx.stmt('DELETE FROM totp WHERE user_id = ?').run(userId).changes === 1);
  }
}

interface AuthLogRow {
  id: string;
  user_id: string;
  action: string;
  result: string | null;
  sess: string | null;
  ip: string | null;
  data: string;
  created: number;
  expires: number;
}

const toEntry = (r: AuthLogRow): AuthLogEntry => ({
  id: r.id,
  userId: r.user_id,
  action: r.action,
  result: r.result === 'success' || r.result === 'fail' ? r.result : null,
  sess: r.sess,
  ip: r.ip,
  data: JSON.parse(r.data) as Record<string, AuthLogValue>,
  created: new Date(r.created),
  expires: new Date(r.expires),
});

/** Deletes expired auth-log entries in batches; used by maintenance. */
export function pruneAuthLog(ctx: SqliteContext, now: number): number {
  let total = 0;
  for (;;) {
    const n = ctx.write(
      () => ctx.stmt('DELETE FROM authlog WHERE id IN (SELECT id FROM authlog WHERE expires <= ? LIMIT 500)').run(now).changes,
    );
    total += n;
    if (n < 500) return total;
  }
}

export class SqliteAuthLog implements AuthLogStore {
  constructor(private readonly ctx: SqliteContext) {}

  async add(userId: Id, entry: NewAuthLogEntry): Promise<AuthLogEntry | null> {
    return this.ctx.write(() => {
      if (!this.ctx.stmt('SELECT id FROM users WHERE id = ?').get(userId)) return null;
      const created = (entry.created ?? new Date()).getTime();
      const row: AuthLogRow = {
        id: newId(created),
        user_id: userId,
        action: entry.action,
        result: entry.result ?? null,
        sess: entry.sess ?? null,
        ip: entry.ip ?? null,
        data: JSON.stringify(entry.data ?? {}),
        created,
        expires: created + entry.ttlMs,
      };
      this.ctx
        .stmt(
          `INSERT INTO authlog (id, user_id, action, result, sess, ip, data, created, expires)
           VALUES (@id, @user_id, @action, @result, @sess, @ip, @data, @created, @expires)`,
        )
        .run(row);
      return toEntry(row);
    });
  }

  async list(userId: Id, query: PageQuery & { action?: string; sess?: string; ip?: string }): Promise<Page<AuthLogEntry>> {
    const where = ['user_id = @user', 'expires > @now'];
    const params: Record<string, string | number> = { user: userId, now: Date.now() };
    for (const key of ['action', 'sess', 'ip'] as const) {
      const value = query[key];
      if (value !== undefined) {
        where.push(`${key} = @${key}`);
        params[key] = value;
      }
    }
    return pageOf<AuthLogRow, AuthLogEntry>(this.ctx, {
      table: 'authlog',
      where,
      params,
      keys: ['created', 'id'],
      desc: true,
      query,
      map: toEntry,
      cursorOf: (r) => [r.created, r.id],
    });
  }

  async get(userId: Id, id: Id): Promise<AuthLogEntry | null> {
    const row = this.ctx
      .stmt<[string, string, number], AuthLogRow>('SELECT * FROM authlog WHERE id = ? AND user_id = ? AND expires > ?')
      .get(id, userId, Date.now());
    return row ? toEntry(row) : null;
  }

  async prune(now = new Date()): Promise<number> {
    return pruneAuthLog(this.ctx, now.getTime());
  }
}
