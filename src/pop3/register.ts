/** Adds the POP3 service to the app (imported once by src/server/register.ts). */
import { serviceFactories } from '../server/services.js';
import { Pop3Service } from './server.js';

serviceFactories.push({
  name: 'pop3',
  enabled: (ctx) => ctx.config.pop3.enabled,
  create: (ctx) => new Pop3Service(ctx),
});
