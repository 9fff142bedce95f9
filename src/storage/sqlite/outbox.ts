import { Readable } from 'node:stream';
import type { NewOutboxMessage, OutboxEntry, OutboxStatus, OutboxStore, OutboxTransport } from '../delivery-stores.js';
import { InvalidError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { Id } from '../types.js';
import { MAX_STORED_HEADER, refBlob } from './append.js';
import type { SqliteContext } from './context.js';
import { registerSchema } from './db.js';
import { unrefBlob } from './expunge.js';

registerSchema('outbox', [
  `
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    transport TEXT NOT NULL,
    user_id TEXT,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    url TEXT,
    -- the message: raw bytes, or prefix + a referenced blob
    raw BLOB,
    prefix BLOB,
    blob_id INTEGER REFERENCES blobs(id),
    size INTEGER NOT NULL,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    last_error TEXT,
    lease_owner TEXT,
    lease_until INTEGER,
    created INTEGER NOT NULL,
    sent INTEGER
  );
  CREATE INDEX outbox_due ON outbox(status, next_attempt);
  `,
]);

interface OutboxRow {
  id: string;
  kind: string;
  transport: string;
  user_id: string | null;
  sender: string;
  recipients: string;
  url: string | null;
  size: number;
  status: string;
  attempts: number;
  next_attempt: number;
  last_error: string | null;
  created: number;
  sent: number | null;
}

const COLUMNS = 'id, kind, transport, user_id, sender, recipients, url, size, status, attempts, next_attempt, last_error, created, sent';

const toEntry = (r: OutboxRow): OutboxEntry => ({
  id: r.id,
  kind: r.kind === 'autoreply' ? 'autoreply' : 'forward',
  transport: r.transport === 'http' ? 'http' : 'smtp',
  userId: r.user_id,
  from: r.sender,
  to: JSON.parse(r.recipients) as string[],
  url: r.url,
  size: r.size,
  status: r.status === 'sent' || r.status === 'failed' ? r.status : 'queued',
  attempts: r.attempts,
  nextAttempt: new Date(r.next_attempt),
  lastError: r.last_error,
  created: new Date(r.created),
  sent: r.sent === null ? null : new Date(r.sent),
});

export class SqliteOutbox implements OutboxStore {
  constructor(private readonly ctx: SqliteContext) {}

  private row(id: Id): OutboxRow | undefined {
    return this.ctx.stmt<[string], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`).get(id);
  }

  async enqueue(message: NewOutboxMessage): Promise<{ entry: OutboxEntry; created: boolean }> {
    const url = message.url ?? null;
    const transport: OutboxTransport = url ? 'http' : 'smtp';
    if (transport === 'smtp' && message.to.length === 0) throw new InvalidError('to', 'an outbox entry needs recipients or a url');
    if ((message.raw === undefined) === (message.body === undefined)) throw new InvalidError('raw', 'give exactly one of raw and body');
    const body = message.body;
    const header = body
      ? await this.ctx.files.readStaged(body.blob, 0, Math.min(body.parsed.headerLength, body.blob.size, MAX_STORED_HEADER))
      : null;
    return this.ctx.write(() => {
      if (message.key !== undefined) {
        const existing = this.ctx.stmt<[string], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE dedupe_key = ?`).get(message.key);
        if (existing) return { entry: toEntry(existing), created: false };
      }
      const now = Date.now();
      const id = newId(now);
      const prefix = body?.prefix && body.prefix.length > 0 ? body.prefix : null;
      const blobId = body && header ? refBlob(this.ctx, body.blob, body.parsed, header) : null;
      const size = body ? body.blob.size + (prefix?.length ?? 0) : message.raw!.length;
      this.ctx
        .stmt(
          `INSERT INTO outbox (id, kind, transport, user_id, sender, recipients, url, raw, prefix, blob_id, size, dedupe_key, next_attempt, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          message.kind,
          transport,
          message.userId,
          message.from,
          JSON.stringify(message.to),
          url,
          message.raw ?? null,
          prefix,
          blobId,
          size,
          message.key ?? null,
          now,
          now,
        );
      return { entry: toEntry(this.row(id)!), created: true };
    });
  }

  async claimDue(
    owner: string,
    options: { limit: number; leaseMs: number; transports: OutboxTransport[]; now?: Date },
  ): Promise<OutboxEntry[]> {
    if (options.transports.length === 0) return [];
    const now = (options.now ?? new Date()).getTime();
    return this.ctx.write(() => {
      const rows = this.ctx
        .stmt<[number, number, string, number], OutboxRow>(
          `SELECT ${COLUMNS} FROM outbox
           WHERE status = 'queued' AND next_attempt <= ? AND (lease_until IS NULL OR lease_until <= ?)
             AND transport IN (SELECT value FROM json_each(?))
           ORDER BY next_attempt, id LIMIT ?`,
        )
        .all(now, now, JSON.stringify(options.transports), Math.max(1, Math.floor(options.limit)));
      const lease = this.ctx.stmt('UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?');
      for (const r of rows) lease.run(owner, now + options.leaseMs, r.id);
      return rows.map(toEntry);
    });
  }

  async open(id: Id): Promise<Readable> {
    const row = this.ctx
      .stmt<[string], { raw: Buffer | null; prefix: Buffer | null; hash: string | null }>(
        'SELECT o.raw, o.prefix, b.hash FROM outbox o LEFT JOIN blobs b ON b.id = o.blob_id WHERE o.id = ?',
      )
      .get(id);
    if (!row) throw new NotFoundError('object', 'outbox entry not found');
    if (row.raw) return Readable.from([row.raw], { objectMode: false });
    if (!row.hash) throw new NotFoundError('blob');
    const files = this.ctx.files;
    const { prefix, hash } = row;
    async function* bytes(): AsyncGenerator<Buffer> {
      if (prefix && prefix.length > 0) yield prefix;
      yield* files.open(hash) as AsyncIterable<Buffer>;
    }
    return Readable.from(bytes(), { objectMode: false });
  }

  /** Ends an entry (sent or failed): the body goes, the row stays for its key and for inspection. */
  private finish(id: Id, status: 'sent' | 'failed', error: string | null): void {
    this.ctx.write(() => {
      const now = Date.now();
      const row = this.ctx.stmt<[string], { blob_id: number | null; status: string }>('SELECT blob_id, status FROM outbox WHERE id = ?').get(id);
      if (!row) throw new NotFoundError('object', 'outbox entry not found');
      if (row.status !== 'queued') return;
      if (row.blob_id !== null) unrefBlob(this.ctx, row.blob_id, 1, now);
      this.ctx
        .stmt(
          `UPDATE outbox SET status = ?, sent = ?, last_error = coalesce(?, last_error), attempts = attempts + 1,
             raw = NULL, prefix = NULL, blob_id = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
        )
        .run(status, status === 'sent' ? now : null, error === null ? null : error.slice(0, 2000), id);
    });
  }

  async markSent(id: Id): Promise<void> {
    this.finish(id, 'sent', null);
  }

  async fail(id: Id, error: string): Promise<void> {
    this.finish(id, 'failed', error);
  }

  async reschedule(id: Id, nextAttempt: Date, error: string): Promise<void> {
    this.ctx.write(() => {
      const changes = this.ctx
        .stmt(
          "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'queued'",
        )
        .run(nextAttempt.getTime(), error.slice(0, 2000), id).changes;
      if (changes === 0 && !this.row(id)) throw new NotFoundError('object', 'outbox entry not found');
    });
  }

  async get(id: Id): Promise<OutboxEntry | null> {
    const r = this.row(id);
    return r ? toEntry(r) : null;
  }

  async list(query: { status?: OutboxStatus; userId?: Id; limit?: number } = {}): Promise<OutboxEntry[]> {
    return this.ctx
      .stmt<[string | null, string | null, string | null, string | null, number], OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox WHERE (? IS NULL OR status = ?) AND (? IS NULL OR user_id = ?) ORDER BY created, id LIMIT ?`,
      )
      .all(query.status ?? null, query.status ?? null, query.userId ?? null, query.userId ?? null, Math.max(1, Math.min(query.limit ?? 100, 1000)))
      .map(toEntry);
  }

  async purgeSent(before: Date): Promise<number> {
    return this.ctx.write(() => this.ctx.stmt("DELETE FROM outbox WHERE status = 'sent' AND sent < ?").run(before.getTime()).changes);
  }
}
