/** Users: listing, creation, lookup (WildDuck's /users routes). */
import { z } from 'zod';
import { NotFoundError } from '../../storage/errors.js';
import { invalidField } from '../errors.js';
import { defineRoute } from '../router.js';
import { bool, createdSchema, pagedSchema, pagingFields, text } from '../schemas.js';
import { audit, paged, pageOut, requireUser, userParams } from './common.js';
import { checkPubKey, detail, listItem, settingsFrom, userDetail, userListItem, userSettingsFields } from './user-view.js';

const tags = [`Users`];

const listUsers = defineRoute({
  method: 'GET',
  path: '/users',
  summary: 'List users',
  tags,
  query: z.object({
    query: text(128).optional().meta({ description: 'Partial match of username, name or any address' }),
    tags: text(1024).optional().meta({ description: 'Comma-separated tags; a user needs at least one' }),
    requiredTags: text(1024).optional().meta({ description: 'Comma-separated tags; a user needs all of them' }),
    metaData: bool().optional(),
    internalData: bool().optional(),
    ...pagingFields,
  }),
  response: pagedSchema(userListItem).extend({ query: z.string() }),
  async handler({ query, deps }) {
    const split = (s: string | undefined) => (s ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
    const page = await paged(query, (q) =>
      deps.app.store.accounts.listUsers({ ...q, query: query.query || undefined, tags: split(query.tags), requiredTags: split(query.requiredTags) }),
    );
    const items = await Promise.all(page.results.map((u) => listItem(deps, u, { metaData: query.metaData, internalData: query.internalData })));
    return { ...pageOut({ ...page, results: items }, query, (x) => x), query: query.query ?? '' };
  },
});

const createUser = defineRoute({
  method: 'POST',
  path: '/users',
  summary: 'Create a user',
  description: 'Creates the user with INBOX, Drafts, Sent, Junk, Trash and Archive. Without `address` (and without `emptyAddress`) the main address is the username at the server hostname.',
  tags,
  body: z.object({
    username: text(128, 1).meta({ description: 'Login name: letters, digits, . _ - + @' }),
    password: z
      .union([text(256), z.literal(false)], { error: 'must be a string, or false for no password' })
      .meta({ description: 'Password, or false (or "") to create the account without one' }),
    hashedPassword: bool().optional().meta({ description: 'password is already an argon2 PHC hash' }),
    address: text(320).optional(),
    emptyAddress: bool().optional().meta({ description: 'Create no address when none is given' }),
    requirePasswordChange: bool().optional(),
    ...userSettingsFields,
  }),
  response: createdSchema,
  async handler({ body, deps, meta }) {
    if (body.address && /[*+]/.test(body.address)) throw invalidField('address', 'must not contain * or +');
    await checkPubKey(body.pubKey);
    let passwordHash: string | null = null;
    if (body.password !== false && body.password !== '') {
      if (body.hashedPassword) {
        if (!/^\$argon2(id|i|d)\$/.test(body.password)) throw invalidField('password', 'must be an argon2 PHC string when hashedPassword is set');
        passwordHash = body.password;
      } else {
        passwordHash = await deps.app.login.hash(body.password);
      }
    }
    const username = body.username.trim().toLowerCase();
    const address = body.address ?? (body.emptyAddress ? undefined : username.includes('@') ? username : `${username}@${deps.app.config.server.hostname}`);
    const user = await deps.app.store.accounts.createUser({
      username,
      passwordHash,
      name: body.name,
      address,
      quota: body.quota,
      tags: body.tags,
      requirePasswordChange: body.requirePasswordChange,
      settings: settingsFrom(body),
    });
    await deps.security.record(user.id, 'account created', 'success', audit(meta));
    return { success: true, id: user.id };
  },
});

const resolveUser = defineRoute({
  method: 'GET',
  path: '/users/resolve/:username',
  summary: 'Resolve a username or address to a user id',
  tags,
  params: z.object({ username: text(320, 1) }),
  response: z.object({ success: z.boolean(), id: z.string() }),
  async handler({ params, deps }) {
    const user = await deps.app.store.accounts.findUserForLogin(params.username);
    if (!user) throw new NotFoundError('user');
    return { success: true, id: user.id };
  },
});

const getUser = defineRoute({
  method: 'GET',
  path: '/users/:user',
  summary: 'Get a user',
  tags,
  params: userParams,
  response: userDetail,
  async handler({ params, deps }) {
    return detail(deps, await requireUser(deps, params.user));
  },
});

export const userRoutes = [listUsers, createUser, resolveUser, getUser];
