/** Autoreply (vacation responder) settings; the delivery pipeline applies RFC 3834. */
import { z } from 'zod';
import type { AutoreplyInput } from '../../filters/types.js';
import { invalidField } from '../errors.js';
import { defineRoute } from '../router.js';
import { bool, date, successSchema, text } from '../schemas.js';
import { iso, requireUser, userParams } from './common.js';

const tags = ['Autoreplies'];

/** A bound of the active window: a date, or false / "" for none. */
const bound = () =>
  z.union([z.literal(false).transform(() => null), z.literal('').transform(() => null), z.literal('false').transform(() => null), date()], {
    error: 'must be a date, or false for none',
  });

const autoreplyOut = z.object({
  success: z.boolean(),
  status: z.boolean(),
  name: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  message: z.string().meta({ description: 'Same as text (older WildDuck clients read this)' }),
  start: z.union([z.string(), z.literal(false)]),
  end: z.union([z.string(), z.literal(false)]),
  created: z.string().nullable(),
});

const getAutoreply = defineRoute({
  method: 'GET',
  path: '/users/:user/autoreply',
  summary: 'Get the autoreply settings',
  tags,
  params: userParams,
  response: autoreplyOut,
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    const a = await deps.app.store.autoreplies.get(params.user);
    return {
      success: true,
      status: a?.status ?? false,
      name: a?.name ?? '',
      subject: a?.subject ?? '',
      text: a?.text ?? '',
      html: a?.html ?? '',
      message: a?.text ?? '',
      start: a?.start ? a.start.toISOString() : (false as const),
      end: a?.end ? a.end.toISOString() : (false as const),
      created: iso(a?.created ?? null),
    };
  },
});

const putAutoreply = defineRoute({
  method: 'PUT',
  path: '/users/:user/autoreply',
  summary: 'Set the autoreply (fields not given keep their value)',
  tags,
  params: userParams,
  body: z.object({
    status: bool().optional().meta({ description: 'Enabled' }),
    name: text(128).optional().meta({ description: 'From name of the reply' }),
    subject: text(128).optional().meta({ description: 'Subject; empty: "Auto: <original subject>"' }),
    text: text(128 * 1024).optional(),
    html: text(128 * 1024).optional(),
    message: text(128 * 1024).optional().meta({ description: 'Older name of text' }),
    start: bound().optional(),
    end: bound().optional(),
  }),
  response: z.object({ success: z.boolean(), id: z.string() }),
  async handler({ params, body, deps }) {
    await requireUser(deps, params.user);
    const current = await deps.app.store.autoreplies.get(params.user);
    const start = body.start === undefined ? (current?.start ?? null) : body.start;
    const end = body.end === undefined ? (current?.end ?? null) : body.end;
    if (start && end && start > end) throw invalidField('end', 'must not be before start');
    const input: AutoreplyInput = {
      status: body.status,
      name: body.name,
      subject: body.subject,
      text: body.text ?? body.message,
      html: body.html,
      start: body.start,
      end: body.end,
    };
    await deps.app.store.autoreplies.set(params.user, input);
    return { success: true, id: params.user };
  },
});

const deleteAutoreply = defineRoute({
  method: 'DELETE',
  path: '/users/:user/autoreply',
  summary: 'Remove the autoreply',
  tags,
  params: userParams,
  response: successSchema,
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    await deps.app.store.autoreplies.delete(params.user);
    return { success: true };
  },
});

export const autoreplyRoutes = [getAutoreply, putAutoreply, deleteAutoreply];
