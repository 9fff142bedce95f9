import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { ChangeEvent } from '../storage/types.js';
import { LocalFanout, type ChangeListener, type Notifier } from './notifier.js';

interface WireEvent {
  /** Publishing process, so a process does not deliver its own events twice. */
  o: string;
  e: ChangeEvent;
}

/**
 * Redis pub/sub notifier: one channel per user. Local listeners get events
 * straight away; other processes get them through Redis. When the subscriber
 * connection drops and comes back, every listener is told to resynchronise
 * from the journal, since events sent meanwhile are gone.
 */
export class RedisNotifier implements Notifier {
  private readonly origin = randomBytes(8).toString('hex');
  private readonly fanout: LocalFanout;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private everReady = false;
  private closing = false;

  constructor(
    private readonly config: RedisConfig,
    private readonly logger: Logger,
  ) {
    this.fanout = new LocalFanout((err) => logger.error('notify.listener_failed', { err }));
    const options = {
      lazyConnect: false,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      retryStrategy: (times: number) => Math.min(times * 200, 5000),
    };
    this.pub = new Redis(config.url, options);
    this.sub = new Redis(config.url, options);
    for (const [name, conn] of [['pub', this.pub], ['sub', this.sub]] as const) {
      conn.on('error', (err: Error) => {
        if (!this.closing) logger.warn('notify.redis_error', { conn: name, err: err.message });
      });
    }
    this.sub.on('ready', () => {
      if (this.everReady) {
        logger.info('notify.redis_reconnected');
        // ioredis re-subscribes channels itself; events published while we were away are lost.
        this.fanout.resync();
      }
      this.everReady = true;
    });
    this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.onMessage(message));
  }

  private channel(userId: string): string {
    return `${this.config.prefix}u:${userId}`;
  }

  private onMessage(message: Buffer): void {
    let wire: WireEvent;
    try {
      wire = JSON.parse(message.toString('utf8')) as WireEvent;
    } catch {
      this.logger.warn('notify.bad_message');
      return;
    }
    if (wire.o === this.origin || !wire.e || typeof wire.e.userId !== 'string') return;
    this.fanout.deliver(wire.e);
  }

  /** Resolves once both connections are ready (tests and start-up checks). */
  async ready(): Promise<void> {
    const wait = (c: Redis) =>
      c.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => c.once('ready', () => resolve()));
    await Promise.all([wait(this.pub), wait(this.sub)]);
  }

  publish(events: readonly ChangeEvent[]): void {
    this.fanout.deliverAll(events);
    for (const e of events) {
      const wire: WireEvent = { o: this.origin, e };
      this.pub.publish(this.channel(e.userId), JSON.stringify(wire)).catch((err: Error) => {
        this.logger.warn('notify.publish_failed', { err: err.message });
      });
    }
  }

  subscribe(userId: string, listener: ChangeListener): () => void {
    if (this.fanout.add(userId, listener)) {
      this.sub.subscribe(this.channel(userId)).catch((err: Error) => this.logger.warn('notify.subscribe_failed', { err: err.message }));
    }
    return () => {
      if (this.fanout.remove(userId, listener) && !this.closing) {
        this.sub.unsubscribe(this.channel(userId)).catch(() => undefined);
      }
    };
  }

  onResync(listener: () => void): () => void {
    return this.fanout.addResync(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fanout.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
