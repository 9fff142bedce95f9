/**
 * Works the durable outbox: claims due entries (a lease, so several
 * processes can share one store), sends them, and marks them sent, or
 * reschedules them with exponential backoff, or, after a permanent refusal,
 * marks them failed and logs it. Nothing is dropped silently. SMTP entries
 * wait while no relay is configured.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RelayConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { OutboxEntry, OutboxTransport } from '../storage/delivery-stores.js';
import type { Store } from '../storage/interface.js';
import { SendError, type OutboundSender } from './relay.js';

const LEASE_MS = 10 * 60 * 1000;
const BATCH = 20;
const KEEP_SENT_MS = 2 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 3600 * 1000;

/** Delay before attempt n+1 after n failed attempts: base * 2^(n-1), capped. */
export function backoffMs(failedAttempts: number, relay: Pick<RelayConfig, 'retryBase' | 'retryMax'>): number {
  const exp = Math.min(30, Math.max(0, failedAttempts - 1));
  return Math.min(relay.retryMax, relay.retryBase * 2 ** exp) * 1000;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastPurge = 0;
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly store: Store,
    private readonly relay: RelayConfig,
    private readonly sender: OutboundSender,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), Math.max(1, this.relay.interval) * 1000);
    this.timer.unref();
    this.kick();
  }

  /** Runs soon; runs coalesce, and a kick during a run makes it go round once more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runOnce();
        } while (this.again && !this.stopped);
      } catch (err) {
        this.logger.error('outbox.run_failed', { err });
      } finally {
        this.running = null;
      }
    })();
  }

  /** Waits for the current run (if any) to finish. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private transports(): OutboxTransport[] {
    return this.sender.smtp ? ['smtp', 'http'] : ['http'];
  }

  /** One pass over everything due; returns how many entries were attempted. */
  async runOnce(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) break;
      const due = await this.store.outbox.claimDue(this.owner, { limit: BATCH, leaseMs: LEASE_MS, transports: this.transports(), now });
      for (const entry of due) {
        if (this.stopped) break;
        await this.attempt(entry);
      }
      total += due.length;
      if (due.length < BATCH) break;
    }
    if (now.getTime() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now.getTime();
      await this.store.outbox.purgeSent(new Date(now.getTime() - KEEP_SENT_MS));
    }
    return total;
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    const started = Date.now();
    const fields = { id: entry.id, kind: entry.kind, transport: entry.transport, userId: entry.userId, attempt: entry.attempts + 1 };
    try {
      await this.sender.send(entry, await this.store.outbox.open(entry.id));
      await this.store.outbox.markSent(entry.id);
      this.logger.info('outbox.sent', { ...fields, to: entry.url ?? entry.to.join(','), ms: Date.now() - started });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof SendError && err.permanent) {
        await this.store.outbox.fail(entry.id, message);
        this.logger.error('outbox.failed', { ...fields, err: message, ms: Date.now() - started });
        return;
      }
      const next = new Date(Date.now() + backoffMs(entry.attempts + 1, this.relay));
      await this.store.outbox.reschedule(entry.id, next, message);
      this.logger.warn('outbox.retry', { ...fields, err: message, next: next.toISOString(), ms: Date.now() - started });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    this.sender.close();
  }
}
