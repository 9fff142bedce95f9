/** POST /authenticate (the single login path, as used by webmail front ends) and the auth log. */
import { z } from 'zod';
import type { AuthLogEntry } from '../../storage/security-stores.js';
import { ApiError } from '../errors.js';
import { defineRoute } from '../router.js';
import { ip, isoDate, objectId, pagedSchema, pagingFields, text } from '../schemas.js';
import { paged, pageOut, requireUser, userParams } from './common.js';

const authenticate = defineRoute({
  method: 'POST',
  path: '/authenticate',
  summary: 'Check a username (or any address) and a password or app password',
  description:
    'Goes through the same login path as IMAP and POP3: rate limits, app passwords and 2FA rules, the auth log. With 2FA on, scope master with the account password succeeds with require2fa set; other scopes need an app password.',
  tags: ['Authentication'],
  body: z.object({
    username: text(320, 1).meta({ description: 'Username or any address of the user' }),
    password: text(1024, 1),
    scope: z.enum(['master', 'imap', 'pop3', 'smtp'], { error: 'must be one of master, imap, pop3, smtp' }).default('master'),
    protocol: text(64).default('API').meta({ description: 'Protocol name recorded in the auth log' }),
    appId: text(512).optional(),
    token: z.unknown().optional().meta({ description: 'Accepted for compatibility; no access tokens are issued' }),
  }),
  response: z.object({
    success: z.boolean(),
    id: z.string(),
    username: z.string(),
    scope: z.string(),
    require2fa: z.union([z.array(z.string()), z.literal(false)]).meta({ description: 'Enabled 2FA methods the caller must check next, or false' }),
    requirePasswordChange: z.boolean(),
  }),
  async handler({ body, meta, deps }) {
    const result = await deps.app.login.login({
      username: body.username,
      password: body.password,
      scope: body.scope,
      protocol: body.protocol,
      ip: meta.ip,
      session: meta.sess ?? undefined,
    });
    return {
      success: true,
      id: result.user.id,
      username: result.user.username,
      scope: result.scope,
      require2fa: result.require2fa ? ['totp'] : (false as const),
      requirePasswordChange: result.requirePasswordChange,
    };
  },
});

const entryOut = z
  .object({
    id: z.string(),
    action: z.string(),
    result: z.string().nullable(),
    sess: z.string().nullable(),
    ip: z.string().nullable(),
    created: isoDate(),
    expires: isoDate(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));

function entryView(e: AuthLogEntry): z.input<typeof entryOut> {
  return { ...e.data, id: e.id, action: e.action, result: e.result, sess: e.sess, ip: e.ip, created: e.created.toISOString(), expires: e.expires.toISOString() };
}

const authlog = defineRoute({
  method: 'GET',
  path: '/users/:user/authlog',
  summary: "List the user's auth log (logins, password, app-password and 2FA events), newest first",
  description: 'Entries expire after 30 days.',
  tags: ['Authentication'],
  params: userParams,
  query: z.object({
    action: text(100).transform((s) => s.trim().toLowerCase()).optional().meta({ description: 'Only this action, e.g. "authentication"' }),
    sess: text(255).optional().meta({ description: 'Only entries recorded with this session id' }),
    ip: ip().optional().meta({ description: 'Only entries from this IP address' }),
    filterip: ip().optional().meta({ description: 'Same as ip (WildDuck name)' }),
    ...pagingFields,
  }),
  response: pagedSchema(entryOut).extend({ action: z.string().optional() }),
  async handler({ params, query, deps }) {
    await requireUser(deps, params.user);
    const page = await paged(query, (q) =>
      deps.app.store.authLog.list(params.user, { ...q, action: query.action || undefined, sess: query.sess, ip: query.ip ?? query.filterip }),
    );
    return { ...pageOut(page, query, entryView), action: query.action };
  },
});

const authlogEvent = defineRoute({
  method: 'GET',
  path: '/users/:user/authlog/:event',
  summary: 'Get one auth log entry',
  tags: ['Authentication'],
  params: z.object({ user: objectId('user id'), event: objectId('event id') }),
  response: entryOut.extend({ success: z.boolean() }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    const e = await deps.app.store.authLog.get(params.user, params.event);
    if (!e) throw new ApiError(404, 'EventNotFound', 'This auth log entry does not exist');
    return { success: true, ...entryView(e) };
  },
});

export const authRoutes = [authenticate, authlog, authlogEvent];
