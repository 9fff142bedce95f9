/**
 * The shared fixture corpus (test/fixtures/mime/*.eml): structural
 * invariants for every file, and per-file expectations for structure, facts
 * and warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessageBuffer } from '../../src/mime/scanner.js';
import type { MimePart, ParsedMessage } from '../../src/mime/types.js';
import { findPart, loadFixture, loadFixtures, outline } from './helpers.js';

function checkInvariants(name: string, raw: Buffer, msg: ParsedMessage): void {
  const visit = (p: MimePart, lo: number, hi: number): void => {
    const where = `${name} part "${p.path}"`;
    assert.ok(lo <= p.headerStart && p.headerStart <= p.bodyStart && p.bodyStart <= p.bodyEnd && p.bodyEnd <= hi, `${where}: offsets in range`);
    assert.equal(p.size, p.bodyEnd - p.bodyStart, `${where}: size`);
    let prevEnd = p.bodyStart;
    for (const c of p.children ?? []) {
      assert.ok(c.headerStart >= prevEnd, `${where}: children in order`);
      // Every child is preceded by a boundary line: "--" at a line start.
      const lineStart = raw.lastIndexOf(0x0a, c.headerStart - 2) + 1;
      assert.equal(raw.toString('latin1', lineStart, lineStart + 2), '--', `${where}: boundary before ${c.path}`);
      visit(c, p.bodyStart, p.bodyEnd);
      prevEnd = c.bodyEnd;
    }
    if (p.message) {
      assert.equal(p.message.root.headerStart, p.bodyStart, `${where}: embedded root starts at body`);
      assert.equal(p.message.root.bodyEnd, p.bodyEnd, `${where}: embedded root ends with body`);
      visit(p.message.root, p.bodyStart, p.bodyEnd);
    }
  };
  visit(msg.root, 0, raw.length);
  assert.equal(msg.size, raw.length);
  assert.equal(msg.root.headerStart, 0);
  assert.equal(msg.root.bodyEnd, raw.length);
}

test('fixtures: structural invariants hold for every file', () => {
  for (const { name, raw } of loadFixtures()) checkInvariants(name, raw, parseMessageBuffer(raw));
});

interface Expectation {
  outline: string[];
  warnings?: RegExp[];
  check?: (msg: ParsedMessage, raw: Buffer) => void;
}

const slice = (raw: Buffer, p: MimePart): string => raw.toString('latin1', p.bodyStart, p.bodyEnd);

const EXPECT: Record<string, Expectation> = {
  '01-simple-plain.eml': {
    outline: ['- text/plain'],
    check: (m) => {
      assert.equal(m.envelope.subject, 'Lunch on Thursday?');
      assert.equal(m.facts.date, Date.parse('2024-03-05T09:15:00Z'));
      assert.equal(m.root.lines, 6);
      assert.ok(m.facts.text.startsWith('Hi Bob,\n\nAre you free'));
    },
  },
  '02-alternative-qp.eml': {
    outline: ['- multipart/alternative', '1 text/plain', '2 text/html'],
    check: (m) => {
      assert.equal(m.facts.subject, 'Grüße aus München');
      assert.deepEqual(m.facts.from, [{ name: 'Jürgen Müller', address: 'juergen@example.de' }]);
      assert.equal(m.envelope.from![0]!.name, '=?utf-8?q?J=C3=BCrgen_M=C3=BCller?=');
      assert.ok(m.facts.text.includes('weich umgebrochen, damit sie nicht länger'), 'soft line break joined');
      assert.ok(!m.facts.text.includes('<p>'), 'plain preferred over html');
    },
  },
  '03-mixed-attachments.eml': {
    outline: ['- multipart/mixed', '1 text/plain', '2 application/pdf', '3 image/png'],
    check: (m, raw) => {
      assert.equal(m.facts.hasAttachments, true);
      assert.deepEqual(
        m.facts.attachments.map((a) => [a.part, a.filename, a.disposition, a.contentId]),
        [
          ['2', 'invoice-2024-03.pdf', 'attachment', null],
          ['3', 'photo.png', 'inline', '<photo@example.com>'],
        ],
      );
      const pdf = findPart(m.root, '2');
      assert.equal(pdf.description, 'March invoice');
      assert.ok(Buffer.from(slice(raw, pdf), 'latin1').toString().startsWith('JVBERi0xLjQK'));
      assert.equal(m.facts.attachments[0]!.size, pdf.size);
      assert.deepEqual(m.facts.cc, [{ name: 'Eve, Accounting', address: 'eve@example.com' }]);
      assert.equal(m.facts.text, 'Please find the invoice attached. Total: 42 €.');
    },
  },
  '04-related-inline-image.eml': {
    outline: ['- multipart/alternative', '1 text/plain', '2 multipart/related', '2.1 text/html', '2.2 image/png'],
    check: (m) => {
      assert.equal(m.facts.hasAttachments, false, 'a cid: image is an inline resource');
      assert.deepEqual(m.facts.attachments.map((a) => a.part), ['2.2']);
      assert.equal(m.facts.listId, 'news.shop.example');
      assert.equal(m.facts.text, 'Spring sale: 20% off everything.');
    },
  },
  '05-attached-rfc822.eml': {
    outline: ['- multipart/mixed', '1 text/plain', '2 message/rfc822', '2/root multipart/mixed', '2.1 text/plain', '2.2 text/csv'],
    check: (m) => {
      assert.deepEqual(m.facts.attachments.map((a) => [a.part, a.filename, a.contentType]), [['2', 'Project plan.eml', 'message/rfc822']]);
      assert.equal(m.facts.text, 'See the forwarded message below.', 'attached message text is not body text');
      const inner = findPart(m.root, '2').message!;
      assert.equal(inner.envelope.subject, 'Project plan');
      assert.equal(inner.envelope.messageId, '<plan@example.org>');
      assert.equal(findPart(m.root, '2').lines, 20);
    },
  },
  '06-nested-rfc822.eml': {
    outline: ['- message/rfc822', '/root multipart/mixed', '1.1 text/plain', '1.2 message/rfc822', '1.2/root text/plain'],
    check: (m, raw) => {
      assert.equal(findPart(m.root, '/root').path, '1');
      assert.equal(m.root.message!.envelope.subject, 'Fwd: old thread');
      assert.equal(findPart(m.root, '1.2').message!.envelope.subject, 'old thread');
      assert.equal(findPart(m.root, '1.2').description, 'original');
      assert.equal(slice(raw, findPart(m.root, '1.2/root')), 'The original text.\r\nSecond line.');
      assert.deepEqual(m.facts.references, ['<nest-1@example.com>', '<nest-3@example.com>', '<nest-5@example.com>']);
      assert.equal(m.facts.inReplyTo, '<nest-5@example.com>');
      assert.equal(m.facts.text, 'Ken says: forwarding again.\nThe original text.\nSecond line.');
    },
  },
  '07-digest.eml': {
    outline: [
      '- multipart/mixed',
      '1 text/plain',
      '2 multipart/digest',
      '2.1 message/rfc822',
      '2.1/root text/plain',
      '2.2 message/rfc822',
      '2.2/root text/plain',
      '2.3 text/plain',
    ],
    check: (m) => {
      assert.equal(findPart(m.root, '2.1').message!.envelope.subject, 'First post');
      assert.equal(findPart(m.root, '2.2').message!.envelope.inReplyTo, '<p1@example.com>');
      assert.equal(m.facts.listId, 'example-l.lists.example.org');
    },
  },
  '08-rfc2047-charsets.eml': {
    outline: ['- text/plain'],
    check: (m) => {
      assert.equal(m.facts.subject, '😃あり café€uro plain (and Дорого)');
      assert.deepEqual(
        [...m.facts.from, ...m.facts.to, ...m.facts.cc].map((a) => a.name),
        ['Привет', '你好', '中文', '日本', '日本語'],
      );
      assert.equal(m.facts.text, 'Привет, мир!');
    },
  },
  '09-rfc2231-params.eml': {
    outline: ['- multipart/mixed', '1 text/plain', '2 application/vnd.openxmlformats-officedocument.wordprocessingml.document', '3 text/plain', '4 application/octet-stream'],
    check: (m) => {
      assert.deepEqual(m.facts.attachments.map((a) => a.filename), [
        'Compte rendu de la réunion étendue.docx',
        'long file name continued.txt',
        'élève.bin',
      ]);
      const p2 = findPart(m.root, '2');
      assert.deepEqual(p2.rawParams!.map(([k]) => k), ['name*0*', 'name*1*']);
      assert.deepEqual(findPart(m.root, '3').params, [['charset', 'us-ascii'], ['name', '✓ done.txt']]);
      assert.equal(m.facts.text, 'Voici les pièces jointes.');
    },
  },
  '10-eight-bit-headers.eml': {
    outline: ['- text/plain'],
    warnings: [/8-bit header bytes that are not UTF-8/],
    check: (m) => {
      assert.equal(m.envelope.subject, 'Grüße — raw UTF-8 subject');
      assert.equal(m.envelope.to![0]!.name, 'Ren\u00e9 Dupont');
      assert.equal(m.facts.text, 'Café “quoted” €100.');
    },
  },
  '11-missing-close-boundary.eml': {
    outline: ['- multipart/mixed', '1 text/plain', '2 application/octet-stream'],
    warnings: [/missing close boundary "cut"/],
    check: (m, raw) => assert.equal(findPart(m.root, '2').bodyEnd, raw.length),
  },
  '12-boundary-not-found.eml': {
    outline: ['- multipart/mixed'],
    warnings: [/boundary "declared" never found/],
  },
  '13-malformed-mixed.eml': {
    outline: ['- multipart/mixed', '1 text/plain', '2 text/plain', '3 text/plain', '4 multipart/alternative', '5 text/plain'],
    warnings: [
      /malformed header line/,
      /part 1: invalid Content-Type "text"/,
      /part 2: header not ended/,
      /part 3: empty part/,
      /part 4: multipart without boundary/,
      /boundary after the close boundary/,
    ],
    check: (m) => {
      assert.equal(m.facts.date, Date.parse('2024-03-17T17:00:00Z'));
      assert.equal(m.facts.text, 'Invalid content type defaults to text/plain.\nHello world');
    },
  },
  '14-bare-lf.eml': {
    outline: ['- multipart/alternative', '1 text/plain', '2 text/html'],
    warnings: [/bare LF/],
    check: (m, raw) => {
      assert.equal(slice(raw, findPart(m.root, '1')), 'Line one.\nLine two.\n');
      assert.equal(findPart(m.root, '1').lines, 2);
    },
  },
  '15-html-only.eml': {
    outline: ['- text/html'],
    check: (m) => {
      assert.equal(
        m.facts.text,
        'Dear customer,\n\nYour order #1234 has shipped & will arrive soon — track it here.\n\nItem A\n\nItem B €5\n\nTotal € 10\n\nCafé <3',
      );
      assert.ok(!m.facts.text.includes('Ignored title') && !m.facts.text.includes('not text'));
    },
  },
  '16-address-forms.eml': {
    outline: ['- text/plain'],
    check: (m) => {
      const e = m.envelope;
      assert.deepEqual(e.from, [{ name: 'Quoted "Name"', adl: null, mailbox: 'quoted', host: 'example.com' }]);
      assert.deepEqual(e.sender, e.from, '"<>" is empty, so Sender falls back to From');
      assert.deepEqual(e.replyTo, [
        { name: null, adl: null, mailbox: 'undisclosed-recipients', host: null },
        { name: null, adl: null, mailbox: null, host: null },
      ]);
      assert.equal(e.to!.length, 5);
      assert.equal(e.cc![0]!.adl, '@relay1.example,@relay2.example');
      assert.deepEqual(m.facts.bcc, [
        { name: 'Zoë', address: 'zoe@example.com' },
        { name: '', address: 'broken@example.com' },
      ]);
      assert.deepEqual(m.facts.replyTo, []);
    },
  },
  '17-pgp-signed.eml': {
    outline: ['- multipart/signed', '1 text/plain', '2 application/pgp-signature'],
    check: (m) => {
      assert.equal(m.facts.hasAttachments, false);
      assert.deepEqual(m.facts.attachments, []);
      assert.equal(m.facts.text, 'The signed text.');
    },
  },
  '18-header-only.eml': {
    outline: ['- text/plain'],
    warnings: [/no empty line after the header/],
    check: (m, raw) => {
      assert.equal(m.headerLength, raw.length);
      assert.equal(m.envelope.subject, 'no body at all');
    },
  },
  '19-inline-image-split-text.eml': {
    outline: ['- multipart/mixed', '1 text/plain', '2 image/png', '3 text/plain'],
    check: (m) => {
      assert.equal(m.facts.hasAttachments, true, 'a named inline image without Content-ID was attached by the user');
      assert.equal(m.facts.text, 'Look at this:\nNice, right?');
    },
  },
  '20-calendar-and-global.eml': {
    outline: ['- multipart/mixed', '1 multipart/alternative', '1.1 text/plain', '1.2 text/calendar', '2 message/global', '2/root text/plain'],
    check: (m) => {
      const g = findPart(m.root, '2');
      assert.equal(g.location, 'https://example.com/msg');
      assert.equal(g.md5, 'Q2hlY2sgSW50ZWdyaXR5IQ==');
      assert.equal(g.lines, 4);
      assert.equal(g.message!.envelope.from![0]!.mailbox, 'müller');
      assert.deepEqual(m.root.language, ['en-US', 'de']);
      assert.equal(m.facts.hasAttachments, false);
    },
  },
};

test('fixtures: every file has expectations', () => {
  assert.deepEqual(loadFixtures().map((f) => f.name), Object.keys(EXPECT).sort());
});

for (const [name, e] of Object.entries(EXPECT)) {
  test(`fixture ${name}`, () => {
    const raw = loadFixture(name);
    const msg = parseMessageBuffer(raw);
    assert.deepEqual(outline(msg), e.outline);
    const warnings = e.warnings ?? [];
    assert.equal(msg.warnings.length, warnings.length, `warnings: ${JSON.stringify(msg.warnings)}`);
    for (const re of warnings) assert.ok(msg.warnings.some((w) => re.test(w)), `missing warning ${re}`);
    e.check?.(msg, raw);
  });
}
