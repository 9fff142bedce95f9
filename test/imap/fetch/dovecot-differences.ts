/**
 * The deliberate differences from Dovecot that the corpus comparison
 * accepts: per message, the recorded items that differ and why. Each `doc`
 * names the section of docs/IMAP-COMPAT.md that explains it.
 *
 * Not listed, because the comparison applies them to every answer:
 * `mime-case` (Dovecot repeats the case of type, subtype, parameter names,
 * encoding and disposition type as written; Eider sends them lower-cased,
 * the encoding upper-cased) and `field-name-case` (Dovecot upper-cases the
 * field names of HEADER.FIELDS in the response item name; Eider echoes the
 * client's spelling). Quoted string versus literal is not a difference.
 */
export interface Difference {
  /** Corpus message name (file name without `.eml`). */
  readonly message: string;
  /** The recorded items that differ, exactly as sent; `*` for every item of the message (at least one must differ). */
  readonly items: readonly string[] | '*';
  /** Heading in docs/IMAP-COMPAT.md. */
  readonly doc: string;
  readonly why: string;
}

const WHOLE = ['BINARY.PEEK[]', 'BINARY.SIZE[]'];
const COMPOSITE = 'BINARY of a multipart or message part';
const COMPOSITE_WHY = 'sent as stored; Dovecot rewrites every nested part decoded, with "Content-Transfer-Encoding: binary"';

export const DIFFERENCES: readonly Difference[] = [
  ...['02-alternative-qp', '03-mixed-attachments', '09-rfc2231-params', '17-pgp-signed', '19-inline-image-split-text'].map(
    (message): Difference => ({ message, items: WHOLE, doc: COMPOSITE, why: COMPOSITE_WHY }),
  ),
  { message: '04-related-inline-image', items: [...WHOLE, 'BINARY.PEEK[2]', 'BINARY.SIZE[2]'], doc: COMPOSITE, why: COMPOSITE_WHY },
  {
    message: '22-deep-nesting',
    items: [...WHOLE, 'BINARY.PEEK[2]', 'BINARY.SIZE[2]', 'BINARY.PEEK[2.2]', 'BINARY.SIZE[2.2]'],
    doc: COMPOSITE,
    why: COMPOSITE_WHY,
  },
  {
    message: '11-missing-close-boundary',
    items: [...WHOLE, 'BINARY.SIZE[1]', 'BINARY.PEEK[2]', 'BINARY.SIZE[2]'],
    doc: 'BINARY of damaged base64',
    why: 'decoded leniently (RFC 2045 §6.8); Dovecot answers NO [PARSE] for every part of the message',
  },
  {
    message: '13-malformed-mixed',
    items: [...WHOLE, 'BINARY.SIZE[1]', 'BINARY.SIZE[2]', 'BINARY.SIZE[3]', 'BINARY.SIZE[4]', 'BINARY.PEEK[5]', 'BINARY.SIZE[5]'],
    doc: 'BINARY of damaged base64',
    why: 'decoded leniently (RFC 2045 §6.8); Dovecot answers NO [PARSE] for every part of the message',
  },
  {
    message: '21-case-and-2231-edge',
    items: [...WHOLE, 'BINARY.SIZE[1]', 'BINARY.SIZE[2]', 'BINARY.SIZE[4]'],
    doc: 'UNKNOWN-CTE is per part',
    why: 'only the x-uuencode part is refused; Dovecot refuses BINARY.SIZE of every part and BINARY[] of the message',
  },
  {
    message: '14-bare-lf',
    items: '*',
    doc: 'Bare LF messages',
    why: 'served byte for byte as stored; Dovecot converts LF to CRLF, so every size and section differs',
  },
  {
    message: '13-malformed-mixed',
    items: ['BODYSTRUCTURE', 'BODY'],
    doc: 'Invalid Content-Type',
    why: '"Content-Type: text" is text/plain (RFC 2045 §5.2); Dovecot sends type "text", subtype ""',
  },
  {
    message: '13-malformed-mixed',
    items: ['BODY.PEEK[2.MIME]'],
    doc: 'Part header without a blank line',
    why: 'the MIME header of a part whose header runs into the next boundary keeps its last line break',
  },
  {
    message: '18-header-only',
    items: ['BODY.PEEK[HEADER.FIELDS.NOT (FROM SUBJECT)]'],
    doc: 'HEADER.FIELDS of a message without a blank line',
    why: 'the subset always ends with a line break and the blank line; Dovecot ends HEADER.FIELDS.NOT mid-line',
  },
  {
    message: '20-calendar-and-global',
    items: ['BODY.PEEK[1]', 'BODY.PEEK[1]<2.1000000>', 'BINARY.PEEK[1]', 'BINARY.SIZE[1]'],
    doc: 'End of a nested multipart',
    why: 'the line break after a close delimiter that an outer boundary follows belongs to that boundary (RFC 2046 §5.1.1)',
  },
  {
    message: '22-deep-nesting',
    items: ['BODY.PEEK[2.2]'],
    doc: 'End of a nested multipart',
    why: 'the line break after a close delimiter that an outer boundary follows belongs to that boundary (RFC 2046 §5.1.1)',
  },
  {
    message: '22-deep-nesting',
    items: ['BODYSTRUCTURE', 'BODY', 'BODY.PEEK[3]', 'BINARY.PEEK[3]', 'BINARY.SIZE[3]'],
    doc: 'Encoded message/rfc822 parts',
    why: 'a base64 message/rfc822 part ends before the boundary\'s line break and BINARY decodes it; Dovecot counts the line break and sends it encoded',
  },
  {
    message: '08-rfc2047-charsets',
    items: ['ENVELOPE'],
    doc: 'ENVELOPE strings',
    why: 'unfolding removes only the line break (RFC 5322 §2.2.3): "?=  =?" keeps both spaces; Dovecot leaves one',
  },
  {
    message: '23-headers-folding',
    items: ['ENVELOPE'],
    doc: 'ENVELOPE strings',
    why: 'the first of two Subject fields is used and values are trimmed; Dovecot uses the last and keeps a folded Message-ID\'s leading space',
  },
  {
    message: '10-eight-bit-headers',
    items: ['ENVELOPE'],
    doc: 'ENVELOPE strings',
    why: 'header bytes that are not UTF-8 are read as Latin-1 and sent as UTF-8; Dovecot sends the raw bytes',
  },
  {
    message: '16-address-forms',
    items: ['ENVELOPE'],
    doc: 'ENVELOPE addresses',
    why: 'malformed addresses are kept as far as they parse; Dovecot substitutes MISSING_MAILBOX, MISSING_DOMAIN, SYNTAX_ERROR',
  },
];
