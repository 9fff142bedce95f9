/** Application-specific passwords: for IMAP/POP3 clients when 2FA is on, never for the master scope. */
import { z } from 'zod';
import type { AppPassword } from '../../storage/security-stores.js';
import { NotFoundError } from '../../storage/errors.js';
import { invalidField } from '../errors.js';
import { mailProfile } from '../mobileconfig.js';
import { defineRoute } from '../router.js';
import { bool, date, isoDate, list, objectId, successSchema, text } from '../schemas.js';
import { audit, iso, requireUser, userParams } from './common.js';

const tags = ['ApplicationPasswords'];
const aspParams = z.object({ user: objectId('user id'), asp: objectId('application password id') });
const aspScope = z.enum(['imap', 'pop3', 'smtp', '*'], { error: 'must be one of imap, pop3, smtp, *' });

const aspOut = z.object({
  id: z.string(),
  description: z.string(),
  scopes: z.array(z.string()),
  lastUse: z.object({ time: z.union([isoDate(), z.literal(false)]), ip: z.union([z.string(), z.literal(false)]) }),
  created: isoDate(),
  expires: z.union([isoDate(), z.literal(false)]),
});

const view = (a: AppPassword): z.input<typeof aspOut> => ({
  id: a.id,
  description: a.description,
  scopes: a.scopes,
  lastUse: { time: iso(a.lastUse) ?? false, ip: a.lastIp ?? false },
  created: a.created.toISOString(),
  expires: iso(a.expires) ?? false,
});

const listAsps = defineRoute({
  method: 'GET',
  path: '/users/:user/asps',
  summary: 'List application passwords (never the passwords themselves)',
  tags,
  params: userParams,
  response: z.object({ success: z.boolean(), results: z.array(aspOut) }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    return { success: true, results: (await deps.app.store.asps.list(params.user)).map(view) };
  },
});

const getAsp = defineRoute({
  method: 'GET',
  path: '/users/:user/asps/:asp',
  summary: 'Get one application password',
  tags,
  params: aspParams,
  response: aspOut.extend({ success: z.boolean() }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    const asp = await deps.app.store.asps.get(params.user, params.asp);
    if (!asp) throw new NotFoundError('asp');
    return { success: true, ...view(asp) };
  },
});

const createAsp = defineRoute({
  method: 'POST',
  path: '/users/:user/asps',
  summary: 'Create an application password (shown once)',
  description:
    '16 lowercase letters; users may type it with spaces and in any case. `generateMobileconfig` adds an Apple configuration profile (base64) that sets up IMAP with it.',
  tags,
  params: userParams,
  body: z.object({
    description: text(255, 1).transform((s) => s.trim()),
    scopes: list(aspScope, 4).default(['*']).meta({ description: 'imap, pop3, smtp, or * for all of them (never master)' }),
    generateMobileconfig: bool().optional(),
    expires: date().optional().meta({ description: 'Make it temporary' }),
  }),
  response: z.object({ success: z.boolean(), id: z.string(), password: z.string(), mobileconfig: z.string().optional() }),
  async handler({ params, body, deps, meta }) {
    const user = await requireUser(deps, params.user);
    if (body.expires && body.expires.getTime() <= Date.now()) throw invalidField('expires', 'must be in the future');
    if (body.generateMobileconfig) {
      if (!body.scopes.includes('*') && !body.scopes.includes('imap')) throw invalidField('scopes', 'a profile needs the imap scope');
      if (!user.address) throw invalidField('generateMobileconfig', 'the user has no address to configure');
    }
    const { asp, password } = await deps.security.createAsp(user, { description: body.description, scopes: body.scopes, expires: body.expires }, audit(meta));
    const out: { success: true; id: string; password: string; mobileconfig?: string } = { success: true, id: asp.id, password };
    if (body.generateMobileconfig && user.address) {
      const imap = deps.app.config.imap;
      out.mobileconfig = mailProfile({
        displayName: body.description,
        hostname: deps.app.config.server.hostname,
        imapPort: imap.tlsPort > 0 ? imap.tlsPort : imap.port,
        imapTls: imap.tlsPort > 0,
        username: user.username,
        password,
        address: user.address,
        name: user.name,
      }).toString('base64');
    }
    return out;
  },
});

const deleteAsp = defineRoute({
  method: 'DELETE',
  path: '/users/:user/asps/:asp',
  summary: 'Delete an application password',
  tags,
  params: aspParams,
  response: successSchema,
  async handler({ params, deps, meta }) {
    await requireUser(deps, params.user);
    await deps.security.deleteAsp(params.user, params.asp, audit(meta));
    return { success: true };
  },
});

export const aspRoutes = [listAsps, getAsp, createAsp, deleteAsp];
