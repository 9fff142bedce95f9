/**
 * The shortcuts of the sync paths, end to end: a session's own flag change
 * is not read back from the journal, yet every change by another session is
 * still reported exactly once; SELECT serves its sequence map from the
 * process's UID lists, yet always matches the mailbox.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('sync paths', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it("another session's change made just before a silent STORE is still reported, once", async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX');
    await b.ok('STORE 1 +FLAGS.SILENT (\\Flagged)');
    const seen = [...(await a.ok('STORE 2 +FLAGS.SILENT (\\Seen)')).untagged, ...(await a.ok('NOOP')).untagged, ...(await a.ok('NOOP')).untagged];
    // A selected first, so it holds \Recent for these messages (RFC 3501 §2.3.2).
    assert.deepEqual(grep(seen, /FETCH/), ['* 1 FETCH (FLAGS (\\Flagged \\Recent))']);
    a.close();
    b.close();
  });

  it('after its own STORE a session still hears later changes, and not its own', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX');
    await a.ok('STORE 1:3 +FLAGS.SILENT (\\Seen)');
    assert.deepEqual(grep((await a.ok('NOOP')).untagged, /FETCH/), []);
    await b.ok('STORE 3 -FLAGS.SILENT (\\Seen)');
    assert.deepEqual(grep((await a.ok('NOOP')).untagged, /FETCH/), ['* 3 FETCH (FLAGS (\\Recent))']);
    // With CONDSTORE the silent change still reports its MODSEQ (RFC 7162 §3.1.3), and is not repeated later.
    const own = await a.ok('STORE 2 (UNCHANGEDSINCE 1000000) +FLAGS.SILENT (\\Flagged)');
    assert.equal(grep(own.untagged, /FETCH/).length, 1);
    assert.deepEqual(grep((await a.ok('NOOP')).untagged, /FETCH/), []);
    a.close();
    b.close();
  });

  it('SELECT after appends and expunges elsewhere maps exactly what the mailbox holds', async () => {
    const u = await fx.user();
    for (let i = 0; i < 5; i++) await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await a.ok('UNSELECT');
    await b.ok('SELECT INBOX');
    await b.ok('STORE 2,4 +FLAGS.SILENT (\\Deleted)');
    await b.ok('EXPUNGE');
    await u.deliver();
    const again = await a.ok('SELECT INBOX');
    assert.ok(again.untagged.includes('* 4 EXISTS'), again.untagged.join('\n'));
    assert.deepEqual(grep((await a.ok('FETCH 1:* (UID)')).untagged, /FETCH/), ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)', '* 3 FETCH (UID 5)', '* 4 FETCH (UID 6)']);
    assert.deepEqual(grep((await a.ok('UID FETCH 1:* (FLAGS)')).untagged, /FETCH/).length, 4);
    a.close();
    b.close();
  });
});
