/** Part numbers → MIME nodes (RFC 3501 §6.4.5), on scanner output. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPart } from '../../../src/imap/fetch/parts.js';
import { parseMessageBuffer } from '../../../src/mime/scanner.js';
import type { MimePart } from '../../../src/mime/types.js';

const crlf = (...lines: string[]): string => lines.join('\r\n');

/** What a path leads to, as "type/subtype:first body line" ('-' when it does not exist). */
function describePath(raw: string, root: MimePart, path: string): string {
  const nums = path === '' ? [] : path.split('.').map(Number);
  const p = findPart(root, nums);
  if (p === null) return '-';
  const body = raw.slice(p.bodyStart, p.bodyEnd).split('\r\n')[0] ?? '';
  return `${p.type}/${p.subtype}:${body}`;
}

const MIXED = crlf(
  'Content-Type: multipart/mixed; boundary=o',
  '',
  '--o',
  '',
  'one',
  '--o',
  'Content-Type: message/rfc822',
  '',
  'Subject: inner',
  'Content-Type: multipart/alternative; boundary=i',
  '',
  '--i',
  '',
  'inner one',
  '--i',
  'Content-Type: message/rfc822',
  '',
  'Subject: innermost',
  '',
  'innermost body',
  '--i--',
  '--o',
  'Content-Type: message/global',
  '',
  'Subject: global',
  '',
  'global body',
  '--o',
  'Content-Type: multipart/mixed',
  '',
  'no boundary parameter',
  '--o--',
  '',
);

const SINGLE = crlf('Subject: single', '', 'just text', '');
const WRAPPED = crlf('Content-Type: message/rfc822', '', 'Subject: wrapped', '', 'wrapped body', '');

describe('findPart', () => {
  const cases: Array<[string, string, string]> = [
    [MIXED, '', 'multipart/mixed:--o'],
    [MIXED, '1', 'text/plain:one'],
    [MIXED, '1.1', 'text/plain:one'],
    [MIXED, '1.1.1', '-'],
    [MIXED, '1.2', '-'],
    [MIXED, '2', 'message/rfc822:Subject: inner'],
    [MIXED, '2.1', 'text/plain:inner one'],
    [MIXED, '2.2', 'message/rfc822:Subject: innermost'],
    [MIXED, '2.2.1', 'text/plain:innermost body'],
    [MIXED, '2.2.1.1', '-'],
    [MIXED, '2.2.2', '-'],
    [MIXED, '2.3', '-'],
    // message/global is a basic part in IMAP4rev1: nothing inside it is numbered, its ".1" is itself.
    [MIXED, '3', 'message/global:Subject: global'],
    [MIXED, '3.1', 'message/global:Subject: global'],
    [MIXED, '3.2', '-'],
    // A multipart without boundary has no parts.
    [MIXED, '4', 'multipart/mixed:no boundary parameter'],
    [MIXED, '4.1', '-'],
    [MIXED, '5', '-'],
    [MIXED, '0', '-'],
    [SINGLE, '1', 'text/plain:just text'],
    [SINGLE, '1.1', '-'],
    [SINGLE, '2', '-'],
    [WRAPPED, '1', 'message/rfc822:Subject: wrapped'],
    [WRAPPED, '1.1', 'text/plain:wrapped body'],
    [WRAPPED, '1.1.1', '-'],
    [WRAPPED, '1.2', '-'],
  ];
  for (const [raw, path, want] of cases) {
    const name = raw.split('\r\n')[0]?.slice(0, 40) ?? '';
    it(`${name} [${path}]`, () => assert.equal(describePath(raw, parseMessageBuffer(Buffer.from(raw)).root, path), want));
  }

  it('survives very long paths', () => {
    const root = parseMessageBuffer(Buffer.from(MIXED)).root;
    assert.equal(findPart(root, Array.from({ length: 10_000 }, () => 1)), null);
  });
});
