#!/usr/bin/env node
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../log/logger.js';
import { App } from '../server/app.js';
import '../server/register.js';
import { parseCli, USAGE, UsageError } from './args.js';
import { userCommand } from './users.js';

async function start(config: Config): Promise<void> {
  const logger = createLogger(config.log);
  const app = await App.create(config, logger);
  let signalled = 0;
  const shutdown = (signal: string) => {
    signalled++;
    if (signalled > 1) {
      logger.warn('eider.forced_exit', { signal });
      process.exit(1);
    }
    logger.info('eider.stopping', { signal });
    app.stop().then(
      () => {
        logger.info('eider.stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('eider.stop_failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    const bound = await app.start();
    const listeners = bound.map((b) => `${b.service}${b.tls ? '(tls)' : ''}=${b.path ?? `${b.address}:${b.port}`}`).join(' ');
    logger.info('eider.ready', { listeners, dataDir: config.storage.dataDir, redis: config.redis.url ? 'on' : 'off' });
  } catch (err) {
    logger.error('eider.start_failed', { err });
    await app.stop().catch(() => undefined);
    process.exit(1);
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  if (args.options.help || args.command.length === 0) {
    console.log(USAGE);
    return args.command.length === 0 && !args.options.help ? 2 : 0;
  }
  const config = loadConfig({ file: args.config });
  switch (args.command[0]) {
    case 'start':
      await start(config);
      return -1;
    case 'check-config': {
      // Secrets are shown as set/unset only: this output ends up in tickets and chat.
      const shown = structuredClone(config);
      if (shown.api.accessToken) shown.api.accessToken = '(set)';
      if (shown.server.secret) shown.server.secret = '(set)';
      console.log(JSON.stringify(shown, null, 2));
      return 0;
    }
    case 'user':
      await userCommand(config, args, (line) => console.log(line));
      return 0;
    default:
      throw new UsageError(`unknown command: ${args.command[0]}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`eider: configuration error:\n${err.message}`);
      process.exitCode = 2;
    } else if (err instanceof UsageError) {
      console.error(`eider: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error('eider: fatal:', err);
      process.exitCode = 1;
    }
  },
);
