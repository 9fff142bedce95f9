import type { Renderer } from '../storage/interface.js';
import type { AppContext, Service } from './context.js';

/**
 * The services `eider start` runs, in start order. Each protocol module
 * contributes one factory; a disabled section is skipped.
 */
export type ServiceFactory = {
  name: 'imap' | 'pop3' | 'lmtp' | 'api';
  enabled: (ctx: AppContext) => boolean;
  create: (ctx: AppContext) => Service | Promise<Service>;
  /**
   * Renditions this protocol wants stored with every new body (storage
   * interface.ts Renderer). Registered whether or not the service is enabled
   * here: a process that only delivers mail still stores what IMAP will fetch.
   */
  renderers?: readonly Renderer[];
};

export const serviceFactories: ServiceFactory[] = [];
