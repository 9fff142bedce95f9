import type { CoordinationStore } from '../interface.js';
import type { SqliteContext } from './context.js';

export class SqliteCoordination implements CoordinationStore {
  constructor(private readonly ctx: SqliteContext) {}

  async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.ctx.write(() => {
      const now = Date.now();
      const row = this.ctx.stmt<[string], { owner: string; expires: number }>('SELECT owner, expires FROM leases WHERE key = ?').get(key);
      if (row && row.owner !== owner && row.expires > now) return false;
      this.ctx
        .stmt('INSERT INTO leases (key, owner, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires')
        .run(key, owner, now + ttlMs);
      return true;
    });
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    this.ctx.write(() => {
      this.ctx.stmt('DELETE FROM leases WHERE key = ? AND owner = ?').run(key, owner);
    });
  }

  async increment(key: string, windowMs: number, by = 1): Promise<number> {
    return this.ctx.write(() => {
      const now = Date.now();
      const row = this.ctx.stmt<[string], { window_end: number; value: number }>('SELECT window_end, value FROM counters WHERE key = ?').get(key);
      const value = row && row.window_end > now ? row.value + by : by;
      const windowEnd = row && row.window_end > now ? row.window_end : now + windowMs;
      this.ctx
        .stmt('INSERT INTO counters (key, window_end, value) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET window_end = excluded.window_end, value = excluded.value')
        .run(key, windowEnd, value);
      return value;
    });
  }

  async counter(key: string): Promise<number> {
    const row = this.ctx.stmt<[string], { window_end: number; value: number }>('SELECT window_end, value FROM counters WHERE key = ?').get(key);
    return row && row.window_end > Date.now() ? row.value : 0;
  }

  async resetCounter(key: string): Promise<void> {
    this.ctx.write(() => {
      this.ctx.stmt('DELETE FROM counters WHERE key = ?').run(key);
    });
  }
}
