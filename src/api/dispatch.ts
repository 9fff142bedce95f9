/**
 * The request pipeline: route match, access token, body, validation,
 * handler, response; every failure on the way becomes one JSON error
 * (errors.ts) and every request one log line.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import { z } from 'zod';
import type { ApiConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { discard, LimitStream, mediaType, parseBody, parseForm, readBody, tooLarge } from './body.js';
import { ApiError, toApiError, validationError } from './errors.js';
import { JsonReply, RawReply, type ApiDeps, type RequestMeta, type RouteTable } from './router.js';
import { sessionSchema } from './schemas.js';

const EMPTY = z.object({});

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The token from X-Access-Token, Authorization: Bearer, or ?accessToken= (in that order). */
function presentedToken(ctx: Koa.Context, url: URL): string | null {
  const header = ctx.get('x-access-token');
  if (header) return header;
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
  if (auth) return auth[1]!;
  return url.searchParams.get('accessToken');
}

function checkAccess(ctx: Koa.Context, url: URL, config: ApiConfig): void {
  if (!config.accessToken) return;
  const token = presentedToken(ctx, url);
  if (!token) {
    ctx.set('WWW-Authenticate', 'Bearer');
    throw new ApiError(401, 'AccessTokenRequired', 'An access token is required');
  }
  // Hashing first gives equal lengths, so timingSafeEqual compares in constant time whatever was sent.
  if (!timingSafeEqual(sha256(token), sha256(config.accessToken))) throw new ApiError(403, 'InvalidToken', 'Invalid access token');
}

/** Query arguments as an object, decoded like form bodies (arrays, "or[subject]=x" nesting); the access token is not an argument. */
function queryObject(url: URL): Record<string, unknown> {
  const out = parseForm(url.search.slice(1));
  delete out.accessToken;
  return out;
}

function hasBody(ctx: Koa.Context): boolean {
  const length = ctx.req.headers['content-length'];
  return (length !== undefined && length !== '0') || ctx.req.headers['transfer-encoding'] !== undefined;
}

function field(source: unknown, key: string): unknown {
  return source && typeof source === 'object' && !Array.isArray(source) ? (source as Record<string, unknown>)[key] : undefined;
}

function requestMeta(query: Record<string, unknown>, body: unknown, peer: string): RequestMeta {
  const parsed = sessionSchema.safeParse({ sess: field(body, 'sess') ?? query.sess, ip: field(body, 'ip') ?? query.ip });
  if (!parsed.success) throw validationError(parsed.error.issues);
  return { sess: parsed.data.sess ?? null, ip: parsed.data.ip ?? peer, peer };
}

function send(ctx: Koa.Context, result: unknown): void {
  if (result instanceof RawReply) {
    ctx.status = result.status;
    for (const [k, v] of Object.entries(result.headers)) ctx.set(k, v);
    ctx.type = result.contentType;
    ctx.body = result.body;
    return;
  }
  if (result instanceof JsonReply) {
    ctx.status = result.status;
    ctx.body = result.body;
    return;
  }
  ctx.status = 200;
  ctx.body = result ?? { success: true };
}

export function createDispatcher(deps: ApiDeps, table: RouteTable, logger: Logger): Koa.Middleware {
  return async (ctx) => {
    const started = Date.now();
    const requestId = randomBytes(6).toString('hex');
    let routeName = '(none)';
    let meta: RequestMeta | null = null;
    let raw: Readable | null = null;
    const peer = ctx.req.socket.remoteAddress ?? '';
    try {
      const url = new URL(ctx.req.url ?? '/', 'http://api.invalid');
      let match;
      try {
        // HEAD is GET without the body (Koa drops it).
        match = table.match(ctx.method === 'HEAD' ? 'GET' : ctx.method, url.pathname);
      } catch {
        throw new ApiError(400, 'InputValidationError', 'Malformed percent-encoding in the path', { path: 'malformed percent-encoding' });
      }
      if (!match) throw new ApiError(404, 'ResourceNotFound', `${url.pathname} does not exist`);
      if ('allowed' in match) {
        ctx.set('Allow', [...new Set(match.allowed)].join(', '));
        throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on ${url.pathname}`);
      }
      const { route, params } = match;
      routeName = `${route.method} ${route.path}`;
      if (!route.public) checkAccess(ctx, url, deps.config);

      const query = queryObject(url);
      let body: unknown;
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && hasBody(ctx)) {
        if (route.rawBody?.includes(mediaType(ctx.get('content-type')))) {
          const limit = route.rawLimit ? route.rawLimit(deps.config) : deps.config.maxBodySize;
          const declared = Number(ctx.req.headers['content-length'] ?? 0);
          if (declared > limit) {
            discard(ctx.req);
            throw tooLarge(limit);
          }
          const req = ctx.req;
          const limiter = new LimitStream(limit);
          // An aborted request fails the reader; a refused one is drained so the 413 gets through.
          req.on('error', (err) => limiter.destroy(err));
          limiter.on('error', () => {
            req.unpipe(limiter);
            discard(req);
          });
          raw = req.pipe(limiter);
        } else {
          const limit = route.bodyLimit ? route.bodyLimit(deps.config) : deps.config.maxBodySize;
          body = parseBody(await readBody(ctx.req, limit), ctx.get('content-type'));
        }
      }
      meta = requestMeta(query, body, peer);

      const issues: z.core.$ZodIssue[] = [];
      const parse = (schema: z.ZodType | undefined, input: unknown): unknown => {
        const r = (schema ?? EMPTY).safeParse(input);
        if (r.success) return r.data;
        issues.push(...r.error.issues);
        return undefined;
      };
      const p = parse(route.params, params);
      const q = parse(route.query, query);
      const b = parse(route.body, body ?? {});
      if (issues.length > 0) throw validationError(issues, 'body');
      send(ctx, await route.handler({ params: p, query: q, body: b, meta, deps, koa: ctx, raw }));
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status >= 500) logger.error('api.error', { err, route: routeName, requestId });
      ctx.status = apiErr.status;
      ctx.body = apiErr.details ? { error: apiErr.message, code: apiErr.code, details: apiErr.details } : { error: apiErr.message, code: apiErr.code };
      if (apiErr.status === 413) ctx.set('Connection', 'close');
    } finally {
      // A raw body the handler did not read (it failed first) is drained, so the connection stays usable.
      if (raw && !raw.readableEnded) raw.resume();
      const fields: Record<string, unknown> = { requestId, method: ctx.method, route: routeName, status: ctx.status, ms: Date.now() - started, ip: peer };
      if (meta?.sess) fields.sess = meta.sess;
      logger.info('api.request', fields);
    }
  };
}
