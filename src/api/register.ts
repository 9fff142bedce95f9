import { securityFor } from '../security/install.js';
import { serviceFactories } from '../server/services.js';
import { ApiService } from './service.js';

// First in start order, and installing the security extensions even when the
// API itself is disabled: IMAP and POP3 logins must honour app passwords and
// 2FA whichever services run, and they start after this.
serviceFactories.unshift({
  name: 'api',
  enabled: (ctx) => {
    securityFor(ctx);
    return ctx.config.api.enabled;
  },
  create: (ctx) => new ApiService(ctx),
});
