import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/schema.js';
import type { Store } from '../storage/interface.js';

export interface HealthReport {
  storage: 'ok' | 'down';
  redis: 'ok' | 'down' | 'disabled';
  message?: string;
}

const TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Storage and Redis reachability for GET /health. Redis gets its own
 * lazily opened connection, so a health probe never queues behind (or
 * disturbs) the notifier's subscriber connection.
 */
export class HealthChecker {
  private redis: Redis | null = null;

  constructor(
    private readonly store: Store,
    private readonly config: RedisConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const report: HealthReport = { storage: 'ok', redis: this.config.url ? 'ok' : 'disabled' };
    try {
      await withTimeout(this.store.ping(), 'storage');
    } catch (err) {
      report.storage = 'down';
      report.message = `Storage is down: ${err instanceof Error ? err.message : String(err)}`;
      return report;
    }
    if (this.config.url) {
      try {
        if (!this.redis) {
          this.redis = new Redis(this.config.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
          // Failures surface through ping(); the connection's own error events would only repeat them.
          this.redis.on('error', () => undefined);
        }
        const pong = await withTimeout(this.redis.ping(), 'redis');
        if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
      } catch (err) {
        report.redis = 'down';
        report.message = `Redis is down: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    return report;
  }

  async close(): Promise<void> {
    const r = this.redis;
    this.redis = null;
    if (r) await r.quit().catch(() => r.disconnect());
  }
}
