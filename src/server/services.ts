import type { AppContext, Service } from './context.js';

/**
 * The services `eider start` runs, in start order. Each protocol module
 * contributes one factory; a disabled section is skipped.
 */
export type ServiceFactory = {
  name: 'imap' | 'pop3' | 'lmtp' | 'api';
  enabled: (ctx: AppContext) => boolean;
  create: (ctx: AppContext) => Service | Promise<Service>;
};

export const serviceFactories: ServiceFactory[] = [];
