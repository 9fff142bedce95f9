import type { JournalStore } from '../interface.js';
import type { Id, JournalEntry, JournalKind } from '../types.js';
import type { SqliteContext } from './context.js';

interface JournalRow {
  id: number;
  user_id: string;
  mailbox_id: string;
  kind: string;
  uid: number | null;
  modseq: number | null;
  flags: string | null;
  path: string | null;
  created: number;
}

export class SqliteJournal implements JournalStore {
  constructor(private readonly ctx: SqliteContext) {}

  async since(userId: Id, afterId: number, limit: number): Promise<JournalEntry[]> {
    return this.ctx
      .stmt<[string, number, number], JournalRow>('SELECT * FROM journal WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(userId, afterId, Math.max(1, Math.min(10000, Math.floor(limit))))
      .map((r) => ({
        id: r.id,
        userId: r.user_id,
        mailboxId: r.mailbox_id,
        kind: r.kind as JournalKind,
        uid: r.uid,
        modseq: r.modseq,
        flags: r.flags === null ? null : (JSON.parse(r.flags) as string[]),
        path: r.path,
        created: new Date(r.created),
      }));
  }

  async latestId(userId: Id): Promise<number> {
    const row = this.ctx.stmt<[string], { id: number | null }>('SELECT max(id) AS id FROM journal WHERE user_id = ?').get(userId);
    return row?.id ?? 0;
  }
}
