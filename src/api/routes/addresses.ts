/** Addresses: the global listing and a user's addresses (main flag, IDN normalised by storage). */
import { z } from 'zod';
import { CannotError, NotFoundError } from '../../storage/errors.js';
import type { Address } from '../../storage/types.js';
import { invalidField } from '../errors.js';
import { defineRoute } from '../router.js';
import { bool, createdSchema, isoDate, list, objectId, pagedSchema, pagingFields, successSchema, tag, text } from '../schemas.js';
import { paged, pageOut, requireUser, userParams } from './common.js';

const tags = ['Addresses'];
const addressParams = z.object({ user: objectId('user id'), address: objectId('address id') });

const addressItem = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  main: z.boolean(),
  tags: z.array(z.string()),
  created: isoDate(),
});

const globalItem = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  user: z.string(),
  forwarded: z.boolean(),
  forwardedDisabled: z.boolean(),
  tags: z.array(z.string()),
});

const view = (a: Address): z.input<typeof addressItem> => ({ id: a.id, name: '', address: a.address, main: a.main, tags: [], created: a.created.toISOString() });

/** WildDuck refuses these in user addresses: "+" is subaddressing, "*" a wildcard. */
function checkAddress(value: string): string {
  if (/[+*]/.test(value.split('@')[0] ?? '')) throw invalidField('address', 'must not contain + or *');
  return value;
}

const listAll = defineRoute({
  method: 'GET',
  path: '/addresses',
  summary: 'List addresses of all users',
  tags,
  query: z.object({ query: text(255).optional().meta({ description: 'Partial match of an address' }), ...pagingFields }),
  response: pagedSchema(globalItem).extend({ query: z.string() }),
  async handler({ query, deps }) {
    const page = await paged(query, (q) => deps.app.store.accounts.listAllAddresses({ ...q, query: query.query || undefined }));
    const out = pageOut(page, query, (a) => ({ id: a.id, name: '', address: a.address, user: a.userId, forwarded: false, forwardedDisabled: false, tags: [] }));
    return { ...out, query: query.query ?? '' };
  },
});

const listForUser = defineRoute({
  method: 'GET',
  path: '/users/:user/addresses',
  summary: "List a user's addresses",
  tags,
  params: userParams,
  response: z.object({ success: z.boolean(), results: z.array(addressItem) }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    return { success: true, results: (await deps.app.store.accounts.listAddresses(params.user)).map(view) };
  },
});

const create = defineRoute({
  method: 'POST',
  path: '/users/:user/addresses',
  summary: 'Add an address',
  description: 'IDN domains are accepted in either form and stored in Unicode; the domain is lowercased.',
  tags,
  params: userParams,
  body: z.object({
    address: text(320, 1),
    main: bool().optional().meta({ description: 'Make this the main address' }),
    name: text(128).optional(),
    tags: list(tag()).optional(),
  }),
  response: createdSchema,
  async handler({ params, body, deps }) {
    await requireUser(deps, params.user);
    const address = await deps.app.store.accounts.addAddress(params.user, checkAddress(body.address), { main: body.main });
    return { success: true, id: address.id };
  },
});

const getOne = defineRoute({
  method: 'GET',
  path: '/users/:user/addresses/:address',
  summary: 'Get one address',
  tags,
  params: addressParams,
  response: addressItem.extend({ success: z.boolean() }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    const a = await deps.app.store.accounts.getAddress(params.user, params.address);
    if (!a) throw new NotFoundError('address');
    return { success: true, ...view(a) };
  },
});

const update = defineRoute({
  method: 'PUT',
  path: '/users/:user/addresses/:address',
  summary: 'Change an address or make it the main one',
  tags,
  params: addressParams,
  body: z.object({ address: text(320, 1).optional(), main: bool().optional(), name: text(128).optional(), tags: list(tag()).optional() }),
  response: successSchema,
  async handler({ params, body, deps }) {
    await requireUser(deps, params.user);
    const store = deps.app.store.accounts;
    const current = await store.getAddress(params.user, params.address);
    if (!current) throw new NotFoundError('address');
    if (body.main === false && current.main) throw new CannotError('the main address cannot be unset; make another address main instead');
    if (body.address !== undefined) await store.renameAddress(params.user, params.address, checkAddress(body.address));
    if (body.main === true && !current.main) await store.setMainAddress(params.user, params.address);
    return { success: true };
  },
});

const remove = defineRoute({
  method: 'DELETE',
  path: '/users/:user/addresses/:address',
  summary: 'Delete an address (not the main one)',
  tags,
  params: addressParams,
  response: successSchema,
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    await deps.app.store.accounts.deleteAddress(params.user, params.address);
    return { success: true };
  },
});

export const addressRoutes = [listAll, listForUser, create, getOne, update, remove];
