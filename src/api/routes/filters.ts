/**
 * Filters: the delivery pipeline's rules. Accepts WildDuck's nested
 * `query`/`action` objects and its older flat `query_*`/`action_*` fields;
 * on update an empty string unsets a condition or action.
 */
import { z } from 'zod';
import type { Filter, FilterAction, FilterQuery } from '../../filters/types.js';
import { NotFoundError } from '../../storage/errors.js';
import { invalidField } from '../errors.js';
import { defineRoute, type ApiDeps } from '../router.js';
import { bool, createdSchema, int, isoDate, list, objectId, successSchema, text } from '../schemas.js';
import { isForwardTarget, requireUser, userParams } from './common.js';

const tags = ['Filters'];
const filterParams = z.object({ user: objectId('user id'), filter: objectId('filter id') });

/** '' means "unset" (null); anything else must pass `schema`. */
const clearable = <T extends z.ZodType>(schema: T) =>
  z.union([z.literal('').transform(() => null), schema]).optional();

const words = () => text(255).transform((s) => s.replace(/\s+/g, ' ').trim());
const target = () => text(512).refine(isForwardTarget, { error: 'must be an email address or an smtp(s)/http(s) URL' });

const queryFields = {
  from: clearable(words()),
  to: clearable(words()),
  subject: clearable(words()),
  listId: clearable(words()),
  text: clearable(words()),
  ha: clearable(bool()),
  size: clearable(int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
};
const actionFields = {
  seen: clearable(bool()),
  flag: clearable(bool()),
  delete: clearable(bool()),
  spam: clearable(bool()),
  mailbox: clearable(objectId('mailbox id')),
  targets: clearable(list(target(), 100)),
};
const QUERY_KEYS = Object.keys(queryFields) as Array<keyof FilterQuery>;
const ACTION_KEYS = Object.keys(actionFields) as Array<keyof FilterAction>;

const flat = Object.fromEntries([
  ...Object.entries(queryFields).map(([k, v]) => [`query_${k}`, v]),
  ...Object.entries(actionFields).map(([k, v]) => [`action_${k}`, v]),
  ['action_forward', actionFields.targets],
]) as Record<string, (typeof queryFields)[keyof typeof queryFields] | (typeof actionFields)[keyof typeof actionFields]>;

const filterBody = z.object({
  name: text(255).optional(),
  disabled: bool().optional(),
  query: z.object(queryFields).optional().meta({ description: 'Conditions; all given must match' }),
  action: z.object(actionFields).optional().meta({ description: 'What to do with a matching message' }),
  ...flat,
});
type FilterBody = z.output<typeof filterBody>;
type Patch<T> = { [K in keyof T]?: T[K] | null };

/** Nested and flat spellings folded together; flat wins, as it is the more specific form. */
function collect(body: FilterBody): { query: Patch<FilterQuery>; action: Patch<FilterAction> } {
  const fields = body as Record<string, unknown>;
  const query: Record<string, unknown> = {};
  const action: Record<string, unknown> = {};
  // null (an emptied field) is a value here: only undefined falls through to the next spelling.
  const first = (...values: unknown[]) => values.find((v) => v !== undefined);
  for (const key of QUERY_KEYS) {
    const v = first(fields[`query_${key}`], body.query?.[key]);
    if (v !== undefined) query[key] = v;
  }
  for (const key of ACTION_KEYS) {
    const v = first(fields[`action_${key}`], key === 'targets' ? fields.action_forward : undefined, body.action?.[key]);
    if (v !== undefined) action[key] = v;
  }
  return { query: query as Patch<FilterQuery>, action: action as Patch<FilterAction> };
}

function applyPatch<T extends object>(base: T, patch: Patch<T>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out as T;
}

async function checkMailbox(deps: ApiDeps, userId: string, action: FilterAction): Promise<void> {
  if (action.mailbox && !(await deps.app.store.mailboxes.getMailboxById(userId, action.mailbox))) throw new NotFoundError('mailbox');
}

const queryOut = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  subject: z.string().optional(),
  listId: z.string().optional(),
  text: z.string().optional(),
  ha: z.boolean().optional(),
  size: z.number().optional(),
});
const actionOut = z.object({
  seen: z.boolean().optional(),
  flag: z.boolean().optional(),
  delete: z.boolean().optional(),
  spam: z.boolean().optional(),
  mailbox: z.string().optional(),
  targets: z.array(z.string()).optional(),
});

function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${Math.round(v * 10) / 10} ${units[i]}`;
}

/** WildDuck's listing shows rules as readable phrases: [["from", "(alice)"]], [["mark as read"]]. */
function describe(filter: Filter, paths: Map<string, string>): { query: string[][]; action: string[][] } {
  const q = filter.query;
  const a = filter.action;
  const query: string[][] = [];
  for (const key of ['from', 'to', 'subject', 'listId'] as const) if (q[key]) query.push([key, `(${q[key]})`]);
  if (q.text) query.push(['text', `"${q.text}"`]);
  if (q.ha !== undefined) query.push([q.ha ? 'has attachment' : 'no attachments']);
  if (q.size) query.push([q.size > 0 ? 'larger' : 'smaller', humanSize(q.size)]);
  const action: string[][] = [];
  if (a.seen !== undefined) action.push([a.seen ? 'mark as read' : 'do not mark as read']);
  if (a.flag !== undefined) action.push([a.flag ? 'flag it' : 'do not flag it']);
  if (a.spam !== undefined) action.push([a.spam ? 'mark it as spam' : 'do not mark it as spam']);
  if (a.delete !== undefined) action.push([a.delete ? 'delete it' : 'do not delete it']);
  if (a.mailbox) action.push(['move to folder', paths.get(a.mailbox) ?? '[deleted mailbox]']);
  if (a.targets?.length) action.push(['forward to', a.targets.join(', ')]);
  return { query, action };
}

const listFilters = defineRoute({
  method: 'GET',
  path: '/users/:user/filters',
  summary: "List a user's filters (rules as readable phrases)",
  tags,
  params: userParams,
  response: z.object({
    success: z.boolean(),
    results: z.array(
      z.object({ id: z.string(), name: z.string(), query: z.array(z.array(z.string())), action: z.array(z.array(z.string())), disabled: z.boolean(), created: isoDate() }),
    ),
  }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    const paths = new Map((await deps.app.store.mailboxes.listMailboxes(params.user)).map((m) => [m.id, m.path]));
    const filters = await deps.app.store.filters.list(params.user);
    return {
      success: true,
      results: filters.map((f) => ({ id: f.id, name: f.name, ...describe(f, paths), disabled: f.disabled, created: f.created.toISOString() })),
    };
  },
});

const createFilter = defineRoute({
  method: 'POST',
  path: '/users/:user/filters',
  summary: 'Create a filter',
  tags,
  params: userParams,
  body: filterBody,
  response: createdSchema,
  async handler({ params, body, deps }) {
    await requireUser(deps, params.user);
    const patch = collect(body);
    const query = applyPatch<FilterQuery>({}, patch.query);
    const action = applyPatch<FilterAction>({}, patch.action);
    if (Object.keys(query).length === 0) throw invalidField('query', 'must have at least one condition');
    await checkMailbox(deps, params.user, action);
    const filter = await deps.app.store.filters.create(params.user, { name: body.name, query, action, disabled: body.disabled });
    return { success: true, id: filter.id };
  },
});

const getFilter = defineRoute({
  method: 'GET',
  path: '/users/:user/filters/:filter',
  summary: 'Get a filter',
  tags,
  params: filterParams,
  response: z.object({ success: z.boolean(), id: z.string(), name: z.string(), query: queryOut, action: actionOut, disabled: z.boolean(), created: isoDate() }),
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    const f = await deps.app.store.filters.get(params.user, params.filter);
    if (!f) throw new NotFoundError('filter');
    return { success: true, id: f.id, name: f.name, query: f.query, action: f.action, disabled: f.disabled, created: f.created.toISOString() };
  },
});

const updateFilter = defineRoute({
  method: 'PUT',
  path: '/users/:user/filters/:filter',
  summary: 'Update a filter ("" unsets a condition or action)',
  tags,
  params: filterParams,
  body: filterBody,
  response: successSchema,
  async handler({ params, body, deps }) {
    await requireUser(deps, params.user);
    const current = await deps.app.store.filters.get(params.user, params.filter);
    if (!current) throw new NotFoundError('filter');
    const patch = collect(body);
    const query = applyPatch(current.query, patch.query);
    const action = applyPatch(current.action, patch.action);
    if (Object.keys(query).length === 0) throw invalidField('query', 'must have at least one condition');
    await checkMailbox(deps, params.user, action);
    await deps.app.store.filters.update(params.user, params.filter, { name: body.name, query, action, disabled: body.disabled });
    return { success: true };
  },
});

const deleteFilter = defineRoute({
  method: 'DELETE',
  path: '/users/:user/filters/:filter',
  summary: 'Delete a filter',
  tags,
  params: filterParams,
  response: successSchema,
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    await deps.app.store.filters.delete(params.user, params.filter);
    return { success: true };
  },
});

export const filterRoutes = [listFilters, createFilter, getFilter, updateFilter, deleteFilter];
