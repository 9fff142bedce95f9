/**
 * The decoded MessageFacts: which parts are attachments, which parts give
 * the message text, and the decoded header facts used by search, filters,
 * threading and the API list views.
 *
 * Attachment rules, applied to every non-multipart part in document order
 * (the order the scanner meets their headers):
 *  1. The signature of multipart/signed and the control part of
 *     multipart/encrypted (RFC 1847 §2.1, §2.2) are neither text nor
 *     attachments.
 *  2. Content-Disposition "attachment" → attachment.
 *  3. text/plain and text/html: body text, unless the part has a filename
 *     and is not the first text part of the message, in which case it is an
 *     attachment (a named .txt after the body).
 *  4. Anything else with a filename → attachment.
 *  5. Other text/* and message/* without a filename: neither.
 *  6. Every other leaf (image/*, application/*, audio/*, ...) → attachment.
 * hasAttachments ignores inline resources: listed parts with a Content-ID
 * whose disposition is not "attachment" (images of multipart/related).
 */
import type { AddressFact, AttachmentFact, MessageFacts, MimePart } from './types.js';
import { addressFacts } from './addresses.js';
import { parseMailDate } from './date.js';
import { decodeWords } from './encoded-words.js';
import { firstValue, type HeaderField } from './headers.js';
import { htmlToText } from './html-text.js';
import { paramValue } from './params.js';
import type { TextKind } from './text-collector.js';

export interface PartContext {
  /** IMAP part number of the part ("1" for a non-multipart root). */
  number: string;
  /** Subtype of the enclosing multipart, or null. */
  parentSubtype: string | null;
  /** 1-based position within the enclosing multipart. */
  index: number;
}

export interface Classification {
  attachment: AttachmentFact | null;
  collect: TextKind | null;
}

const NEITHER: Classification = { attachment: null, collect: null };

/** Filename from Content-Disposition, else Content-Type name (RFC 2183 §2.3); RFC 2047 words decoded. */
export function partFilename(part: MimePart): string | null {
  const raw = (part.disposition && paramValue(part.disposition.params, 'filename')) ?? paramValue(part.params, 'name');
  if (raw === null) return null;
  const name = (raw.includes('=?') ? decodeWords(raw) : raw).trim();
  return name === '' ? null : name;
}

export class PartClassifier {
  private seenText = false;

  classify(part: MimePart, ctx: PartContext): Classification {
    if (ctx.parentSubtype === 'signed' && ctx.index === 2) return NEITHER;
    if (ctx.parentSubtype === 'encrypted' && ctx.index === 1) return NEITHER;
    const disposition = part.disposition ? part.disposition.type.toLowerCase() : null;
    const filename = partFilename(part);
    const attachment = (): Classification => ({
      attachment: {
        part: ctx.number,
        filename,
        contentType: `${part.type}/${part.subtype}`,
        disposition,
        contentId: part.id,
        size: 0,
        encoding: part.encoding,
      },
      collect: null,
    });
    if (disposition === 'attachment') return attachment();
    if (part.type === 'text' && (part.subtype === 'plain' || part.subtype === 'html')) {
      if (filename !== null && this.seenText) return attachment();
      this.seenText = true;
      return { attachment: null, collect: part.subtype };
    }
    if (filename !== null) return attachment();
    if (part.type === 'text' || part.type === 'message' || part.type === 'multipart') return NEITHER;
    return attachment();
  }
}

export interface TextSegment {
  kind: TextKind;
  text: string;
}

/** Message-IDs ("<...>") in a header value, in order; bare "x@y" words when there are no brackets. */
export function messageIds(value: string | null): string[] {
  if (value === null) return [];
  const out: string[] = [];
  for (const m of value.matchAll(/<([^<>]*)>/g)) {
    const id = m[1]!.replace(/\s+/g, '');
    if (id !== '') out.push(`<${id}>`);
  }
  if (out.length === 0) {
    for (const w of value.split(/[\s,]+/)) if (w.includes('@')) out.push(`<${w.replace(/^<|>$/g, '')}>`);
  }
  return out;
}

/** List-Id (RFC 2919 §3): the id in angle brackets, or the value itself when it is one bare word. */
export function listId(value: string | null): string | null {
  if (value === null) return null;
  const m = /<([^<>]+)>/.exec(value);
  if (m) return m[1]!.trim();
  const v = value.trim();
  return v !== '' && !/\s/.test(v) ? v : null;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

function joinText(segments: readonly TextSegment[]): { text: string; kind: TextKind } {
  const plain = segments.filter((s) => s.kind === 'plain' && s.text.trim() !== '');
  const kind: TextKind = plain.length > 0 ? 'plain' : 'html';
  const chosen = kind === 'plain'
    ? plain.map((s) => s.text)
    : segments.filter((s) => s.kind === 'html').map((s) => htmlToText(s.text));
  const text = chosen
    .map((t) => t.replace(/^\n+/, '').trimEnd())
    .filter((t) => t !== '')
    .join('\n');
  return { text, kind };
}

export function makePreview(text: string, length = 200): string {
  return cut(text.slice(0, length * 8).replace(/\s+/g, ' ').trim(), length).trimEnd();
}

function attachedText(input: FactInput): string {
  const pieces = input.attachedSegments.map((s) => (s.kind === 'html' ? htmlToText(s.text) : s.text));
  for (const a of input.attachments) if (a.filename !== null) pieces.push(a.filename);
  return cut(pieces.join('\n'), input.maxText);
}

export interface FactInput {
  fields: readonly HeaderField[];
  attachments: AttachmentFact[];
  segments: readonly TextSegment[];
  /** Text parts inside attached messages. */
  attachedSegments: readonly TextSegment[];
  /** Max length of `text` in UTF-16 units. */
  maxText: number;
  /** Which text budgets ran out while collecting. */
  truncated: Record<TextKind, boolean>;
}

export function buildFacts(input: FactInput): MessageFacts {
  const v = (k: string): string | null => firstValue(input.fields, k);
  const addrs = (k: string): AddressFact[] => addressFacts(v(k));
  const joined = joinText(input.segments);
  let text = joined.text;
  let truncated = input.truncated[joined.kind];
  if (text.length > input.maxText) {
    text = cut(text, input.maxText);
    truncated = true;
  }
  const ids = messageIds(v('references'));
  return {
    subject: decodeWords(v('subject') ?? '').trim(),
    from: addrs('from'),
    sender: addrs('sender'),
    replyTo: addrs('reply-to'),
    to: addrs('to'),
    cc: addrs('cc'),
    bcc: addrs('bcc'),
    date: parseMailDate(v('date')),
    messageId: messageIds(v('message-id'))[0] ?? null,
    inReplyTo: messageIds(v('in-reply-to'))[0] ?? null,
    references: [...new Set(ids)],
    listId: listId(v('list-id')),
    hasAttachments: input.attachments.some((a) => a.contentId === null || a.disposition === 'attachment'),
    attachments: input.attachments,
    text,
    preview: makePreview(text),
    textTruncated: truncated,
    attachedText: attachedText(input),
  };
}
