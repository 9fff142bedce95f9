import { NotFoundError } from '../errors.js';
import type { QuotaStore } from '../interface.js';
import type { Id } from '../types.js';
import type { SqliteContext } from './context.js';

export class SqliteQuota implements QuotaStore {
  constructor(private readonly ctx: SqliteContext) {}

  async usage(userId: Id): Promise<{ used: number; quota: number }> {
    const row = this.ctx.stmt<[string], { storage_used: number; quota: number }>('SELECT storage_used, quota FROM users WHERE id = ?').get(userId);
    if (!row) throw new NotFoundError('user');
    return { used: row.storage_used, quota: row.quota };
  }

  async recalculate(userId: Id): Promise<number> {
    return this.ctx.write(() => {
      if (!this.ctx.stmt('SELECT id FROM users WHERE id = ?').get(userId)) throw new NotFoundError('user');
      const used = this.ctx.stmt<[string], { n: number | null }>('SELECT sum(size) AS n FROM messages WHERE user_id = ?').get(userId)!.n ?? 0;
      this.ctx.stmt('UPDATE users SET storage_used = ? WHERE id = ?').run(used, userId);
      return used;
    });
  }
}
