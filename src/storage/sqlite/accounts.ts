import { addressKey, normalizeAddress, normalizeUsername } from '../address.js';
import { AlreadyExistsError, CannotError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { AccountStore } from '../interface.js';
import type { Address, Id, NewUser, Page, PageQuery, SpecialUse, User, UserPatch, UserQuery, UserSettings } from '../types.js';
import type { SqliteContext, TxEvents } from './context.js';
import { unrefBlob } from './expunge.js';
import { insertMailbox } from './mailboxes.js';
import { pageOf } from './paging.js';
import { toAddress, toUser, type AddressRow, type UserRow } from './rows.js';

/** The mailboxes every new user gets, with their RFC 6154 attributes. */
export const DEFAULT_MAILBOXES: Array<{ path: string; specialUse: SpecialUse | null }> = [
  { path: 'INBOX', specialUse: null },
  { path: 'Drafts', specialUse: '\\Drafts' },
  { path: 'Sent', specialUse: '\\Sent' },
  { path: 'Junk', specialUse: '\\Junk' },
  { path: 'Trash', specialUse: '\\Trash' },
  { path: 'Archive', specialUse: '\\Archive' },
];

function userRow(ctx: SqliteContext, id: Id): UserRow | undefined {
  return ctx.stmt<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
}

function requireUserRow(ctx: SqliteContext, id: Id): UserRow {
  const row = userRow(ctx, id);
  if (!row) throw new NotFoundError('user');
  return row;
}

function insertAddress(ctx: SqliteContext, userId: Id, address: string, main: boolean, now: number): AddressRow {
  const normalized = normalizeAddress(address);
  const key = addressKey(normalized);
  if (ctx.stmt<[string], { id: string }>('SELECT id FROM addresses WHERE addrkey = ?').get(key)) {
    throw new AlreadyExistsError('address');
  }
  const row: AddressRow = { id: newId(now), user_id: userId, address: normalized, addrkey: key, main: main ? 1 : 0, created: now };
  ctx
    .stmt('INSERT INTO addresses (id, user_id, address, addrkey, main, created) VALUES (@id, @user_id, @address, @addrkey, @main, @created)')
    .run(row);
  if (main) {
    ctx.stmt('UPDATE addresses SET main = 0 WHERE user_id = ? AND id != ?').run(userId, row.id);
    ctx.stmt('UPDATE users SET address = ? WHERE id = ?').run(normalized, userId);
  }
  return row;
}

export class SqliteAccounts implements AccountStore {
  constructor(private readonly ctx: SqliteContext) {}

  async createUser(input: NewUser): Promise<User> {
    const username = normalizeUsername(input.username);
    const ctx = this.ctx;
    return ctx.write((tx: TxEvents) => {
      if (ctx.stmt<[string], { id: string }>('SELECT id FROM users WHERE username = ?').get(username)) {
        throw new AlreadyExistsError('user');
      }
      const now = Date.now();
      const id = newId(now);
      ctx
        .stmt(
          `INSERT INTO users (id, username, name, password_hash, require_password_change, quota, tags, settings, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          username,
          input.name ?? '',
          input.passwordHash,
          input.requirePasswordChange ? 1 : 0,
          Math.max(0, Math.floor(input.quota ?? 0)),
          JSON.stringify(input.tags ?? []),
          JSON.stringify(input.settings ?? {}),
          now,
        );
      if (input.address) insertAddress(ctx, id, input.address, true, now);
      if (!input.noDefaultMailboxes) {
        for (const mb of DEFAULT_MAILBOXES) insertMailbox(ctx, tx, id, mb.path, { specialUse: mb.specialUse });
      }
      return toUser(requireUserRow(ctx, id));
    });
  }

  async getUser(id: Id): Promise<User | null> {
    const row = userRow(this.ctx, id);
    return row ? toUser(row) : null;
  }

  async getUserByUsername(username: string): Promise<User | null> {
    const row = this.ctx.stmt<[string], UserRow>('SELECT * FROM users WHERE username = ?').get(username.trim().toLowerCase());
    return row ? toUser(row) : null;
  }

  async findUserForLogin(name: string): Promise<User | null> {
    const byName = await this.getUserByUsername(name);
    if (byName) return byName;
    if (!name.includes('@')) return null;
    const address = await this.resolveAddress(name);
    return address ? this.getUser(address.userId) : null;
  }

  async listUsers(query: UserQuery): Promise<Page<User>> {
    const where: string[] = [];
    const params: Record<string, string> = {};
    if (query.query) {
      where.push(
        "(instr(lower(username), @q) > 0 OR EXISTS (SELECT 1 FROM addresses a WHERE a.user_id = users.id AND instr(a.addrkey, @q) > 0) OR instr(lower(name), @q) > 0)",
      );
      params.q = query.query.toLowerCase();
    }
    const anyTags = (query.tags ?? []).map((t, i) => {
      params[`t${i}`] = t.toLowerCase();
      return `@t${i}`;
    });
    if (anyTags.length > 0) {
      where.push(`EXISTS (SELECT 1 FROM json_each(users.tags) t WHERE lower(t.value) IN (${anyTags.join(', ')}))`);
    }
    for (const [i, tag] of (query.requiredTags ?? []).entries()) {
      params[`r${i}`] = tag.toLowerCase();
      where.push(`EXISTS (SELECT 1 FROM json_each(users.tags) t WHERE lower(t.value) = @r${i})`);
    }
    return pageOf<UserRow, User>(this.ctx, {
      table: 'users',
      where,
      params,
      keys: ['username'],
      query,
      map: toUser,
      cursorOf: (r) => [r.username],
    });
  }

  async updateUser(id: Id, patch: UserPatch): Promise<User> {
    const ctx = this.ctx;
    return ctx.write(() => {
      const row = requireUserRow(ctx, id);
      const settings = JSON.parse(row.settings) as UserSettings;
      for (const [k, v] of Object.entries(patch.settings ?? {})) {
        if (v === undefined || v === null) delete settings[k];
        else settings[k] = v;
      }
      ctx
        .stmt(
          `UPDATE users SET name = ?, quota = ?, disabled = ?, suspended = ?, tags = ?, require_password_change = ?, settings = ?
           WHERE id = ?`,
        )
        .run(
          patch.name ?? row.name,
          patch.quota === undefined ? row.quota : Math.max(0, Math.floor(patch.quota)),
          patch.disabled === undefined ? row.disabled : patch.disabled ? 1 : 0,
          patch.suspended === undefined ? row.suspended : patch.suspended ? 1 : 0,
          patch.tags === undefined ? row.tags : JSON.stringify(patch.tags),
          patch.requirePasswordChange === undefined ? row.require_password_change : patch.requirePasswordChange ? 1 : 0,
          JSON.stringify(settings),
          id,
        );
      return toUser(requireUserRow(ctx, id));
    });
  }

  async setPasswordHash(id: Id, hash: string | null, requireChange: boolean): Promise<void> {
    this.ctx.write(() => {
      const info = this.ctx
        .stmt('UPDATE users SET password_hash = ?, require_password_change = ? WHERE id = ?')
        .run(hash, requireChange ? 1 : 0, id);
      if (info.changes === 0) throw new NotFoundError('user');
    });
  }

  async getPasswordHash(id: Id): Promise<string | null> {
    return requireUserRow(this.ctx, id).password_hash;
  }

  async deleteUser(id: Id): Promise<void> {
    const ctx = this.ctx;
    ctx.write((tx) => {
      requireUserRow(ctx, id);
      const now = Date.now();
      for (const table of ['messages', 'archive']) {
        const refs = ctx
          .stmt<[string], { blob_id: number; n: number }>(`SELECT blob_id, count(*) AS n FROM ${table} WHERE user_id = ? GROUP BY blob_id`)
          .all(id);
        for (const r of refs) unrefBlob(ctx, r.blob_id, r.n, now);
        ctx.stmt(`DELETE FROM ${table} WHERE user_id = ?`).run(id);
      }
      ctx.stmt('DELETE FROM thread_refs WHERE user_id = ?').run(id);
      ctx.stmt('DELETE FROM journal WHERE user_id = ?').run(id);
      for (const extra of userOwnedTables) ctx.stmt(`DELETE FROM ${extra} WHERE user_id = ?`).run(id);
      // mailboxes and addresses go by ON DELETE CASCADE
      ctx.stmt('DELETE FROM users WHERE id = ?').run(id);
      tx.events.push({ userId: id, mailboxId: '', kind: 'logout' });
    });
  }

  async addAddress(userId: Id, address: string, options: { main?: boolean } = {}): Promise<Address> {
    return this.ctx.write(() => {
      const user = requireUserRow(this.ctx, userId);
      const main = options.main === true || user.address === null;
      return toAddress(insertAddress(this.ctx, userId, address, main, Date.now()));
    });
  }

  async listAddresses(userId: Id): Promise<Address[]> {
    return this.ctx
      .stmt<[string], AddressRow>('SELECT * FROM addresses WHERE user_id = ? ORDER BY main DESC, addrkey')
      .all(userId)
      .map(toAddress);
  }

  async listAllAddresses(query: PageQuery & { query?: string }): Promise<Page<Address>> {
    const where: string[] = [];
    const params: Record<string, string> = {};
    if (query.query) {
      where.push('instr(addrkey, @q) > 0');
      params.q = query.query.toLowerCase();
    }
    return pageOf<AddressRow, Address>(this.ctx, {
      table: 'addresses',
      where,
      params,
      keys: ['addrkey'],
      query,
      map: toAddress,
      cursorOf: (r) => [r.addrkey],
    });
  }

  async getAddress(userId: Id, id: Id): Promise<Address | null> {
    const row = this.ctx.stmt<[string, string], AddressRow>('SELECT * FROM addresses WHERE id = ? AND user_id = ?').get(id, userId);
    return row ? toAddress(row) : null;
  }

  async resolveAddress(address: string): Promise<Address | null> {
    let key: string;
    try {
      key = addressKey(address);
    } catch {
      return null;
    }
    const row = this.ctx.stmt<[string], AddressRow>('SELECT * FROM addresses WHERE addrkey = ?').get(key);
    return row ? toAddress(row) : null;
  }

  async setMainAddress(userId: Id, id: Id): Promise<Address> {
    return this.ctx.write(() => {
      const row = this.ctx.stmt<[string, string], AddressRow>('SELECT * FROM addresses WHERE id = ? AND user_id = ?').get(id, userId);
      if (!row) throw new NotFoundError('address');
      this.ctx.stmt('UPDATE addresses SET main = (id = ?) WHERE user_id = ?').run(id, userId);
      this.ctx.stmt('UPDATE users SET address = ? WHERE id = ?').run(row.address, userId);
      return toAddress({ ...row, main: 1 });
    });
  }

  async renameAddress(userId: Id, id: Id, address: string): Promise<Address> {
    const normalized = normalizeAddress(address);
    const key = addressKey(normalized);
    return this.ctx.write(() => {
      const row = this.ctx.stmt<[string, string], AddressRow>('SELECT * FROM addresses WHERE id = ? AND user_id = ?').get(id, userId);
      if (!row) throw new NotFoundError('address');
      const other = this.ctx.stmt<[string], { id: string }>('SELECT id FROM addresses WHERE addrkey = ?').get(key);
      if (other && other.id !== id) throw new AlreadyExistsError('address');
      this.ctx.stmt('UPDATE addresses SET address = ?, addrkey = ? WHERE id = ?').run(normalized, key, id);
      if (row.main) this.ctx.stmt('UPDATE users SET address = ? WHERE id = ?').run(normalized, userId);
      return toAddress({ ...row, address: normalized, addrkey: key });
    });
  }

  async deleteAddress(userId: Id, id: Id): Promise<void> {
    this.ctx.write(() => {
      const row = this.ctx.stmt<[string, string], AddressRow>('SELECT * FROM addresses WHERE id = ? AND user_id = ?').get(id, userId);
      if (!row) throw new NotFoundError('address');
      if (row.main) throw new CannotError('the main address cannot be deleted');
      this.ctx.stmt('DELETE FROM addresses WHERE id = ?').run(id);
    });
  }
}

/**
 * Tables added by later schema modules that hold per-user rows with a
 * `user_id` column; deleteUser clears them. Modules register here.
 */
export const userOwnedTables: string[] = [];

