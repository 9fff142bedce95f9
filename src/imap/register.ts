/** Adds the IMAP service to the services `eider start` runs. */
import { serviceFactories } from '../server/services.js';
import { imapRenderers } from './fetch/renditions.js';
import { ImapService } from './server.js';

serviceFactories.push({
  name: 'imap',
  enabled: (ctx) => ctx.config.imap.enabled,
  create: (ctx) => new ImapService(ctx),
  renderers: imapRenderers,
});
