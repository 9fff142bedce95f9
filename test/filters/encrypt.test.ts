import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEncrypted, routingHeader } from '../../src/filters/encrypt.js';
import { parseMessageBuffer } from '../../src/mime/scanner.js';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n');

test('routingHeader keeps routing fields whole, folded lines too, and drops the MIME ones', () => {
  const header = crlf(
    'Received: from a.example',
    '\tby b.example; Mon, 1 Dec 2026 10:00:00 +0000',
    'From: a@example.net',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed;',
    ' boundary="zz"',
    'content-transfer-encoding: 7bit',
    'Subject: =?utf-8?q?caf=C3=A9?=',
    'X-Content-Type-Options: kept, it is not a content field',
    '',
  );
  assert.equal(
    routingHeader(header),
    [
      'Received: from a.example\r\n\tby b.example; Mon, 1 Dec 2026 10:00:00 +0000\r\n',
      'From: a@example.net\r\n',
      'Subject: =?utf-8?q?caf=C3=A9?=\r\n',
      'X-Content-Type-Options: kept, it is not a content field\r\n',
    ].join(''),
  );
});

const cases: Array<[string, Buffer, boolean]> = [
  ['PGP/MIME', crlf('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=b', '', '--b--'), true],
  ['inline armour', crlf('Subject: x', '', '', '-----BEGIN PGP MESSAGE-----', 'AAAA', '-----END PGP MESSAGE-----'), true],
  ['plain text', crlf('Subject: x', '', 'hello'), false],
  ['armour quoted later in the text', crlf('Subject: x', '', 'see below', '-----BEGIN PGP MESSAGE-----'), false],
];
for (const [name, raw, want] of cases) {
  test(`isEncrypted: ${name}`, () => assert.equal(isEncrypted(parseMessageBuffer(raw), raw), want));
}
