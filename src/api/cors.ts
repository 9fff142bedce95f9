/**
 * CORS (the Fetch standard's CORS protocol) for browser front ends calling
 * the admin API from another origin, off unless `api.corsOrigins` lists
 * origins ("*" for any). Preflight requests (OPTIONS with
 * Access-Control-Request-Method) are answered here, before the access-token
 * check, since browsers send them without credentials; every other request
 * still needs the token. Origins not listed get no CORS headers, so the
 * browser refuses them.
 */
import type { Middleware } from 'koa';

const METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
/** Request headers front ends send: the token headers, JSON, SSE resumption. */
const HEADERS = 'Authorization, Content-Type, X-Access-Token, Last-Event-ID';
/** Seconds a browser may cache a preflight answer. */
const MAX_AGE = '600';

export function corsMiddleware(origins: readonly string[]): Middleware {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.toLowerCase().replace(/\/+$/, '')));
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (origins.length === 0 || !origin) return next();
    ctx.vary('Origin');
    const permitted = any || allowed.has(origin.toLowerCase());
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (!permitted) {
      if (preflight) {
        ctx.status = 204;
        return;
      }
      return next();
    }
    ctx.set('Access-Control-Allow-Origin', any ? '*' : origin);
    if (preflight) {
      ctx.set('Access-Control-Allow-Methods', METHODS);
      ctx.set('Access-Control-Allow-Headers', HEADERS);
      ctx.set('Access-Control-Max-Age', MAX_AGE);
      ctx.status = 204;
      return;
    }
    return next();
  };
}
