/** The archive of deleted (expunged) messages: listing and restore with a new UID. */
import { z } from 'zod';
import { addressFacts } from '../../mime/addresses.js';
import type { ArchivedMessage } from '../../storage/types.js';
import { defineRoute, type AnyRoute } from '../router.js';
import { addressOut, isoDate, objectId, pagedSchema, pagingFields } from '../schemas.js';
import { paged, pageOut, requireMailbox, requireUser, userParams } from './common.js';

const tags = ['Archive'];

const archivedItem = z.object({
  id: z.string().meta({ description: 'Archive entry id (for restore)' }),
  mailbox: z.string().meta({ description: 'Mailbox the message was deleted from' }),
  mailboxPath: z.string(),
  uid: z.number(),
  from: addressOut,
  subject: z.string(),
  intro: z.string(),
  idate: isoDate(),
  archived: isoDate(),
  size: z.number(),
  flags: z.array(z.string()),
  seen: z.boolean(),
  flagged: z.boolean(),
  draft: z.boolean(),
});

function view(a: ArchivedMessage): z.input<typeof archivedItem> {
  const from = addressFacts(a.from)[0];
  const has = (f: string) => a.flags.includes(f);
  return {
    id: a.id,
    mailbox: a.mailboxId,
    mailboxPath: a.mailboxPath,
    uid: a.uid,
    from: from ? { name: from.name, address: from.address } : { name: '', address: '' },
    subject: a.subject,
    intro: a.preview,
    idate: a.internalDate.toISOString(),
    archived: a.archived.toISOString(),
    size: a.size,
    flags: a.flags,
    seen: has('\\Seen'),
    flagged: has('\\Flagged'),
    draft: has('\\Draft'),
  };
}

function listRoute(path: string, summary: string): AnyRoute {
  return defineRoute({
    method: 'GET',
    path,
    summary,
    description: 'Always newest first: order is accepted for compatibility.',
    tags,
    params: userParams,
    query: z.object({ order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional(), ...pagingFields }),
    response: pagedSchema(archivedItem),
    async handler({ params, query, deps }) {
      await requireUser(deps, params.user);
      const page = await paged(query, (q) => deps.app.store.archive.list(params.user, q));
      return pageOut(page, query, view);
    },
  });
}

function restoreRoute(path: string): AnyRoute {
  return defineRoute({
    method: 'POST',
    path,
    summary: 'Restore an archived message with a new UID',
    tags,
    params: z.object({ user: objectId('user id'), message: objectId('archive entry id') }),
    body: z.object({ mailbox: objectId('mailbox id').optional().meta({ description: 'Target mailbox (default: where it was deleted from, else INBOX)' }) }),
    response: z.object({ success: z.boolean(), mailbox: z.string(), id: z.number().meta({ description: 'The new message id (UID)' }) }),
    async handler({ params, body, deps }) {
      await requireUser(deps, params.user);
      if (body.mailbox) await requireMailbox(deps, params.user, body.mailbox);
      const r = await deps.app.store.archive.restore(params.user, params.message, body.mailbox);
      return { success: true, mailbox: r.mailboxId, id: r.uid };
    },
  });
}

export const archiveRoutes = [
  listRoute('/users/:user/archived/messages', 'List archived (deleted) messages, newest first'),
  listRoute('/users/:user/archived', 'List archived messages (alias of /archived/messages)'),
  restoreRoute('/users/:user/archived/messages/:message/restore'),
  restoreRoute('/users/:user/archived/:message/restore'),
];
