/** OBJECTID (RFC 8474): MAILBOXID on CREATE, SELECT and STATUS, kept by RENAME; EMAILID kept by COPY/MOVE; THREADID; SEARCH by both. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { textMessage } from '../../helpers/messages.js';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

const objectId = (line: string, name: string): string => {
  const m = new RegExp(`${name} \\(([A-Za-z0-9_-]+)\\)`).exec(line);
  assert.ok(m, `${name} in ${line}`);
  return m[1]!;
};

describe('OBJECTID', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('MAILBOXID comes with CREATE, SELECT and STATUS and survives RENAME', async () => {
    const u = await fx.user();
    const c = await u.connect();
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / OBJECTID( |$)/);
    const id = objectId((await c.ok('CREATE Projects')).tagged, 'MAILBOXID');
    assert.match(id, /^F[A-Za-z0-9_-]{1,254}$/);
    assert.equal(objectId((await c.ok('STATUS Projects (MAILBOXID MESSAGES)')).untagged[0]!, 'MAILBOXID'), id);
    await c.ok('RENAME Projects Archive2026');
    assert.equal(objectId(grep((await c.ok('SELECT Archive2026')).untagged, /MAILBOXID/)[0]!, 'MAILBOXID'), id, 'RENAME keeps it');
    const inbox = objectId((await c.ok('STATUS INBOX (MAILBOXID)')).untagged[0]!, 'MAILBOXID');
    assert.notEqual(inbox, id);
    c.close();
  });

  it('EMAILID stays through COPY and MOVE, THREADID links a reply, and SEARCH finds both', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', textMessage({ subject: 'plan', messageId: '<plan-1@x.example>' }));
    await u.deliver('INBOX', textMessage({ subject: 'Re: plan', messageId: '<plan-2@x.example>', headers: { 'In-Reply-To': '<plan-1@x.example>', References: '<plan-1@x.example>' } }));
    await u.deliver('INBOX', textMessage({ subject: 'unrelated' }));
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const lines = grep((await c.ok('FETCH 1:3 (EMAILID THREADID)')).untagged, /FETCH/);
    const emails = lines.map((l) => objectId(l, 'EMAILID'));
    const threads = lines.map((l) => objectId(l, 'THREADID'));
    assert.equal(new Set(emails).size, 3, 'distinct messages, distinct EMAILIDs');
    assert.equal(threads[0], threads[1], 'the reply is in the thread of the original');
    assert.notEqual(threads[0], threads[2]);
    assert.deepEqual(grep((await c.ok(`SEARCH THREADID ${threads[0]}`)).untagged, /SEARCH/), ['* SEARCH 1 2']);
    assert.deepEqual(grep((await c.ok(`SEARCH EMAILID ${emails[2]}`)).untagged, /SEARCH/), ['* SEARCH 3']);
    assert.deepEqual(grep((await c.ok('SEARCH EMAILID Mnot-one-of-ours')).untagged, /SEARCH/), ['* SEARCH']);
    assert.match((await c.cmd('SEARCH EMAILID "bad id!"')).tagged, / BAD /);
    await c.ok('COPY 3 Archive');
    await c.ok('MOVE 1 Trash');
    await c.ok('SELECT Archive');
    assert.equal(objectId(grep((await c.ok('FETCH 1 (EMAILID)')).untagged, /FETCH/)[0]!, 'EMAILID'), emails[2], 'COPY keeps it');
    await c.ok('SELECT Trash');
    const moved = grep((await c.ok('UID FETCH 1:* (EMAILID THREADID)')).untagged, /FETCH/)[0]!;
    assert.equal(objectId(moved, 'EMAILID'), emails[0], 'MOVE keeps it');
    assert.equal(objectId(moved, 'THREADID'), threads[0]);
    c.close();
  });
});
