/** Changing messages: flags, expiry, move, delete, and upload (raw, or built from JSON fields). */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import { NotFoundError } from '../../storage/errors.js';
import { spoolBuffer, spoolMessage } from '../../storage/ingest.js';
import type { Spooled } from '../../storage/ingest.js';
import type { FlagChange } from '../../storage/interface.js';
import type { Mailbox, User } from '../../storage/types.js';
import { ApiError, invalidField } from '../errors.js';
import { defineRoute, type ApiDeps } from '../router.js';
import { bool, date, metaData, objectId, successSchema, text } from '../schemas.js';
import { requireMailbox, requireUser } from './common.js';
import { uid } from './messages.js';
import { messageSpec, specRanges } from './search-query.js';

const tags = ['Messages'];
const boxParams = z.object({ user: objectId('user id'), mailbox: objectId('mailbox id') });

const update = defineRoute({
  method: 'PUT',
  path: '/users/:user/mailboxes/:mailbox/messages/:message',
  summary: 'Update flags or expiry, or move messages',
  description: '`:message` is a message id, a comma-separated list ("1,3,5") or a range ("2:9").',
  tags,
  params: boxParams.extend({ message: messageSpec() }),
  body: z.object({
    moveTo: objectId('mailbox id').optional().meta({ description: 'Move the messages to this mailbox' }),
    seen: bool().optional(),
    flagged: bool().optional(),
    draft: bool().optional(),
    deleted: bool().optional(),
    expires: z
      .union([date(), z.literal(false), z.literal('false')], { error: 'must be a date, or false to clear the expiry' })
      .optional(),
    metaData: metaData().optional(),
  }),
  response: z.object({
    success: z.boolean(),
    updated: z.number().optional(),
    mailbox: z.string().optional(),
    id: z.array(z.tuple([z.number(), z.number()])).optional().meta({ description: 'Moved messages: [source id, destination id] pairs' }),
  }),
  async handler({ params, body, deps }) {
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const store = deps.app.store.messages;
    const ranges = specRanges(params.message);
    const matched = await store.search(mailbox.id, { op: 'uid', ranges });
    if (matched.length === 0) throw new ApiError(404, 'MessageNotFound', 'No message matched');
    const target = body.moveTo ? await deps.app.store.mailboxes.getMailboxById(params.user, body.moveTo) : null;
    if (body.moveTo && !target) throw new NotFoundError('mailbox');
    const changes: Array<[boolean | undefined, string]> = [
      [body.seen, '\\Seen'],
      [body.flagged, '\\Flagged'],
      [body.draft, '\\Draft'],
      [body.deleted, '\\Deleted'],
    ];
    const add = changes.filter(([v]) => v === true).map(([, f]) => f);
    const remove = changes.filter(([v]) => v === false).map(([, f]) => f);
    const apply = async (change: FlagChange) => change.flags.length > 0 && (await store.updateFlags(mailbox.id, ranges, change));
    await apply({ mode: 'add', flags: add });
    await apply({ mode: 'remove', flags: remove });
    if (body.expires !== undefined) await store.setExpiry(mailbox.id, ranges, body.expires instanceof Date ? body.expires : null);
    if (target && target.id !== mailbox.id) {
      const moved = await store.move(mailbox.id, ranges, target.id);
      return { success: true, mailbox: target.id, id: moved.sourceUids.map((u, i): [number, number] => [u, moved.destinationUids[i]!]) };
    }
    return { success: true, updated: matched.length };
  },
});

const removeOne = defineRoute({
  method: 'DELETE',
  path: '/users/:user/mailboxes/:mailbox/messages/:message',
  summary: 'Delete a message (it stays restorable in the archive)',
  tags,
  params: boxParams.extend({ message: uid() }),
  response: successSchema,
  async handler({ params, deps }) {
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const result = await deps.app.store.messages.expunge(mailbox.id, { ranges: [[params.message, params.message]], onlyDeleted: false });
    if (result.uids.length === 0) throw new NotFoundError('message');
    return { success: true };
  },
});

const removeAll = defineRoute({
  method: 'DELETE',
  path: '/users/:user/mailboxes/:mailbox/messages',
  summary: 'Delete every message in a mailbox (into the archive)',
  tags,
  params: boxParams,
  response: z.object({ success: z.boolean(), deleted: z.number(), errors: z.number() }),
  async handler({ params, deps }) {
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const result = await deps.app.store.messages.expunge(mailbox.id, { onlyDeleted: false });
    return { success: true, deleted: result.uids.length, errors: 0 };
  },
});

const addressIn = z.object({ name: text(255).optional(), address: text(320, 1).refine((a) => /^[^\s@<>]+@[^\s@<>]+$/.test(a), { error: 'must be an email address' }) });

const uploadFlags = {
  date: date().optional().meta({ description: 'Internal date (default now)' }),
  unseen: bool().optional().meta({ description: 'Store without \\Seen (default: stored as seen, like WildDuck)' }),
  flagged: bool().optional(),
  draft: bool().optional(),
};

const uploadBody = z.object({
  raw: z.string().optional().meta({ description: 'The complete RFC 5322 message; alternatively send the message itself as message/rfc822' }),
  from: addressIn.optional(),
  replyTo: addressIn.optional(),
  to: z.array(addressIn).max(1000).optional(),
  cc: z.array(addressIn).max(1000).optional(),
  bcc: z.array(addressIn).max(1000).optional(),
  headers: z.array(z.object({ key: text(255, 1).regex(/^[\x21-\x39\x3b-\x7e]+$/, { error: 'must be a header field name' }), value: text(100 * 1024) })).max(100).optional(),
  subject: text(2048).optional(),
  text: text(1024 * 1024).optional(),
  html: text(1024 * 1024).optional(),
  attachments: z
    .array(
      z.object({
        filename: text(255).optional(),
        contentType: text(255).optional(),
        encoding: z.enum(['base64', 'utf-8', 'utf8', 'hex', 'binary'], { error: 'must be base64, utf-8, hex or binary' }).default('base64'),
        content: z.string(),
        cid: text(255).optional(),
      }),
    )
    .max(100)
    .optional(),
  metaData: metaData().optional(),
  ...uploadFlags,
});

type UploadInput = z.output<typeof uploadBody>;

async function compose(input: UploadInput, user: User): Promise<Buffer> {
  const header = (list: Array<{ name?: string | undefined; address: string }> | undefined) => list?.map((a) => ({ name: a.name ?? '', address: a.address }));
  const composer = new MailComposer({
    from: input.from ? { name: input.from.name ?? '', address: input.from.address } : user.address ? { name: user.name, address: user.address } : undefined,
    replyTo: input.replyTo ? { name: input.replyTo.name ?? '', address: input.replyTo.address } : undefined,
    to: header(input.to),
    cc: header(input.cc),
    bcc: header(input.bcc),
    subject: input.subject,
    text: input.text,
    html: input.html,
    date: input.date ?? new Date(),
    headers: input.headers,
    attachments: input.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content, a.encoding === 'utf-8' ? 'utf8' : a.encoding),
      cid: a.cid,
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  // A stored draft keeps its Bcc (nothing is sent from here).
  node.keepBcc = true;
  return node.build();
}

async function appendSpooled(deps: ApiDeps, mailbox: Mailbox, spooled: Spooled, flags: z.output<z.ZodObject<typeof uploadFlags>>) {
  const list = [...(flags.unseen ? [] : ['\\Seen']), ...(flags.flagged ? ['\\Flagged'] : []), ...(flags.draft ? ['\\Draft'] : [])];
  try {
    if (spooled.blob.size === 0) throw new ApiError(400, 'EmptyMessage', 'Empty message provided');
    return await deps.app.store.messages.append(mailbox.id, { blob: spooled.blob, parsed: spooled.parsed, flags: list, internalDate: flags.date });
  } finally {
    await deps.app.store.blobs.release(spooled.blob);
  }
}

const upload = defineRoute({
  method: 'POST',
  path: '/users/:user/mailboxes/:mailbox/messages',
  summary: 'Upload a message: raw (message/rfc822 body or `raw`) or built from fields',
  description: 'With a message/rfc822 body, date/unseen/flagged/draft go in the query string.',
  tags,
  params: boxParams,
  query: z.object(uploadFlags),
  body: uploadBody,
  rawBody: ['message/rfc822', 'application/octet-stream'],
  // JSON carries attachments in base64; a raw message gets exactly maxMessageSize.
  bodyLimit: (c) => Math.ceil((c.maxMessageSize * 4) / 3) + 65536,
  rawLimit: (c) => c.maxMessageSize,
  response: z.object({ success: z.boolean(), message: z.object({ id: z.number(), mailbox: z.string(), size: z.number() }) }),
  async handler({ params, query, body, deps, raw }) {
    const user = await requireUser(deps, params.user);
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const max = deps.config.maxMessageSize;
    let spooled: Spooled;
    let flags: z.output<z.ZodObject<typeof uploadFlags>> = body;
    if (raw) {
      flags = query;
      spooled = await spoolMessage(deps.app.store.blobs, raw, { maxSize: max + 1 });
    } else {
      const bytes = body.raw !== undefined ? Buffer.from(body.raw, 'utf8') : await compose(body, user);
      if (body.raw === undefined && !body.text && !body.html && !body.subject && !body.attachments?.length) {
        throw new ApiError(400, 'EmptyMessage', 'Give raw, or at least one of subject, text, html, attachments');
      }
      if (bytes.length > max) throw invalidField('raw', `message exceeds ${max} bytes`);
      spooled = await spoolBuffer(deps.app.store.blobs, bytes);
    }
    const result = await appendSpooled(deps, mailbox, spooled, flags);
    return { success: true, message: { id: result.uid, mailbox: result.mailboxId, size: result.size } };
  },
});

export const messageWriteRoutes = [update, removeOne, removeAll, upload];
