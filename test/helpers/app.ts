import { configSchema, type Config } from '../../src/config/schema.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { App } from '../../src/server/app.js';
import type { ListenAddress } from '../../src/server/context.js';
import '../../src/server/register.js';
import { tempDir } from './tmp.js';

export interface TestApp {
  app: App;
  config: Config;
  bound: ListenAddress[];
  /** Port of a started service. */
  port(service: 'imap' | 'pop3' | 'lmtp' | 'api', tls?: boolean): number;
  /** Creates a user with a password (and address user@example.com by default). */
  addUser(username: string, password: string, extra?: { address?: string; quota?: number }): Promise<string>;
  stop(): Promise<void>;
}

export type ConfigOverrides = { [K in keyof Config]?: Partial<Config[K]> };

/**
 * Starts the real app in-process on port 0 with a fresh data directory:
 * only the services named in `services` are enabled. Cheap argon2 costs and
 * no failed-login delay keep tests fast; nothing else is faked.
 */
export async function startTestApp(
  services: Array<'imap' | 'pop3' | 'lmtp' | 'api'>,
  overrides: ConfigOverrides = {},
  logger: Logger = silentLogger,
): Promise<TestApp> {
  const dir = tempDir('eider-app-');
  const raw: Record<string, Record<string, unknown>> = {
    storage: { dataDir: dir.path },
    auth: { argonMemory: 1024, argonTime: 1, failureDelay: 0 },
    log: { level: 'silent' },
  };
  for (const s of ['imap', 'pop3', 'lmtp', 'api'] as const) raw[s] = { enabled: services.includes(s), port: 0 };
  for (const [section, values] of Object.entries(overrides)) raw[section] = { ...raw[section], ...values };
  const config = configSchema.parse(raw);
  const app = await App.create(config, logger);
  let bound: ListenAddress[];
  try {
    bound = await app.start();
  } catch (err) {
    await app.stop();
    dir.cleanup();
    throw err;
  }
  return {
    app,
    config,
    bound,
    port(service, tls = false) {
      const b = bound.find((x) => x.service === service && Boolean(x.tls) === tls);
      if (!b || b.port === null) throw new Error(`service ${service}${tls ? ' (tls)' : ''} is not listening`);
      return b.port;
    },
    async addUser(username, password, extra = {}) {
      const user = await app.ctx.store.accounts.createUser({
        username,
        passwordHash: await app.ctx.login.hash(password),
        address: extra.address ?? `${username}@example.com`,
        quota: extra.quota,
      });
      return user.id;
    },
    async stop() {
      await app.stop();
      dir.cleanup();
    },
  };
}
