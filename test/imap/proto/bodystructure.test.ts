import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope, MimePart } from '../../../src/mime/types.js';
import { bodyNonExtensible, bodyStructure } from '../../../src/imap/proto/bodystructure.js';
import { envelopeValue } from '../../../src/imap/proto/envelope.js';
import { serializeValue } from '../../../src/imap/proto/values.js';

function part(overrides: Partial<MimePart>): MimePart {
  return {
    path: '1',
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
    lines: null,
    md5: null,
    disposition: null,
    language: null,
    location: null,
    ...overrides,
  };
}

const envelope: Envelope = {
  date: 'Wed, 17 Jul 1996 02:23:25 -0700 (PDT)',
  subject: 'IMAP4rev1 WG mtg summary and minutes',
  from: [{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }],
  sender: [{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }],
  replyTo: [{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }],
  to: [{ name: null, adl: null, mailbox: 'imap', host: 'cac.washington.edu' }],
  cc: [
    { name: null, adl: null, mailbox: 'minutes', host: 'CNRI.Reston.VA.US' },
    { name: 'John Klensin', adl: null, mailbox: 'KLENSIN', host: 'MIT.EDU' },
  ],
  bcc: null,
  inReplyTo: null,
  messageId: '<B27397-0100000@cac.washington.edu>',
};

const text = (v: Parameters<typeof serializeValue>[0]): string => serializeValue(v).toString('utf8');

describe('ENVELOPE', () => {
  it('renders the RFC 3501 §7.4.2 example shape', () => {
    assert.equal(
      text(envelopeValue(envelope)),
      '("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" ' +
        '(("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
        '(("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
        '(("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
        '((NIL NIL "imap" "cac.washington.edu")) ' +
        '((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) ' +
        'NIL NIL "<B27397-0100000@cac.washington.edu>")',
    );
  });
  it('renders group syntax, empty lists and awkward strings', () => {
    const env: Envelope = {
      ...envelope,
      date: null,
      subject: 'Réunion "urgent"\r\n',
      to: [
        { name: null, adl: null, mailbox: 'undisclosed', host: null },
        { name: null, adl: null, mailbox: null, host: null },
      ],
      cc: [],
    };
    assert.match(text(envelopeValue(env)), /^\(NIL \{19\}\r\nRéunion "urgent"\r\n \(/);
    assert.match(text(envelopeValue(env)), /\(\(NIL NIL "undisclosed" NIL\)\(NIL NIL NIL NIL\)\) NIL NIL NIL "</);
  });
});

describe('BODYSTRUCTURE / BODY', () => {
  const plain = part({ params: [['charset', 'us-ascii']], size: 3028, lines: 92 });

  const cases: Array<[string, MimePart, string, string]> = [
    [
      'single text part',
      plain,
      '("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 3028 92 NIL NIL NIL NIL)',
      '("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 3028 92)',
    ],
    [
      'text part without charset gets the RFC 2045 default',
      part({ params: [['format', 'flowed']], size: 10, lines: 1 }),
      '("text" "plain" ("format" "flowed" "charset" "us-ascii") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)',
      '("text" "plain" ("format" "flowed" "charset" "us-ascii") NIL NIL "7BIT" 10 1)',
    ],
    [
      'non-text part with all extension fields',
      part({
        type: 'application',
        subtype: 'pdf',
        params: [['name', 'report.pdf']],
        id: '<id1@x>',
        description: 'The report',
        encoding: 'BASE64',
        size: 4554,
        md5: 'Q2hlY2sgSW50ZWdyaXR5IQ==',
        disposition: { type: 'attachment', params: [['filename', 'report.pdf']] },
        language: ['en', 'de'],
        location: 'http://example.com/report.pdf',
      }),
      '("application" "pdf" ("name" "report.pdf") "<id1@x>" "The report" "BASE64" 4554 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("attachment" ("filename" "report.pdf")) ("en" "de") "http://example.com/report.pdf")',
      '("application" "pdf" ("name" "report.pdf") "<id1@x>" "The report" "BASE64" 4554)',
    ],
    [
      'disposition without parameters',
      part({ type: 'image', subtype: 'png', encoding: 'BASE64', size: 5, disposition: { type: 'inline', params: [] } }),
      '("image" "png" NIL NIL NIL "BASE64" 5 NIL ("inline" NIL) NIL NIL)',
      '("image" "png" NIL NIL NIL "BASE64" 5)',
    ],
    [
      'multipart/mixed with two parts',
      part({
        path: '',
        type: 'multipart',
        subtype: 'mixed',
        params: [['boundary', 'b1']],
        children: [
          part({ path: '1', params: [['charset', 'utf-8']], size: 1152, lines: 23 }),
          part({ path: '2', type: 'application', subtype: 'octet-stream', encoding: 'BASE64', size: 4554 }),
        ],
      }),
      '(("text" "plain" ("charset" "utf-8") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL)("application" "octet-stream" NIL NIL NIL "BASE64" 4554 NIL NIL NIL NIL) "mixed" ("boundary" "b1") NIL NIL NIL)',
      '(("text" "plain" ("charset" "utf-8") NIL NIL "7BIT" 1152 23)("application" "octet-stream" NIL NIL NIL "BASE64" 4554) "mixed")',
    ],
    [
      'multipart with no children gets one empty text/plain (1*body)',
      part({ path: '', type: 'multipart', subtype: 'mixed', params: [['boundary', 'x']], children: [] }),
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "x") NIL NIL NIL)',
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0) "mixed")',
    ],
    [
      'message/rfc822 carries envelope, body and lines',
      part({
        type: 'message',
        subtype: 'rfc822',
        size: 500,
        lines: 12,
        message: {
          envelope: { ...envelope, cc: null, from: null, sender: null, replyTo: null, date: null },
          root: part({ path: '2', size: 40, lines: 2 }),
        },
      }),
      '("message" "rfc822" NIL NIL NIL "7BIT" 500 (NIL "IMAP4rev1 WG mtg summary and minutes" NIL NIL NIL ((NIL NIL "imap" "cac.washington.edu")) NIL NIL NIL "<B27397-0100000@cac.washington.edu>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 40 2 NIL NIL NIL NIL) 12 NIL NIL NIL NIL)',
      '("message" "rfc822" NIL NIL NIL "7BIT" 500 (NIL "IMAP4rev1 WG mtg summary and minutes" NIL NIL NIL ((NIL NIL "imap" "cac.washington.edu")) NIL NIL NIL "<B27397-0100000@cac.washington.edu>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 40 2) 12)',
    ],
    [
      'message/rfc822 without a parsed message still has the fields',
      part({ type: 'message', subtype: 'rfc822', size: 0, lines: 0 }),
      '("message" "rfc822" NIL NIL NIL "7BIT" 0 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) 0 NIL NIL NIL NIL)',
      '("message" "rfc822" NIL NIL NIL "7BIT" 0 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0) 0)',
    ],
    [
      'nested multipart/alternative inside multipart/mixed',
      part({
        path: '',
        type: 'multipart',
        subtype: 'mixed',
        children: [
          part({
            path: '1',
            type: 'multipart',
            subtype: 'alternative',
            children: [
              part({ path: '1.1', params: [['charset', 'utf-8']], encoding: 'QUOTED-PRINTABLE', size: 10, lines: 1 }),
              part({ path: '1.2', subtype: 'html', params: [['charset', 'utf-8']], size: 20, lines: 2 }),
            ],
          }),
        ],
        language: ['fr'],
        location: 'loc',
      }),
      '((("text" "plain" ("charset" "utf-8") NIL NIL "QUOTED-PRINTABLE" 10 1 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "7BIT" 20 2 NIL NIL NIL NIL) "alternative" NIL NIL NIL NIL) "mixed" NIL NIL ("fr") "loc")',
      '((("text" "plain" ("charset" "utf-8") NIL NIL "QUOTED-PRINTABLE" 10 1)("text" "html" ("charset" "utf-8") NIL NIL "7BIT" 20 2) "alternative") "mixed")',
    ],
    [
      'parameter values with 8-bit and quotes use the right string form',
      part({ type: 'application', subtype: 'octet-stream', params: [['name', 'résumé "v2".pdf']], size: 1 }),
      '("application" "octet-stream" ("name" {17}\r\nrésumé "v2".pdf) NIL NIL "7BIT" 1 NIL NIL NIL NIL)',
      '("application" "octet-stream" ("name" {17}\r\nrésumé "v2".pdf) NIL NIL "7BIT" 1)',
    ],
  ];

  for (const [name, root, structure, body] of cases) {
    it(`BODYSTRUCTURE: ${name}`, () => assert.equal(text(bodyStructure(root)), structure));
    it(`BODY: ${name}`, () => assert.equal(text(bodyNonExtensible(root)), body));
  }
});
