/**
 * Offsets: messages are generated from a structure description that records,
 * independently of the scanner, the exact header and body text of every
 * part. Slicing the raw message with the scanner's offsets must give exactly
 * that text, for CRLF and bare-LF variants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessageBuffer } from '../../src/mime/scanner.js';
import { allParts, countLines, parseInChunks } from './helpers.js';

type Spec =
  | { kind: 'leaf'; header: string[]; body: string[] }
  | {
      kind: 'multipart';
      header: string[];
      boundary: string;
      preamble?: string[];
      parts: Spec[];
      epilogue?: string[];
      /** Transport padding after boundary lines. */
      padding?: string;
    }
  | { kind: 'message'; header: string[]; message: Spec };

interface Expected {
  key: string;
  header: string;
  body: string;
  lines: boolean;
}

/**
 * Renders `spec` and records what each part must slice to. `number` is the
 * path the scanner gives the part; embedded roots take their host's IMAP
 * number, a non-multipart message root being addressed as "1".
 */
function render(spec: Spec, eol: string, key: string, number: string, messageRoot: boolean, out: Expected[]): string {
  const header = spec.header.map((l) => l + eol).join('') + eol;
  let body: string;
  let lines = false;
  if (spec.kind === 'leaf') {
    body = spec.body.join(eol);
    lines = /^content-type:\s*text\//im.test(spec.header.join('\n')) || !/^content-type:/im.test(spec.header.join('\n'));
  } else if (spec.kind === 'multipart') {
    const pad = spec.padding ?? '';
    body = spec.preamble ? spec.preamble.join(eol) + eol : '';
    spec.parts.forEach((child, i) => {
      const childNumber = number === '' ? String(i + 1) : `${number}.${i + 1}`;
      body += `--${spec.boundary}${pad}${eol}` + render(child, eol, childNumber, childNumber, false, out) + eol;
    });
    body += `--${spec.boundary}--${pad}`;
    if (spec.epilogue) body += eol + spec.epilogue.join(eol);
  } else {
    const hostNumber = messageRoot ? (number === '' ? '1' : `${number}.1`) : number;
    body = render(spec.message, eol, `${key}/root`, hostNumber, true, out);
    lines = true;
  }
  out.push({ key, header, body, lines });
  return header + body;
}

const leaf = (header: string[], body: string[]): Spec => ({ kind: 'leaf', header, body });
const text = (...body: string[]): Spec => leaf(['Content-Type: text/plain'], body);

const CORPUS: Array<[string, Spec]> = [
  ['simple text', leaf(['Subject: hi', 'From: a@b.c'], ['Hello', 'World'])],
  ['text ending in empty lines', leaf(['Subject: x'], ['a', '', '', ''])],
  ['empty body', leaf(['Subject: x'], [])],
  ['empty header', leaf([], ['body only'])],
  ['long lines and bare CR', leaf(['Subject: x'], ['y'.repeat(70_000), 'cr\rinside', 'z'.repeat(2000)])],
  [
    'multipart with preamble, epilogue, empty and headerless parts',
    {
      kind: 'multipart',
      header: ['Subject: mp', 'Content-Type: multipart/mixed; boundary="=_b1"'],
      boundary: '=_b1',
      preamble: ['This is a multi-part message.', ''],
      parts: [text('first'), leaf([], ['no header']), text(), text('', 'blank first line', ''), leaf(['Content-Type: image/png'], ['iVBORw0KGgo='])],
      epilogue: ['epilogue', ''],
    },
  ],
  [
    'nested three levels with padding',
    {
      kind: 'multipart',
      header: ['Content-Type: multipart/mixed; boundary=outer'],
      boundary: 'outer',
      padding: ' \t',
      parts: [
        {
          kind: 'multipart',
          header: ['Content-Type: multipart/alternative; boundary=mid'],
          boundary: 'mid',
          parts: [
            text('plain'),
            {
              kind: 'multipart',
              header: ['Content-Type: multipart/related; boundary=in'],
              boundary: 'in',
              preamble: [''],
              parts: [leaf(['Content-Type: text/html'], ['<p>x</p>']), leaf(['Content-Type: image/gif', 'Content-ID: <g>'], ['R0lGODlh'])],
              epilogue: [''],
            },
          ],
        },
        leaf(['Content-Type: application/pdf'], ['JVBERi0=']),
      ],
    },
  ],
  [
    'lookalike boundary lines inside bodies',
    {
      kind: 'multipart',
      header: ['Content-Type: multipart/mixed; boundary=bnd'],
      boundary: 'bnd',
      parts: [text('--bndx', '--bnd x', ' --bnd', '-bnd', '--BND', '--bn'), text('--bnd-', 'end')],
    },
  ],
  [
    'message/rfc822 holding a multipart, inside a multipart',
    {
      kind: 'multipart',
      header: ['Content-Type: multipart/mixed; boundary=m'],
      boundary: 'm',
      parts: [
        text('see attached'),
        {
          kind: 'message',
          header: ['Content-Type: message/rfc822'],
          message: {
            kind: 'multipart',
            header: ['Subject: inner', 'Content-Type: multipart/alternative; boundary=i'],
            boundary: 'i',
            parts: [text('inner plain'), leaf(['Content-Type: text/html'], ['<b>inner</b>', ''])],
          },
        },
        { kind: 'message', header: ['Content-Type: message/rfc822'], message: leaf(['Subject: leaf message'], ['leaf body']) },
      ],
    },
  ],
  [
    'message/rfc822 as the root, nested twice',
    {
      kind: 'message',
      header: ['Subject: outer', 'Content-Type: message/rfc822'],
      message: { kind: 'message', header: ['Subject: middle', 'Content-Type: message/rfc822'], message: leaf(['Subject: inner'], ['innermost']) },
    },
  ],
  [
    'digest',
    {
      kind: 'multipart',
      header: ['Content-Type: multipart/digest; boundary=d'],
      boundary: 'd',
      parts: [
        { kind: 'message', header: [], message: leaf(['Subject: one'], ['one', '']) },
        { kind: 'message', header: ['Content-Type: message/rfc822'], message: leaf(['Subject: two'], ['two']) },
      ],
    },
  ],
];

function checkSpec(name: string, spec: Spec, eol: string): void {
  const expected: Expected[] = [];
  const raw = Buffer.from(render(spec, eol, '', '', true, expected), 'latin1');
  const msg = parseMessageBuffer(raw);
  const got = allParts(msg.root);
  assert.deepEqual(got.map((p) => p.key).sort(), expected.map((e) => e.key).sort(), `${name}: part keys`);
  for (const e of expected) {
    const { part } = got.find((p) => p.key === e.key)!;
    const where = `${name} (${JSON.stringify(eol)}) part "${e.key}"`;
    assert.equal(raw.toString('latin1', part.headerStart, part.bodyStart), e.header, `${where}: header`);
    assert.equal(raw.toString('latin1', part.bodyStart, part.bodyEnd), e.body, `${where}: body`);
    assert.equal(part.size, Buffer.byteLength(e.body, 'latin1'), `${where}: size`);
    if (e.lines) assert.equal(part.lines, countLines(e.body), `${where}: lines`);
    else assert.equal(part.lines, null, `${where}: lines`);
  }
  assert.equal(msg.size, raw.length);
  assert.equal(msg.headerLength, msg.root.bodyStart);
  assert.equal(msg.root.bodyEnd, raw.length);
  // No malformation in the corpus, so nothing to warn about except bare LF and long lines.
  const unexpected = msg.warnings.filter((w) => !/bare LF|line over 998/.test(w));
  assert.deepEqual(unexpected, [], `${name}: warnings`);
  // Odd chunkings must land on the same offsets.
  assert.deepEqual(parseInChunks(raw, [1, 2, 3, 5, 7, 11, 13, 4096]), msg, `${name}: chunked`);
}

for (const [name, spec] of CORPUS) {
  test(`offsets: ${name}`, () => {
    checkSpec(name, spec, '\r\n');
    checkSpec(name, spec, '\n');
  });
}
