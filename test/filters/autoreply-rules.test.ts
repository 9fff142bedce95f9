import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoreplySubject } from '../../src/filters/autoreply-message.js';
import { autoreplySuppression, type AutoreplyCheck, type AutoreplySuppression } from '../../src/filters/autoreply-rules.js';
import type { Autoreply } from '../../src/filters/types.js';
import { parseHeaderBlock } from '../../src/mime/headers.js';

const now = new Date('2026-07-01T12:00:00Z');
const on: Autoreply = { userId: 'u', status: true, name: '', subject: '', text: 'Away', html: '', start: null, end: null, created: now };
const headers = (text: string) => parseHeaderBlock(Buffer.from(text.replace(/\n/g, '\r\n') + '\r\n\r\n'));

function check(over: Partial<AutoreplyCheck> = {}): AutoreplySuppression | null {
  return autoreplySuppression({
    autoreply: on,
    now,
    sender: 'friend@example.net',
    headers: headers('From: Friend <friend@example.net>\nSubject: hi'),
    visibleRecipients: ['me@example.com'],
    userAddresses: ['me@example.com', 'alias@example.org'],
    spam: false,
    dropped: false,
    plusSeparator: '+',
    ...over,
  });
}

describe('autoreply suppression (RFC 3834)', () => {
  const cases: Array<[string, Partial<AutoreplyCheck>, AutoreplySuppression | null]> = [
    ['a person writing to me gets a reply', {}, null],
    ['to an alias in Cc', { visibleRecipients: ['other@example.net', 'alias@example.org'] }, null],
    ['to my plus address', { visibleRecipients: ['me+work@example.com'] }, null],
    ['not configured', { autoreply: null }, 'not-configured'],
    ['turned off', { autoreply: { ...on, status: false } }, 'disabled'],
    ['before the start', { autoreply: { ...on, start: new Date('2026-07-02T00:00:00Z') } }, 'not-started'],
    ['after the end', { autoreply: { ...on, end: new Date('2026-06-30T00:00:00Z') } }, 'ended'],
    ['inside the window', { autoreply: { ...on, start: new Date('2026-06-01T00:00:00Z'), end: new Date('2026-08-01T00:00:00Z') } }, null],
    ['the message was dropped by a filter', { dropped: true }, 'dropped'],
    ['null sender', { sender: '' }, 'null-sender'],
    ['mailer-daemon', { sender: 'MAILER-DAEMON@example.net' }, 'system-sender'],
    ['postmaster', { sender: 'postmaster@example.net' }, 'system-sender'],
    ['no-reply', { sender: 'no-reply@example.net' }, 'system-sender'],
    ['noreply', { sender: 'noreply@example.net' }, 'system-sender'],
    ['do-not-reply', { sender: 'do-not-reply@shop.example' }, 'system-sender'],
    ['list owner', { sender: 'owner-list@example.net' }, 'system-sender'],
    ['list request address', { sender: 'list-request@example.net' }, 'system-sender'],
    ['a person named like a system is fine', { sender: 'norbert@example.net' }, null],
    ['my own address', { sender: 'alias@example.org' }, 'own-address'],
    ['Auto-Submitted: auto-replied', { headers: headers('Auto-Submitted: auto-replied') }, 'auto-submitted'],
    ['Auto-Submitted: auto-generated with a parameter', { headers: headers('Auto-Submitted: auto-generated; owner=x') }, 'auto-submitted'],
    ['Auto-Submitted: no', { headers: headers('Auto-Submitted: no') }, null],
    ['Precedence: bulk', { headers: headers('Precedence: bulk') }, 'precedence'],
    ['Precedence: list', { headers: headers('Precedence: LIST') }, 'precedence'],
    ['Precedence: junk', { headers: headers('Precedence: junk') }, 'precedence'],
    ['Precedence: normal', { headers: headers('Precedence: normal') }, null],
    ['List-Id', { headers: headers('List-Id: <x.example.net>') }, 'mailing-list'],
    ['List-Unsubscribe', { headers: headers('List-Unsubscribe: <mailto:u@example.net>') }, 'mailing-list'],
    ['X-Auto-Response-Suppress: OOF', { headers: headers('X-Auto-Response-Suppress: DR, OOF') }, 'sender-suppressed'],
    ['spam', { spam: true }, 'spam'],
    ['not addressed to me (Bcc or list)', { visibleRecipients: ['someone@example.net'] }, 'not-addressed'],
    ['no To or Cc at all', { visibleRecipients: [] }, 'not-addressed'],
  ];
  for (const [name, over, expected] of cases) {
    it(name, () => assert.equal(check(over), expected));
  }
});

describe('autoreply subject', () => {
  it('prefixes Auto: once, unless the user set a subject', () => {
    assert.equal(autoreplySubject({ subject: '' }, 'Lunch?'), 'Auto: Lunch?');
    assert.equal(autoreplySubject({ subject: '' }, 'Auto: Auto: Lunch?'), 'Auto: Lunch?');
    assert.equal(autoreplySubject({ subject: 'Out of office' }, 'Lunch?'), 'Out of office');
  });
});
