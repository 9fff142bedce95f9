import type { RedisConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { MemoryNotifier } from './memory.js';
import type { Notifier } from './notifier.js';
import { RedisNotifier } from './redis.js';

export type { ChangeListener, Notifier } from './notifier.js';

/** Redis when a URL is configured, else in-process. */
export function createNotifier(config: RedisConfig, logger: Logger): Notifier {
  return config.url ? new RedisNotifier(config, logger.child({ module: 'notify' })) : new MemoryNotifier(logger);
}
