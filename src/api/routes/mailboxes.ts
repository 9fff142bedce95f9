/** Mailboxes: listing with counters, create (parents too), get, rename/update, delete. */
import { z } from 'zod';
import { CannotError, NotFoundError } from '../../storage/errors.js';
import type { Mailbox } from '../../storage/types.js';
import { defineRoute, type ApiDeps } from '../router.js';
import { bool, createdSchema, objectId, size, successSchema, text } from '../schemas.js';
import { mailboxParams, requireMailbox, requireUser, userParams } from './common.js';

const tags = ['Mailboxes'];

/** '/'-separated path without empty segments (storage checks the rest: length, control characters). */
const mailboxPath = () =>
  text(1024, 1)
    .refine((p) => !/\/{2,}|^\/|\/$/.test(p), { error: 'must not start or end with / or contain //' })
    .meta({ description: 'Full path with / as the separator, e.g. "Projects/2026"' });

const mailboxItem = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  specialUse: z.string().nullable(),
  modifyIndex: z.number(),
  subscribed: z.boolean(),
  hidden: z.boolean(),
  retention: z.number().optional(),
  total: z.number(),
  unseen: z.number(),
  size: z.number(),
});

async function view(deps: ApiDeps, m: Mailbox): Promise<z.input<typeof mailboxItem>> {
  const c = await deps.app.store.mailboxes.counters(m.id);
  const item: z.input<typeof mailboxItem> = {
    id: m.id,
    name: m.path.split('/').pop()!,
    path: m.path,
    specialUse: m.specialUse,
    modifyIndex: c.highestModseq,
    subscribed: m.subscribed,
    hidden: false,
    total: c.messages,
    unseen: c.unseen,
    size: c.size,
  };
  if (m.retention) item.retention = m.retention;
  return item;
}

/** INBOX first, then its children, then the rest by path (WildDuck's order). */
function byPath(a: Mailbox, b: Mailbox): number {
  const rank = (m: Mailbox) => (m.path === 'INBOX' ? 0 : m.path.startsWith('INBOX/') ? 1 : 2);
  return rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

const list = defineRoute({
  method: 'GET',
  path: '/users/:user/mailboxes',
  summary: "List a user's mailboxes with counters",
  tags,
  params: userParams,
  query: z.object({
    specialUse: bool().optional().meta({ description: 'Only INBOX and special-use mailboxes' }),
    showHidden: bool().optional(),
    counters: bool().optional().meta({ description: 'Accepted for compatibility: counters are always included' }),
    sizes: bool().optional().meta({ description: 'Accepted for compatibility: sizes are always included' }),
  }),
  response: z.object({ success: z.boolean(), results: z.array(mailboxItem) }),
  async handler({ params, query, deps }) {
    await requireUser(deps, params.user);
    let boxes = (await deps.app.store.mailboxes.listMailboxes(params.user)).sort(byPath);
    if (query.specialUse) boxes = boxes.filter((m) => m.path === 'INBOX' || m.specialUse);
    return { success: true, results: await Promise.all(boxes.map((m) => view(deps, m))) };
  },
});

const create = defineRoute({
  method: 'POST',
  path: '/users/:user/mailboxes',
  summary: 'Create a mailbox (missing parents are created)',
  tags,
  params: userParams,
  body: z.object({
    path: mailboxPath(),
    retention: size().optional().meta({ description: 'Retention for messages stored here, ms (0 keeps forever)' }),
    hidden: bool().optional(),
  }),
  response: createdSchema,
  async handler({ params, body, deps }) {
    await requireUser(deps, params.user);
    const m = await deps.app.store.mailboxes.createMailbox(params.user, body.path, { retention: body.retention });
    return { success: true, id: m.id };
  },
});

const getOne = defineRoute({
  method: 'GET',
  path: '/users/:user/mailboxes/:mailbox',
  summary: 'Get a mailbox (or resolve a path: mailbox=resolve&path=...)',
  tags,
  params: z.object({ user: objectId('user id'), mailbox: z.union([objectId('mailbox id'), z.literal('resolve')], { error: 'must be a mailbox id or "resolve"' }) }),
  query: z.object({ path: mailboxPath().optional() }),
  response: mailboxItem.extend({ success: z.boolean() }),
  async handler({ params, query, deps }) {
    await requireUser(deps, params.user);
    let m: Mailbox | null;
    if (params.mailbox === 'resolve') {
      if (!query.path) throw new NotFoundError('mailbox');
      m = await deps.app.store.mailboxes.getMailbox(params.user, query.path);
    } else {
      m = await deps.app.store.mailboxes.getMailboxById(params.user, params.mailbox);
    }
    if (!m) throw new NotFoundError('mailbox');
    return { success: true, ...(await view(deps, m)) };
  },
});

const update = defineRoute({
  method: 'PUT',
  path: '/users/:user/mailboxes/:mailbox',
  summary: 'Rename (with children) or update a mailbox',
  description: 'INBOX cannot be renamed here; renaming into INBOX or an existing path is refused.',
  tags,
  params: mailboxParams,
  body: z.object({ path: mailboxPath().optional(), retention: size().optional(), subscribed: bool().optional(), hidden: bool().optional() }),
  response: successSchema,
  async handler({ params, body, deps }) {
    const m = await requireMailbox(deps, params.user, params.mailbox);
    const store = deps.app.store.mailboxes;
    if (body.path !== undefined && body.path !== m.path) {
      if (m.path === 'INBOX') throw new CannotError('INBOX cannot be renamed');
      await store.renameMailbox(params.user, m.id, body.path);
    }
    if (body.retention !== undefined || body.subscribed !== undefined) {
      await store.updateMailbox(params.user, m.id, { retention: body.retention, subscribed: body.subscribed });
    }
    return { success: true };
  },
});

const remove = defineRoute({
  method: 'DELETE',
  path: '/users/:user/mailboxes/:mailbox',
  summary: 'Delete a mailbox (its messages go to the archive)',
  description: 'INBOX and special-use mailboxes (Sent, Trash, ...) cannot be deleted.',
  tags,
  params: mailboxParams,
  response: successSchema,
  async handler({ params, deps }) {
    const m = await requireMailbox(deps, params.user, params.mailbox);
    if (m.path === 'INBOX') throw new CannotError('INBOX cannot be deleted');
    if (m.specialUse) throw new CannotError(`special-use mailboxes (${m.specialUse}) cannot be deleted`);
    await deps.app.store.mailboxes.deleteMailbox(params.user, m.id);
    return { success: true };
  },
});

export const mailboxRoutes = [list, create, getOne, update, remove];
