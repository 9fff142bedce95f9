import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOwnMarker, loopCheck, loopMarker, receivedCount } from '../../src/filters/loop.js';
import { parseHeaderBlock } from '../../src/mime/headers.js';

const secret = Buffer.from('s3cret');
const user = '0123456789abcdef01234567';
const other = 'fedcba9876543210fedcba98';
const headers = (lines: string[]) => parseHeaderBlock(Buffer.from(lines.join('\r\n') + '\r\n\r\n'));

describe('loop protection', () => {
  it('recognises its own marker for the same user and message only', () => {
    const m = loopMarker(secret, user, '<a@example.net>');
    assert.equal(isOwnMarker(m, secret, user, '<a@example.net>'), true);
    assert.equal(isOwnMarker(m, secret, user, '<A@EXAMPLE.NET>'), true, 'Message-ID compared case-insensitively');
    assert.equal(isOwnMarker(m, secret, other, '<a@example.net>'), false, 'another user');
    assert.equal(isOwnMarker(m, secret, user, '<b@example.net>'), false, 'another message');
    assert.equal(isOwnMarker(m, Buffer.from('other secret'), user, '<a@example.net>'), false, 'forged with another key');
    assert.equal(isOwnMarker(m.replace(/s=./, 's=A'), secret, user, '<a@example.net>'), false, 'tampered');
    for (const junk of ['', 'v=1', `v=1; u=${user}; s=`, 'garbage; \u0000', `v=2; u=${user}; s=${'A'.repeat(24)}`]) {
      assert.equal(isOwnMarker(junk, secret, user, null), false, JSON.stringify(junk));
    }
  });

  const cases: Array<[string, string[], number, string | null]> = [
    ['clean', ['Received: a', 'Subject: x'], 50, null],
    ['at the hop limit', Array.from({ length: 3 }, (_, i) => `Received: hop ${i}`), 3, null],
    ['over the hop limit', Array.from({ length: 4 }, (_, i) => `Received: hop ${i}`), 3, 'hops'],
    ['our marker for this user', [`X-Eider-Loop: ${loopMarker(secret, user, '<m@x>')}`], 50, 'marker'],
    ['our marker for another user', [`X-Eider-Loop: ${loopMarker(secret, other, '<m@x>')}`], 50, null],
    ['a forged marker', [`X-Eider-Loop: v=1; u=${user}; s=${'A'.repeat(24)}`], 50, null],
  ];
  for (const [name, lines, max, reason] of cases) {
    it(name, () => {
      const v = loopCheck(headers(lines), { secret, userId: user, messageId: '<m@x>', maxReceived: max });
      assert.equal(v.loop ? v.reason : null, reason);
    });
  }

  it('counts Received headers', () => {
    assert.equal(receivedCount(headers(['Received: a', 'received: b', 'X-Received: c'])), 2);
  });
});
