/** SELECT, EXAMINE, CLOSE, UNSELECT, CHECK (RFC 3501 §6.3.1–2, §6.4.1–2, RFC 3691). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('selecting mailboxes', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('SELECT reports FLAGS, PERMANENTFLAGS, EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, MAILBOXID, READ-WRITE', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', undefined, ['\\Seen']);
    await u.deliver();
    await u.deliver();
    const mb = (await fx.store.mailboxes.getMailbox(u.id, 'INBOX'))!;
    const c = await u.connect();
    const r = await c.ok('SELECT INBOX');
    assert.deepEqual(r.untagged, [
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted',
      '* 3 EXISTS',
      '* 3 RECENT',
      '* OK [UNSEEN 2] Message 2 is first unseen',
      `* OK [UIDVALIDITY ${mb.uidValidity}] UIDs valid`,
      '* OK [UIDNEXT 4] Predicted next UID',
      `* OK [HIGHESTMODSEQ ${mb.highestModseq}] Highest`,
      `* OK [MAILBOXID (F${mb.id})] Ok`,
    ]);
    assert.match(r.tagged, /OK \[READ-WRITE\] SELECT completed/);
    c.close();
  });

  it('\\Recent belongs to the first session that selects; EXAMINE neither claims it nor allows changes', async () => {
    const u = await fx.user();
    await u.deliver();
    const a = await u.connect();
    const examined = await a.ok('EXAMINE INBOX');
    assert.ok(examined.untagged.includes('* 1 RECENT'));
    assert.ok(examined.untagged.includes('* OK [PERMANENTFLAGS ()] No permanent flags permitted'));
    assert.match(examined.tagged, /OK \[READ-ONLY\]/);
    assert.match((await a.cmd('STORE 1 +FLAGS (\\Seen)')).tagged, /NO \[CANNOT\]/);
    assert.match((await a.cmd('EXPUNGE')).tagged, /NO \[CANNOT\]/);
    assert.deepEqual(grep((await a.ok('FETCH 1 (BODY[TEXT])')).untagged, /FLAGS/), []);
    const b = await u.connect();
    assert.ok((await b.ok('SELECT INBOX')).untagged.includes('* 1 RECENT'));
    assert.deepEqual(grep((await b.ok('FETCH 1 FLAGS')).untagged, /FETCH/), ['* 1 FETCH (FLAGS (\\Recent))']);
    const c = await u.connect();
    assert.ok((await c.ok('SELECT INBOX')).untagged.includes('* 0 RECENT'));
    for (const s of [a, b, c]) s.close();
  });

  it('SELECT of a missing mailbox fails and leaves the previous one closed', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const r = await c.cmd('SELECT Nope');
    assert.match(r.tagged, /NO \[NONEXISTENT\]/);
    assert.ok(r.untagged.includes('* OK [CLOSED] Previous mailbox is now closed'));
    assert.equal((await c.cmd('FETCH 1:* FLAGS')).status, 'BAD');
    c.close();
  });

  it('CLOSE expunges \\Deleted messages silently; UNSELECT keeps them', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', undefined, ['\\Deleted']);
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('UNSELECT')).untagged, []);
    assert.deepEqual((await c.ok('STATUS INBOX (MESSAGES)')).untagged, ['* STATUS INBOX (MESSAGES 2)']);
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('CLOSE')).untagged, []);
    assert.deepEqual((await c.ok('STATUS INBOX (MESSAGES)')).untagged, ['* STATUS INBOX (MESSAGES 1)']);
    assert.equal((await c.cmd('CLOSE')).status, 'BAD');
    c.close();
  });

  it('CLOSE on a mailbox opened with EXAMINE expunges nothing', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', undefined, ['\\Deleted']);
    const c = await u.connect();
    await c.ok('EXAMINE INBOX');
    await c.ok('CLOSE');
    assert.deepEqual((await c.ok('STATUS INBOX (MESSAGES)')).untagged, ['* STATUS INBOX (MESSAGES 1)']);
    c.close();
  });

  it('CHECK reports new messages like NOOP', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    await u.deliver();
    assert.deepEqual((await c.ok('CHECK')).untagged, ['* 1 EXISTS', '* 1 RECENT']);
    c.close();
  });
});
