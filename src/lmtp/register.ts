import { serviceFactories } from '../server/services.js';
import { LmtpService } from './server.js';

serviceFactories.push({
  name: 'lmtp',
  enabled: (ctx) => ctx.config.lmtp.enabled,
  create: (ctx) => new LmtpService(ctx),
});
