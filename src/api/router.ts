/**
 * Route declarations and matching. A route is declared once: its zod
 * schemas validate the request, type the handler, and produce its OpenAPI
 * operation (openapi.ts).
 */
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import type { z } from 'zod';
import type { ApiConfig } from '../config/schema.js';
import type { SecurityService } from '../security/service.js';
import type { AppContext } from '../server/context.js';
import type { HealthChecker } from './health-check.js';
import type { StreamRegistry } from './streams.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What handlers are built from. */
export interface ApiDeps {
  app: AppContext;
  config: ApiConfig;
  security: SecurityService;
  streams: StreamRegistry;
  health: HealthChecker;
}

/** Who is asking: WildDuck's sess/ip parameters, else the connection's address. */
export interface RequestMeta {
  sess: string | null;
  /** `ip` parameter when given, else the peer address. */
  ip: string;
  peer: string;
}

export interface ApiRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  meta: RequestMeta;
  deps: ApiDeps;
  koa: Koa.Context;
  /** The unread request body, for routes that accept a raw body type and got one. */
  raw: Readable | null;
}

/** A non-JSON response (message bytes, attachments, event streams). */
export class RawReply {
  constructor(
    readonly body: Readable | Buffer | string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
    readonly status = 200,
  ) {}
}

/** A JSON response with a status other than 200 (health failures). */
export class JsonReply {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {}
}

type Empty = z.ZodObject<Record<never, never>>;

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Koa-style path: "/users/:user/mailboxes/:mailbox". */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** No access token needed (health checks, the OpenAPI document). */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** The 200 JSON body. */
  response?: R;
  /** Content type of a non-JSON 200 response. */
  produces?: string;
  /** Body media types handed to the handler unread (`req.raw`) instead of parsed. */
  rawBody?: readonly string[];
  /** JSON/form body size limit for this route (default api.maxBodySize). */
  bodyLimit?: (config: ApiConfig) => number;
  /** Size limit of a raw body (default api.maxBodySize). */
  rawLimit?: (config: ApiConfig) => number;
  // Method syntax: handlers stay assignable to the erased AnyRoute.
  handler(req: ApiRequest<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R> | RawReply | JsonReply>;
}

export type AnyRoute = RouteDef<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

/** Declares a route; the generics carry the schemas' types into the handler. */
export function defineRoute<P extends z.ZodType = Empty, Q extends z.ZodType = Empty, B extends z.ZodType = Empty, R extends z.ZodType = z.ZodType>(
  def: RouteDef<P, Q, B, R>,
): AnyRoute {
  return def;
}

interface Compiled {
  route: AnyRoute;
  segments: Array<{ literal: string } | { param: string }>;
  /** Literal segments sort before parameters at the first difference: "/users/resolve/:name" wins over "/users/:user/x". */
  rank: string;
}

export type Match = { route: AnyRoute; params: Record<string, string> } | { allowed: Method[] } | null;

export class RouteTable {
  private readonly compiled: Compiled[];

  constructor(readonly routes: readonly AnyRoute[]) {
    this.compiled = routes
      .map((route) => {
        const segments = route.path
          .split('/')
          .slice(1)
          .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
        return { route, segments, rank: segments.map((s) => ('literal' in s ? '0' : '1')).join('') };
      })
      .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`duplicate route ${key}`);
      seen.add(key);
    }
  }

  /**
   * The route for a request. Parameter values are percent-decoded; an
   * undecodable one throws URIError (the caller answers 400).
   */
  match(method: string, pathname: string): Match {
    const parts = pathname.split('/').slice(1);
    const allowed: Method[] = [];
    for (const c of this.compiled) {
      if (c.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = c.segments[i]!;
        const part = parts[i]!;
        if ('literal' in seg) ok = seg.literal === part;
        else if (part === '') ok = false;
        else params[seg.param] = part;
      }
      if (!ok) continue;
      if (c.route.method !== method) {
        allowed.push(c.route.method);
        continue;
      }
      for (const [k, v] of Object.entries(params)) params[k] = decodeURIComponent(v);
      return { route: c.route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}
