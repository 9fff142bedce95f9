/**
 * Header fields → the MIME fields of a MimePart (RFC 2045, RFC 2183,
 * RFC 3282, RFC 2557) and the ENVELOPE of a message (RFC 3501 §7.4.2).
 */
import type { Envelope, EnvelopeAddress, MimePart } from './types.js';
import { envelopeAddresses } from './addresses.js';
import { firstField, firstValue, type RawHeaderField } from './headers.js';
import {
  paramValue,
  parseContentType,
  parseDisposition,
  parseEncoding,
  parseLanguageList,
} from './params.js';

export type DefaultType = 'text/plain' | 'message/rfc822';

export function newPart(path: string, headerStart: number): MimePart {
  return {
    path,
    headerStart,
    bodyStart: headerStart,
    bodyEnd: headerStart,
    type: 'text',
    subtype: 'plain',
    params: [],
    rawParams: [],
    id: null,
    description: null,
    encoding: '7BIT',
    size: 0,
    lines: null,
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
}

export function emptyEnvelope(): Envelope {
  return {
    date: null,
    subject: null,
    from: null,
    sender: null,
    replyTo: null,
    to: null,
    cc: null,
    bcc: null,
    inReplyTo: null,
    messageId: null,
  };
}

function nonEmpty(v: string | null): string | null {
  return v === null || v === '' ? null : v;
}

export interface AppliedHeader {
  /** Boundary bytes of a multipart, or null. */
  boundary: Buffer | null;
  /** Problem worth a warning, or null. */
  problem: string | null;
}

/** Fills the MIME fields of `part` from its header. Missing fields take the RFC 2045 defaults. */
export function applyPartHeader(part: MimePart, fields: readonly RawHeaderField[], defaultType: DefaultType): AppliedHeader {
  const ctField = firstField(fields, 'content-type');
  const [defType, defSub] = defaultType === 'message/rfc822' ? ['message', 'rfc822'] : ['text', 'plain'];
  let problem: string | null = null;
  part.type = defType;
  part.subtype = defSub;
  part.params = [];
  part.rawParams = [];
  if (ctField !== null) {
    const ct = parseContentType(ctField.value);
    part.params = ct.params;
    part.rawParams = ct.rawParams;
    if (ct.valid) {
      part.type = ct.type;
      part.subtype = ct.subtype;
    } else if (ctField.value !== '') {
      // RFC 2045 §5.2: an unreadable Content-Type means the default type.
      problem = `invalid Content-Type "${ctField.value.slice(0, 80)}"`;
    }
  }
  part.id = nonEmpty(firstValue(fields, 'content-id'));
  part.description = nonEmpty(firstValue(fields, 'content-description'));
  part.md5 = nonEmpty(firstValue(fields, 'content-md5'));
  part.location = nonEmpty(firstValue(fields, 'content-location'));
  part.encoding = parseEncoding(firstValue(fields, 'content-transfer-encoding'));
  const disp = firstValue(fields, 'content-disposition');
  const parsedDisp = disp === null ? null : parseDisposition(disp);
  part.disposition = parsedDisp === null
    ? null
    : { type: parsedDisp.type, params: parsedDisp.params, rawParams: parsedDisp.rawParams };
  const lang = firstValue(fields, 'content-language');
  part.language = lang === null ? null : parseLanguageList(lang);

  let boundary: Buffer | null = null;
  if (part.type === 'multipart' && ctField !== null) {
    const b = paramValue(part.params, 'boundary');
    // The bytes must match the body's bytes, so undo the header decoding exactly.
    if (b !== null && b !== '') boundary = Buffer.from(b, ctField.latin1 ? 'latin1' : 'utf8');
  }
  return { boundary, problem };
}

function copyList(list: EnvelopeAddress[] | null): EnvelopeAddress[] | null {
  return list === null ? null : list.map((a) => ({ ...a }));
}

/** RFC 3501 §7.4.2: Sender and Reply-To default to From when absent or empty. */
export function buildEnvelope(fields: readonly RawHeaderField[]): Envelope {
  const v = (k: string): string | null => firstValue(fields, k);
  const from = envelopeAddresses(v('from'));
  return {
    date: v('date'),
    subject: v('subject'),
    from,
    sender: envelopeAddresses(v('sender')) ?? copyList(from),
    replyTo: envelopeAddresses(v('reply-to')) ?? copyList(from),
    to: envelopeAddresses(v('to')),
    cc: envelopeAddresses(v('cc')),
    bcc: envelopeAddresses(v('bcc')),
    inReplyTo: v('in-reply-to'),
    messageId: v('message-id'),
  };
}
