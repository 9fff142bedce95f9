import type { AppContext } from '../server/context.js';
import { SecurityService } from './service.js';

const services = new WeakMap<AppContext, SecurityService>();

/**
 * The app's SecurityService, created on first use and plugged into the
 * login path, so IMAP and POP3 logins honour app passwords and 2-step
 * verification whichever services run. Idempotent.
 */
export function securityFor(ctx: AppContext): SecurityService {
  let service = services.get(ctx);
  if (!service) {
    service = new SecurityService(ctx.store, ctx.login, ctx.secret, ctx.logger.child({ module: 'security' }), {
      totpMaxFailures: ctx.config.api.totpMaxFailures,
      totpFailureWindowMs: ctx.config.api.totpFailureWindow * 1000,
      issuer: ctx.config.api.totpIssuer,
    });
    ctx.login.setExtensions(service.loginExtensions());
    services.set(ctx, service);
  }
  return service;
}
