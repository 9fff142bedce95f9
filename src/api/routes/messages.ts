/** Reading messages: listing, search, the full view, raw bytes, attachments. */
import { z } from 'zod';
import { NotFoundError } from '../../storage/errors.js';
import type { MessageQuery } from '../../storage/query.js';
import { ApiError } from '../errors.js';
import { defineRoute, RawReply, type ApiDeps } from '../router.js';
import { bool, int, objectId, pagedSchema, pagingFields, text } from '../schemas.js';
import { paged, pageOut, requireMailbox, requireUser, userParams } from './common.js';
import { attachmentIndex, decodedPart, detailView, findPart, listItem, messageDetail, messageListItem } from './message-view.js';
import { buildSearch, searchFields } from './search-query.js';

const tags = ['Messages'];
export const uid = () => int(1, 4294967295).meta({ description: 'Message id (the IMAP UID)' });
const messageParams = z.object({ user: objectId('user id'), mailbox: objectId('mailbox id'), message: uid() });

async function record(deps: ApiDeps, params: z.output<typeof messageParams>) {
  const mailbox = await requireMailbox(deps, params.user, params.mailbox);
  const [rec] = await deps.app.store.messages.getRecords(mailbox.id, [params.message]);
  if (!rec) throw new NotFoundError('message');
  return rec;
}

const list = defineRoute({
  method: 'GET',
  path: '/users/:user/mailboxes/:mailbox/messages',
  summary: 'List messages in a mailbox',
  tags,
  params: z.object({ user: objectId('user id'), mailbox: objectId('mailbox id') }),
  query: z.object({
    unseen: bool().optional().meta({ description: 'Only unseen messages' }),
    order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc').meta({ description: 'By arrival time' }),
    metaData: bool().optional(),
    threadCounters: bool().optional(),
    ...pagingFields,
  }),
  response: pagedSchema(messageListItem).extend({ specialUse: z.string().nullable() }),
  async handler({ params, query, deps }) {
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const q: MessageQuery = query.unseen ? { op: 'flag', flag: '\\Seen', present: false } : { op: 'all' };
    const page = await paged(query, (p) => deps.app.store.messages.searchUser(params.user, q, { ...p, mailboxId: mailbox.id, order: query.order }));
    return { ...pageOut(page, query, listItem), specialUse: mailbox.specialUse };
  },
});

const search = defineRoute({
  method: 'GET',
  path: '/users/:user/search',
  summary: "Search a user's messages",
  description: 'Every given criterion must match; `or` holds alternatives. Newest first.',
  tags,
  params: userParams,
  query: z.object({ ...searchFields, ...pagingFields, threadCounters: bool().optional() }),
  response: pagedSchema(messageListItem).extend({ query: z.string() }),
  async handler({ params, query, deps }) {
    await requireUser(deps, params.user);
    if (query.mailbox) await requireMailbox(deps, params.user, query.mailbox);
    const page = await paged(query, (p) => deps.app.store.messages.searchUser(params.user, buildSearch(query), { ...p, mailboxId: query.mailbox }));
    return { ...pageOut(page, query, listItem), query: query.query ?? '' };
  },
});

const getOne = defineRoute({
  method: 'GET',
  path: '/users/:user/mailboxes/:mailbox/messages/:message',
  summary: 'Get a message: headers, addresses, text and HTML bodies, attachment list',
  tags,
  params: messageParams,
  query: z.object({
    markAsSeen: bool().optional().meta({ description: 'Set \\Seen while reading' }),
    replaceCidLinks: bool().optional().meta({ description: 'Accepted for compatibility; cid: links are left as they are' }),
  }),
  response: messageDetail,
  async handler({ params, query, deps }) {
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const store = deps.app.store;
    if (query.markAsSeen) await store.messages.updateFlags(mailbox.id, [[params.message, params.message]], { mode: 'add', flags: ['\\Seen'] });
    const detail = await store.messages.getDetail(mailbox.id, params.message);
    if (!detail) throw new NotFoundError('message');
    return detailView(store, params.user, detail);
  },
});

const raw = defineRoute({
  method: 'GET',
  path: '/users/:user/mailboxes/:mailbox/messages/:message/message.eml',
  summary: 'Get the message exactly as stored (RFC 5322 bytes)',
  tags,
  params: messageParams,
  produces: 'message/rfc822',
  async handler({ params, deps }) {
    const rec = await record(deps, params);
    return new RawReply(deps.app.store.messages.open(rec), 'message/rfc822', { 'Content-Length': String(rec.size) });
  },
});

/** A Content-Type we are willing to echo: type/subtype tokens only (RFC 2045 §5.1), else octet-stream. */
function safeType(value: string): string {
  return /^[a-z0-9!#$&^_.+-]{1,127}\/[a-z0-9!#$&^_.+-]{1,127}$/i.test(value) ? value.toLowerCase() : 'application/octet-stream';
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 8187). */
function disposition(filename: string | null): string {
  if (!filename) return 'attachment';
  const clean = filename.replace(/[\x00-\x1f\x7f"\\]/g, '').slice(0, 255);
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

const attachment = defineRoute({
  method: 'GET',
  path: '/users/:user/mailboxes/:mailbox/messages/:message/attachments/:attachment',
  summary: 'Download an attachment, transfer-decoded, with its content type',
  tags,
  params: messageParams.extend({
    attachment: text(16)
      .regex(/^ATT\d{1,6}$/i, { error: 'must be an attachment id like ATT00001' })
      .transform((s) => s.toUpperCase()),
  }),
  produces: 'application/octet-stream',
  async handler({ params, deps }) {
    const mailbox = await requireMailbox(deps, params.user, params.mailbox);
    const detail = await deps.app.store.messages.getDetail(mailbox.id, params.message);
    if (!detail) throw new NotFoundError('message');
    const fact = detail.facts.attachments[attachmentIndex(params.attachment)];
    const part = fact ? findPart(detail.mime, fact.part) : null;
    if (!fact || !part) throw new ApiError(404, 'AttachmentNotFound', 'This attachment does not exist');
    return new RawReply(decodedPart(deps.app.store, detail, part), safeType(fact.contentType), { 'Content-Disposition': disposition(fact.filename) });
  },
});

export const messageReadRoutes = [list, search, getOne, raw, attachment];
