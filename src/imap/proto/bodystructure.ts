/**
 * BODY and BODYSTRUCTURE rendering (RFC 3501 §7.4.2, §9 `body`) from the MIME
 * scanner's MimePart tree.
 *
 * Case: RFC 3501 treats these strings case-insensitively. Dovecot writes type,
 * subtype and parameters as they appear in the message; the scanner contract
 * (src/mime/types.ts) hands us type/subtype and parameter names lower-cased
 * and the encoding upper-cased, and we write them exactly as handed over
 * (e.g. `("text" "plain" ("charset" "utf-8") NIL NIL "7BIT" 12 1)`), which
 * matches Dovecot for the usual lower-case headers.
 *
 * Like Dovecot, a text/* part without a charset parameter gets
 * `("charset" "us-ascii")` (the RFC 2045 §5.2 default), and a multipart with
 * no children gets one empty text/plain child, since `1*body` cannot be empty.
 * Parameters keep RFC 2231 encoding, sections joined (body-params.ts), and
 * body-fld-lines counts line breaks, both as Dovecot sends them.
 */
import type { Disposition, MimePart } from '../../mime/types.js';
import { bodyParams } from './body-params.js';
import { EMPTY_ENVELOPE, envelopeValue } from './envelope.js';
import { concat, type ImapValue } from './values.js';

const EMPTY_TEXT_PART: MimePart = {
  path: '',
  headerStart: 0,
  bodyStart: 0,
  bodyEnd: 0,
  type: 'text',
  subtype: 'plain',
  params: [],
  id: null,
  description: null,
  encoding: '7BIT',
  size: 0,
  lines: 0,
  md5: null,
  disposition: null,
  language: null,
  location: null,
};

function paramsValue(params: ReadonlyArray<readonly [string, string]>): ImapValue {
  if (params.length === 0) return null;
  return params.flatMap(([name, value]) => [name, value]);
}

function contentTypeParams(part: MimePart): ImapValue {
  const params = bodyParams(part.params, part.rawParams);
  const hasCharset = params.some(([name]) => name.toLowerCase() === 'charset');
  if (part.type.toLowerCase() === 'text' && !hasCharset) {
    return paramsValue([...params, ['charset', 'us-ascii']]);
  }
  return paramsValue(params);
}

/** `body-fld-dsp = "(" string SP body-fld-param ")" / nil`. */
function dispositionValue(disposition: Disposition | null): ImapValue {
  if (disposition === null) return null;
  return [disposition.type, paramsValue(bodyParams(disposition.params, disposition.rawParams))];
}

/** `body-fld-lang`: always the list form when present, as Dovecot does. */
function languageValue(language: readonly string[] | null): ImapValue {
  if (language === null || language.length === 0) return null;
  return [...language];
}

function isMessagePart(part: MimePart): boolean {
  // IMAP4rev1 `media-message` is message/rfc822 only (RFC 3501 §9). RFC 9051 adds message/global, but an
  // IMAP4rev1 client (imapflow, Thunderbird) parses the envelope/body/lines that would follow as extension
  // data, so message/global is described as a basic part, as Dovecot does.
  return part.type.toLowerCase() === 'message' && part.subtype.toLowerCase() === 'rfc822';
}

/** body-fld-lines: line breaks in the body, as Dovecot counts them (records stored before lineBreaks existed use lines). */
function linesValue(part: MimePart): number {
  return part.lineBreaks ?? part.lines ?? 0;
}

function singlePartValue(part: MimePart, extended: boolean): ImapValue[] {
  const fields: ImapValue[] = [
    part.type,
    part.subtype,
    contentTypeParams(part),
    part.id,
    part.description,
    part.encoding,
    part.size,
  ];
  if (isMessagePart(part)) {
    // A message part always carries envelope, body and lines; without a parsed embedded message, an empty one.
    const embedded = part.message;
    fields.push(
      envelopeValue(embedded?.envelope ?? EMPTY_ENVELOPE),
      bodyStructureValue(embedded?.root ?? EMPTY_TEXT_PART, extended),
      linesValue(part),
    );
  } else if (part.type.toLowerCase() === 'text') {
    fields.push(linesValue(part));
  }
  if (extended) {
    fields.push(part.md5, dispositionValue(part.disposition), languageValue(part.language), part.location);
  }
  return fields;
}

function multipartValue(part: MimePart, extended: boolean): ImapValue[] {
  const children = part.children !== undefined && part.children.length > 0 ? part.children : [EMPTY_TEXT_PART];
  const fields: ImapValue[] = [concat(children.map((child) => bodyStructureValue(child, extended))), part.subtype];
  if (extended) {
    fields.push(
      paramsValue(part.params),
      dispositionValue(part.disposition),
      languageValue(part.language),
      part.location,
    );
  }
  return fields;
}

/**
 * The `body` production for `part`: BODYSTRUCTURE when `extended`, else the
 * non-extensible BODY form. Serialise with the writer (strings choose quoted
 * or literal by content).
 */
export function bodyStructureValue(part: MimePart, extended: boolean): ImapValue {
  return part.type.toLowerCase() === 'multipart' ? multipartValue(part, extended) : singlePartValue(part, extended);
}

/** FETCH BODYSTRUCTURE. */
export function bodyStructure(root: MimePart): ImapValue {
  return bodyStructureValue(root, true);
}

/** FETCH BODY (no extension data). */
export function bodyNonExtensible(root: MimePart): ImapValue {
  return bodyStructureValue(root, false);
}
