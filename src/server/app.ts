import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { LoginService } from '../auth/login.js';
import { createHasher } from '../auth/passwords.js';
import { LoginLimiter, redisCounters, storeCounters } from '../auth/ratelimit.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { createNotifier } from '../notify/index.js';
import { openStore } from '../storage/index.js';
import { SessionRegistry, type AppContext, type ListenAddress, type Service } from './context.js';
import { serviceFactories } from './services.js';
import { loadTls } from './tls.js';

function loadSecret(config: Config): Buffer {
  if (config.server.secret) return Buffer.from(config.server.secret, 'utf8');
  const file = join(resolve(config.storage.dataDir), 'secret');
  if (!existsSync(file)) {
    writeFileSync(`${file}.tmp`, randomBytes(32).toString('hex'), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

/**
 * Everything `eider start` runs in one process: the store, the notifier, the
 * login service and the enabled services, plus the maintenance timer.
 */
export class App {
  private services: Service[] = [];
  private maintenanceTimer: NodeJS.Timeout | null = null;
  private redis: Redis | null = null;
  private stopping: Promise<void> | null = null;

  private constructor(readonly ctx: AppContext) {}

  static async create(config: Config, logger: Logger): Promise<App> {
    mkdirSync(resolve(config.storage.dataDir), { recursive: true });
    const store = openStore(config.storage, {
      renderers: serviceFactories.flatMap((f) => f.renderers ?? []),
      onIndexError: (err) => logger.error('storage.text_index_failed', { err }),
    });
    const notifier = createNotifier(config.redis, logger);
    store.setChangeListener((events) => notifier.publish(events));
    const hasher = createHasher(config.auth);
    let redis: Redis | null = null;
    let counters = storeCounters(store.coordination);
    if (config.redis.url) {
      redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
      redis.on('error', (err: Error) => logger.warn('ratelimit.redis_error', { err: err.message }));
      counters = redisCounters(redis, config.redis.prefix);
    }
    const limiter = new LoginLimiter(counters, config.auth);
    const login = new LoginService(store, hasher, limiter, config.auth, logger.child({ module: 'auth' }));
    const tls = await loadTls(config.tls, resolve(config.storage.dataDir), config.server.hostname, logger);
    const ctx: AppContext = { config, logger, store, notifier, login, tls, secret: loadSecret(config), sessions: new SessionRegistry() };
    const app = new App(ctx);
    app.redis = redis;
    return app;
  }

  /** Starts every enabled service; resolves with all bound addresses. */
  async start(): Promise<ListenAddress[]> {
    const bound: ListenAddress[] = [];
    for (const factory of serviceFactories) {
      if (!factory.enabled(this.ctx)) continue;
      const service = await factory.create(this.ctx);
      bound.push(...(await service.start()));
      this.services.push(service);
    }
    const interval = this.ctx.config.storage.maintenanceInterval * 1000;
    this.maintenanceTimer = setInterval(() => void this.runMaintenance(), interval);
    return bound;
  }

  async runMaintenance(): Promise<void> {
    try {
      const report = await this.ctx.store.maintenance.run();
      this.ctx.logger.debug('maintenance.done', { ...report });
    } catch (err) {
      this.ctx.logger.error('maintenance.failed', { err });
    }
  }

  /** Graceful stop: services first (bounded by shutdownTimeout), then the notifier and the store. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
      const deadline = Date.now() + this.ctx.config.server.shutdownTimeout * 1000;
      await Promise.allSettled([...this.services].reverse().map((s) => s.stop(deadline)));
      await this.ctx.notifier.close();
      if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
      await this.ctx.store.close();
    })();
    return this.stopping;
  }
}
