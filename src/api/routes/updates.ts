/**
 * GET /users/:user/updates: the user's changes as Server-Sent Events (HTML
 * Living Standard §9.2), fed by the notifier, read from the journal so a
 * client resuming with Last-Event-ID misses nothing the journal still holds.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { Logger } from '../../log/logger.js';
import type { Notifier } from '../../notify/notifier.js';
import type { Store } from '../../storage/interface.js';
import type { ChangeEvent, JournalEntry, JournalKind } from '../../storage/types.js';
import { invalidField } from '../errors.js';
import { defineRoute, RawReply } from '../router.js';
import type { StreamRegistry } from '../streams.js';
import { requireUser, userParams } from './common.js';

const COMMANDS: Record<JournalKind, string> = {
  exists: 'EXISTS',
  expunge: 'EXPUNGE',
  flags: 'FETCH',
  'mailbox-create': 'CREATE',
  'mailbox-rename': 'RENAME',
  'mailbox-delete': 'DELETE',
  'mailbox-update': 'UPDATE',
};
const BATCH = 500;
/** A client this far behind is dropped rather than buffered without end; it can resume with Last-Event-ID. */
const MAX_BUFFERED = 4 * 1024 * 1024;

interface StreamDeps {
  store: Store;
  notifier: Notifier;
  streams: StreamRegistry;
  logger: Logger;
  keepAliveMs: number;
}

/** One client's stream. Journal reads are chained so events go out once each, in id order. */
class UpdateStream {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly deps: StreamDeps,
    private readonly userId: string,
    private lastId: number,
    readonly out: PassThrough,
  ) {}

  start(resume: boolean): void {
    this.write(`: eider live updates for ${this.userId}\n\n`);
    this.cleanups.push(this.deps.notifier.subscribe(this.userId, (ev) => this.onEvent(ev)));
    this.cleanups.push(this.deps.notifier.onResync(() => this.enqueue(() => this.drain())));
    this.cleanups.push(this.deps.streams.add(() => this.close()));
    const timer = setInterval(() => this.write(': keep-alive\n\n'), this.deps.keepAliveMs);
    timer.unref();
    this.cleanups.push(() => clearInterval(timer));
    if (resume) this.enqueue(() => this.drain());
  }

  private onEvent(ev: ChangeEvent): void {
    if (ev.kind === 'logout') {
      this.enqueue(async () => {
        await this.drain();
        this.write(`data: ${JSON.stringify({ command: 'LOGOUT' })}\n\n`);
        this.close();
      });
      return;
    }
    if (ev.journalId !== undefined && ev.journalId <= this.lastId) return;
    this.enqueue(() => this.drain());
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((err: unknown) => {
      this.deps.logger.warn('api.updates_failed', { err, userId: this.userId });
      this.close();
    });
  }

  private async drain(): Promise<void> {
    const touched = new Set<string>();
    while (!this.closed) {
      const entries = await this.deps.store.journal.since(this.userId, this.lastId, BATCH);
      for (const e of entries) {
        this.send(e);
        this.lastId = e.id;
        if (e.kind === 'exists' || e.kind === 'expunge' || e.kind === 'flags') touched.add(e.mailboxId);
      }
      if (entries.length < BATCH) break;
    }
    // Like WildDuck: after a batch, the new counters of the mailboxes it touched.
    for (const mailbox of touched) {
      if (this.closed) return;
      try {
        const c = await this.deps.store.mailboxes.counters(mailbox);
        this.write(`id: ${this.lastId}\ndata: ${JSON.stringify({ command: 'COUNTERS', mailbox, total: c.messages, unseen: c.unseen })}\n\n`);
      } catch {
        // the mailbox went away meanwhile; its DELETE event says so
      }
    }
  }

  private send(e: JournalEntry): void {
    const data: Record<string, unknown> = { command: COMMANDS[e.kind], mailbox: e.mailboxId };
    if (e.uid !== null) data.uid = e.uid;
    if (e.modseq !== null) data.modseq = e.modseq;
    if (e.flags !== null) data.flags = e.flags;
    if (e.path !== null) data.path = e.path;
    data.time = e.created.toISOString();
    this.write(`id: ${e.id}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string): void {
    if (this.closed) return;
    if (this.out.writableLength > MAX_BUFFERED) {
      this.close();
      return;
    }
    this.out.write(text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.cleanups.splice(0)) f();
    this.out.end();
  }
}

const eventId = () =>
  z
    .string()
    .regex(/^\d{1,15}$/, { error: 'must be an event id from an id: line' })
    .transform(Number);

const updates = defineRoute({
  method: 'GET',
  path: '/users/:user/updates',
  summary: "Stream the user's changes (Server-Sent Events)",
  description:
    'Each event has an `id:` line and a JSON `data:` line with `command` (EXISTS, EXPUNGE, FETCH, CREATE, RENAME, DELETE, UPDATE, COUNTERS, LOGOUT), `mailbox` and the details. Resume with the Last-Event-ID header (or query argument) to replay what the journal still holds.',
  tags: ['Users'],
  params: userParams,
  query: z.object({ 'Last-Event-ID': eventId().optional().meta({ description: 'Resume after this event id (EventSource sends it as a header)' }) }),
  produces: 'text/event-stream',
  async handler({ params, query, deps, koa }) {
    await requireUser(deps, params.user);
    const header = koa.get('last-event-id');
    let resumeFrom = query['Last-Event-ID'];
    if (resumeFrom === undefined && header) {
      const parsed = eventId().safeParse(header.trim());
      if (!parsed.success) throw invalidField('Last-Event-ID', 'must be an event id from an id: line');
      resumeFrom = parsed.data;
    }
    const store = deps.app.store;
    const start = resumeFrom ?? (await store.journal.latestId(params.user));
    const stream = new UpdateStream(
      { store, notifier: deps.app.notifier, streams: deps.streams, logger: deps.app.logger, keepAliveMs: deps.config.keepAliveInterval * 1000 },
      params.user,
      start,
      new PassThrough(),
    );
    koa.req.socket.setTimeout(0);
    koa.req.socket.setNoDelay(true);
    // 'close' on the response: the client went away (or we ended the stream).
    koa.res.once('close', () => stream.close());
    stream.start(resumeFrom !== undefined);
    return new RawReply(stream.out, 'text/event-stream', { 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  },
});

export const updateRoutes = [updates];
