/**
 * Two sessions on one mailbox (RFC 3501 §5.2, §7.4.1): changes made by one
 * are reported to the other at the points the RFC allows, with sequence
 * numbers that stay consistent with what the client was told.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('concurrent sessions', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('an expunge in A is not reported to B during FETCH, only at NOOP; B still fetches what exists', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX');
    await a.ok('STORE 2 +FLAGS.SILENT (\\Deleted)');
    assert.deepEqual((await a.ok('EXPUNGE')).untagged, ['* 2 EXPUNGE']);
    const fetched = await b.ok('FETCH 1:3 (UID)');
    assert.deepEqual(grep(fetched.untagged, /EXPUNGE/), []);
    assert.deepEqual(grep(fetched.untagged, /FETCH/), ['* 1 FETCH (UID 1)', '* 3 FETCH (UID 3)']);
    assert.match(fetched.tagged, /OK \[EXPUNGEISSUED\]/);
    // STORE and SEARCH may not report it either; their numbering is still the old one.
    assert.deepEqual(grep((await b.ok('STORE 3 +FLAGS (\\Seen)')).untagged, /EXPUNGE|FETCH/), ['* 3 FETCH (FLAGS (\\Seen))']);
    assert.deepEqual(grep((await b.ok('SEARCH ALL')).untagged, /SEARCH|EXPUNGE/), ['* SEARCH 1 3']);
    assert.deepEqual((await b.ok('NOOP')).untagged, ['* 2 EXPUNGE']);
    assert.deepEqual(grep((await b.ok('FETCH 1:* UID')).untagged, /FETCH/), ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)']);
    a.close();
    b.close();
  });

  it('UID FETCH may report a pending expunge (RFC 3501 §7.4.1)', async () => {
    const u = await fx.user();
    for (let i = 0; i < 2; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX');
    await a.ok('UID STORE 1 +FLAGS.SILENT (\\Deleted)');
    await a.ok('EXPUNGE');
    const r = await b.ok('UID FETCH 1:* FLAGS');
    assert.deepEqual(r.untagged.slice(-1), ['* 1 EXPUNGE']);
    a.close();
    b.close();
  });

  it('flags changed in A reach B at NOOP, with the sequence number B knows', async () => {
    const u = await fx.user();
    for (let i = 0; i < 2; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('EXAMINE INBOX');
    await a.ok('STORE 2 +FLAGS (\\Flagged)');
    assert.deepEqual((await b.ok('NOOP')).untagged, ['* 2 FETCH (FLAGS (\\Flagged))']);
    assert.deepEqual((await b.ok('NOOP')).untagged, []);
    a.close();
    b.close();
  });

  it('flags changed in A are pushed to B while B idles', async () => {
    const u = await fx.user();
    await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX');
    b.t.send('i IDLE');
    await b.t.expect(/^\+ idling/);
    await a.ok('STORE 1 +FLAGS (\\Answered)');
    // A selected first, so A holds \\Recent (RFC 3501 §2.3.2).
    assert.equal(await b.t.line(), '* 1 FETCH (FLAGS (\\Answered))');
    b.t.send('DONE');
    assert.deepEqual((await b.reply('i')).untagged, []);
    a.close();
    b.close();
  });

  it('a new message and an expunge are pushed during IDLE', async () => {
    const u = await fx.user();
    await u.deliver();
    const b = await u.connect();
    await b.ok('SELECT INBOX');
    b.t.send('i IDLE');
    await b.t.expect(/^\+ idling/);
    await u.deliver();
    // Both messages are \\Recent for B: it claimed the first at SELECT, the second on arrival.
    assert.deepEqual([await b.t.line(), await b.t.line()], ['* 2 EXISTS', '* 2 RECENT']);
    const a = await u.connect();
    await a.ok('SELECT INBOX');
    await a.ok('STORE 1 +FLAGS.SILENT (\\Deleted)');
    await a.ok('EXPUNGE');
    // The \\Deleted flag may be pushed first, depending on when B wakes; the EXPUNGE must follow.
    const pushed = await b.t.until(/EXPUNGE/);
    assert.equal(pushed.pop(), '* 1 EXPUNGE');
    assert.ok(pushed.every((l) => l === '* 1 FETCH (FLAGS (\\Deleted \\Recent))'), pushed.join());
    b.t.send('DONE');
    await b.reply('i');
    assert.deepEqual(grep((await b.ok('FETCH 1:* UID')).untagged, /FETCH/), ['* 1 FETCH (UID 2)']);
    a.close();
    b.close();
  });

  it('IDLE ends with DONE in any case; anything else is BAD', async () => {
    const u = await fx.user();
    const c = await u.connect();
    c.t.send('i IDLE');
    await c.t.expect(/^\+ idling/);
    c.t.send('done');
    assert.match((await c.reply('i')).tagged, /^i OK IDLE terminated/);
    c.t.send('j IDLE');
    await c.t.expect(/^\+ idling/);
    c.t.send('NOOP');
    assert.match((await c.reply('j')).tagged, /^j BAD/);
    await c.ok('NOOP');
    c.close();
  });

  it('a message moved away by A disappears from B at the next allowed point', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX');
    await a.ok('MOVE 1 Archive');
    assert.deepEqual(grep((await b.ok('COPY 2 Trash')).untagged, /EXPUNGE/), ['* 1 EXPUNGE']);
    a.close();
    b.close();
  });

  it('deleting the mailbox B has selected ends B with BYE', async () => {
    const u = await fx.user();
    const a = await u.connect();
    await a.ok('CREATE Doomed');
    const b = await u.connect();
    await b.ok('SELECT Doomed');
    await a.ok('DELETE Doomed');
    b.t.send('n NOOP');
    await b.t.expect(/^\* BYE Selected mailbox was deleted/);
    await b.t.closedByServer();
    a.close();
  });

  it('closing a user\'s sessions (the admin API path) sends BYE', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.equal(fx.app.app.ctx.sessions.closeUser(u.id, 'Logged out by administrator'), 1);
    await c.t.expect(/^\* BYE Logged out by administrator/);
    await c.t.closedByServer();
  });

  it('a notifier logout event for the user sends BYE', async () => {
    const u = await fx.user();
    const c = await u.connect();
    fx.app.app.ctx.notifier.publish([{ userId: u.id, mailboxId: '', kind: 'logout' }]);
    await c.t.expect(/^\* BYE Session terminated/);
    await c.t.closedByServer();
  });
});
