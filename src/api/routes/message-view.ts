/**
 * Messages as WildDuck's API shows them: the listing entry (from the stored
 * record, no blob read) and the full view (decoded facts, HTML bodies read
 * from their byte ranges), plus attachment lookup and decoding.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { z } from 'zod';
import { decodeCharset } from '../../mime/charset.js';
import { createTransferDecoder } from '../../mime/decode.js';
import { decodeWords } from '../../mime/encoded-words.js';
import { listId, messageIds } from '../../mime/facts.js';
import { firstValue, parseHeaderBlock, type HeaderField } from '../../mime/headers.js';
import type { AddressFact, AttachmentFact, EnvelopeAddress, MimePart } from '../../mime/types.js';
import type { Store } from '../../storage/interface.js';
import type { MessageDetail, MessageRecord } from '../../storage/types.js';
import { addressOut } from '../schemas.js';

const contentTypeOut = z.object({ value: z.string(), params: z.record(z.string(), z.string()) });

export const messageListItem = z.object({
  id: z.number(),
  mailbox: z.string(),
  thread: z.string(),
  from: addressOut,
  to: z.array(addressOut),
  cc: z.array(addressOut),
  bcc: z.array(addressOut),
  messageId: z.string().nullable(),
  subject: z.string(),
  date: z.string().nullable(),
  idate: z.string(),
  intro: z.string(),
  attachments: z.boolean(),
  size: z.number(),
  seen: z.boolean(),
  deleted: z.boolean(),
  flagged: z.boolean(),
  draft: z.boolean(),
  answered: z.boolean(),
  forwarded: z.boolean(),
  flags: z.array(z.string()),
  references: z.array(z.string()),
  contentType: contentTypeOut,
});

export const attachmentOut = z.object({
  id: z.string().meta({ description: 'ATT00001, ATT00002, ... in message order' }),
  filename: z.string().nullable(),
  contentType: z.string(),
  disposition: z.string().nullable(),
  transferEncoding: z.string(),
  related: z.boolean().meta({ description: 'An inline resource referenced by Content-ID' }),
  cid: z.string().nullable(),
  size: z.number().meta({ description: 'Encoded size, bytes' }),
  sizeKb: z.number(),
});

export const messageDetail = messageListItem.extend({
  success: z.boolean(),
  user: z.string(),
  envelope: z.object({ from: z.string(), rcpt: z.array(z.object({ value: z.string(), formatted: z.string() })) }),
  replyTo: z.array(addressOut),
  list: z.object({ id: z.string() }).optional(),
  expires: z.string().optional(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })),
  text: z.string(),
  html: z.array(z.string()),
  attachments: z.array(attachmentOut),
  metaData: z.record(z.string(), z.unknown()),
});

function envelopeAddress(a: EnvelopeAddress): { name: string; address: string } | null {
  // Group markers and domain-less names have no host; neither is a mailbox to show.
  if (a.host === null || a.mailbox === null) return null;
  return { name: a.name ? decodeWords(a.name) : '', address: a.host === '' && a.mailbox === '' ? '' : `${a.mailbox}@${a.host}` };
}

function addresses(list: EnvelopeAddress[] | null): Array<{ name: string; address: string }> {
  return (list ?? []).map(envelopeAddress).filter((a): a is { name: string; address: string } => a !== null);
}

const factAddresses = (list: AddressFact[]) => list.map((a) => ({ name: a.name, address: a.address }));

function has(flags: readonly string[], flag: string): boolean {
  return flags.some((f) => f.toLowerCase() === flag.toLowerCase());
}

function contentType(root: MimePart): z.input<typeof contentTypeOut> {
  return { value: `${root.type}/${root.subtype}`, params: Object.fromEntries(root.params) };
}

function headerFields(record: MessageRecord): HeaderField[] {
  return parseHeaderBlock(record.prefix.length ? Buffer.concat([record.prefix, record.header]) : record.header);
}

export function listItem(record: MessageRecord): z.input<typeof messageListItem> {
  const env = record.envelope;
  const from = addresses(env.from)[0] ?? addresses(env.sender)[0] ?? { name: '', address: '' };
  const flags = record.flags;
  return {
    id: record.uid,
    mailbox: record.mailboxId,
    thread: record.threadId,
    from,
    to: addresses(env.to),
    cc: addresses(env.cc),
    bcc: addresses(env.bcc),
    messageId: record.messageId,
    subject: record.subject,
    date: record.sentDate ? record.sentDate.toISOString() : null,
    idate: record.internalDate.toISOString(),
    intro: record.preview,
    attachments: record.hasAttachments,
    size: record.size,
    seen: has(flags, '\\Seen'),
    deleted: has(flags, '\\Deleted'),
    flagged: has(flags, '\\Flagged'),
    draft: has(flags, '\\Draft'),
    answered: has(flags, '\\Answered') && !has(flags, '$Forwarded'),
    forwarded: has(flags, '$Forwarded'),
    flags,
    references: messageIds(firstValue(parseHeaderBlock(record.header), 'references')),
    contentType: contentType(record.mime),
  };
}

/** ATT00001 for the first attachment fact, and so on. */
export function attachmentId(index: number): string {
  return `ATT${String(index + 1).padStart(5, '0')}`;
}

export function attachmentIndex(id: string): number {
  return Number(id.slice(3)) - 1;
}

function attachmentView(a: AttachmentFact, i: number): z.input<typeof attachmentOut> {
  return {
    id: attachmentId(i),
    filename: a.filename,
    contentType: a.contentType,
    disposition: a.disposition,
    transferEncoding: a.encoding.toLowerCase(),
    related: a.contentId !== null && a.disposition !== 'attachment',
    cid: a.contentId,
    size: a.size,
    sizeKb: Math.ceil(a.size / 1024),
  };
}

/** The part with this IMAP path; the message/rfc822 part itself (not its embedded root) when both carry it. */
export function findPart(root: MimePart, path: string): MimePart | null {
  if (path === '1' && !root.children) return root;
  const walk = (part: MimePart): MimePart | null => {
    if (part.path === path) return part;
    for (const child of part.children ?? []) {
      const hit = walk(child);
      if (hit) return hit;
    }
    return part.message ? walk(part.message.root) : null;
  };
  return walk(root);
}

/** HTML bodies: text/html leaves that are not attachments and not inside attached messages. */
function htmlParts(root: MimePart, attachmentPaths: ReadonlySet<string>): MimePart[] {
  const out: MimePart[] = [];
  const walk = (part: MimePart): void => {
    if (part.children) {
      part.children.forEach(walk);
      return;
    }
    if (part.type === 'text' && part.subtype === 'html' && part.disposition?.type.toLowerCase() !== 'attachment' && !attachmentPaths.has(part.path)) {
      out.push(part);
    }
  };
  walk(root);
  return out;
}

/** Bytes of a part body, transfer-decoded, as a stream (attachments are never held whole). */
export function decodedPart(store: Store, record: MessageRecord, part: MimePart): Readable {
  const offset = record.prefix.length;
  const decoder = createTransferDecoder(part.encoding);
  const transform = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      done(null, decoder.write(chunk));
    },
    flush(done: TransformCallback) {
      done(null, decoder.end());
    },
  });
  const source = store.messages.open(record, part.bodyStart + offset, part.bodyEnd + offset);
  source.on('error', (err) => transform.destroy(err));
  return source.pipe(transform);
}

async function decodedText(store: Store, record: MessageRecord, part: MimePart): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of decodedPart(store, record, part) as AsyncIterable<Buffer>) chunks.push(c);
  const charset = part.params.find(([k]) => k === 'charset')?.[1] ?? null;
  return decodeCharset(Buffer.concat(chunks), charset);
}

function envelopeFromPrefix(fields: HeaderField[]): z.input<typeof messageDetail>['envelope'] {
  const strip = (v: string) => v.trim().replace(/^<|>$/g, '');
  const from = firstValue(fields, 'return-path');
  const rcpt = fields.filter((f) => f.key === 'delivered-to').map((f) => strip(f.value));
  return { from: from === null ? '' : strip(from), rcpt: rcpt.map((value) => ({ value, formatted: value.toLowerCase() })) };
}

export async function detailView(store: Store, userId: string, detail: MessageDetail): Promise<z.input<typeof messageDetail>> {
  const facts = detail.facts;
  const attachmentPaths = new Set(facts.attachments.map((a) => a.part));
  const html: string[] = [];
  for (const part of htmlParts(detail.mime, attachmentPaths)) html.push(await decodedText(store, detail, part));
  const fields = headerFields(detail);
  const prefixFields = detail.prefix.length ? parseHeaderBlock(Buffer.concat([detail.prefix, Buffer.from('\r\n')])) : [];
  const out: z.input<typeof messageDetail> = {
    ...listItem(detail),
    success: true,
    user: userId,
    envelope: envelopeFromPrefix(prefixFields),
    from: factAddresses(facts.from)[0] ?? factAddresses(facts.sender)[0] ?? { name: '', address: '' },
    replyTo: factAddresses(facts.replyTo),
    to: factAddresses(facts.to),
    cc: factAddresses(facts.cc),
    bcc: factAddresses(facts.bcc),
    subject: facts.subject,
    references: facts.references,
    headers: fields.map((f) => ({ key: f.key, value: f.value })),
    text: facts.text,
    html,
    attachments: facts.attachments.map(attachmentView),
    metaData: {},
  };
  const list = listId(firstValue(fields, 'list-id'));
  if (list) out.list = { id: list };
  if (detail.expires) out.expires = detail.expires.toISOString();
  return out;
}
