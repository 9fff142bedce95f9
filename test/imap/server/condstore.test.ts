/** CONDSTORE and QRESYNC (RFC 7162) through the IMAP server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture, type ImapUser } from './helpers.js';

async function highestModseq(fx: ImapFixture, u: ImapUser): Promise<number> {
  return (await fx.store.mailboxes.getMailbox(u.id, 'INBOX'))!.highestModseq;
}

describe('CONDSTORE and QRESYNC', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('ENABLE reports what it turned on; unknown names are ignored', async () => {
    const c = await (await fx.user()).connect();
    assert.deepEqual((await c.ok('ENABLE CONDSTORE X-UNKNOWN')).untagged, ['* ENABLED CONDSTORE']);
    assert.deepEqual((await c.ok('ENABLE QRESYNC CONDSTORE')).untagged, ['* ENABLED QRESYNC']);
    assert.deepEqual((await c.ok('ENABLE X-NOT-A-THING')).untagged, ['* ENABLED']);
    c.close();
  });

  it('FETCH MODSEQ enables CONDSTORE: HIGHESTMODSEQ is announced, then MODSEQ per message', async () => {
    const u = await fx.user();
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const h = await highestModseq(fx, u);
    const r = await c.ok('FETCH 1 (FLAGS MODSEQ)');
    assert.deepEqual(r.untagged, [`* OK [HIGHESTMODSEQ ${h}] Highest`, `* 1 FETCH (FLAGS (\\Recent) MODSEQ (${h}))`]);
    assert.deepEqual((await c.ok('FETCH 1 (MODSEQ)')).untagged, [`* 1 FETCH (MODSEQ (${h}))`]);
    c.close();
  });

  it('FETCH CHANGEDSINCE returns only what changed, with MODSEQ', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX (CONDSTORE)');
    const h = await highestModseq(fx, u);
    const stored = await c.ok('STORE 2 +FLAGS (\\Seen)');
    assert.deepEqual(stored.untagged, [`* 2 FETCH (UID 2 MODSEQ (${h + 1}) FLAGS (\\Seen \\Recent))`]);
    assert.deepEqual((await c.ok(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${h})`)).untagged, [`* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (${h + 1}))`]);
    assert.deepEqual((await c.ok(`FETCH 1:* (UID) (CHANGEDSINCE ${h + 1})`)).untagged, []);
    c.close();
  });

  it('STORE UNCHANGEDSINCE refuses messages changed since, with MODIFIED', async () => {
    const u = await fx.user();
    for (let i = 0; i < 2; i++) await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const h = await highestModseq(fx, u);
    await c.ok('STORE 2 +FLAGS.SILENT (\\Flagged)');
    const r = await c.ok(`STORE 1:2 (UNCHANGEDSINCE ${h}) +FLAGS (\\Seen)`);
    assert.match(r.tagged, /OK \[MODIFIED 2\]/);
    assert.deepEqual(grep(r.untagged, /FETCH/), [`* 1 FETCH (UID 1 MODSEQ (${h + 2}) FLAGS (\\Seen \\Recent))`]);
    assert.match((await c.ok(`UID STORE 2 (UNCHANGEDSINCE ${h}) +FLAGS (\\Seen)`)).tagged, /OK \[MODIFIED 2\]/);
    // RFC 7162 §3.1.3: with .SILENT the new MODSEQ is still reported.
    assert.deepEqual((await c.ok('STORE 2 +FLAGS.SILENT (\\Answered)')).untagged, [`* 2 FETCH (UID 2 MODSEQ (${h + 3}))`]);
    c.close();
  });

  it('SEARCH MODSEQ answers with the highest mod-sequence of the matches', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX (CONDSTORE)');
    const h = await highestModseq(fx, u);
    await c.ok('STORE 3 +FLAGS.SILENT (\\Seen)');
    assert.deepEqual((await c.ok(`SEARCH MODSEQ ${h}`)).untagged, [`* SEARCH 3 (MODSEQ ${h + 1})`]);
    assert.match((await c.ok(`SEARCH RETURN (COUNT) MODSEQ ${h}`)).untagged[0] ?? '', new RegExp(`COUNT 1 MODSEQ ${h + 1}$`));
    assert.deepEqual((await c.ok(`SEARCH MODSEQ ${h + 5}`)).untagged, ['* SEARCH']);
    c.close();
  });

  it('flag changes by others carry UID and MODSEQ once CONDSTORE is on', async () => {
    const u = await fx.user();
    await u.deliver();
    const a = await u.connect();
    const b = await u.connect();
    await a.ok('SELECT INBOX');
    await b.ok('SELECT INBOX (CONDSTORE)');
    await a.ok('STORE 1 +FLAGS (\\Flagged)');
    const h = await highestModseq(fx, u);
    assert.deepEqual((await b.ok('NOOP')).untagged, [`* 1 FETCH (UID 1 MODSEQ (${h}) FLAGS (\\Flagged))`]);
    a.close();
    b.close();
  });

  it('SELECT (QRESYNC ...) reports VANISHED (EARLIER) and changed flags since the client\'s state', async () => {
    const u = await fx.user();
    for (let i = 0; i < 4; i++) await u.deliver();
    const mb = (await fx.store.mailboxes.getMailbox(u.id, 'INBOX'))!;
    const h = mb.highestModseq;
    const a = await u.connect();
    await a.ok('SELECT INBOX');
    await a.ok('STORE 2 +FLAGS.SILENT (\\Deleted)');
    await a.ok('EXPUNGE');
    await a.ok('STORE 3 +FLAGS.SILENT (\\Seen)');
    const c = await u.connect();
    assert.equal((await c.cmd(`SELECT INBOX (QRESYNC (${mb.uidValidity} ${h}))`)).status, 'BAD');
    await c.ok('ENABLE QRESYNC');
    const r = await c.ok(`SELECT INBOX (QRESYNC (${mb.uidValidity} ${h} 1:4))`);
    const now = await highestModseq(fx, u);
    assert.deepEqual(r.untagged.slice(-2), ['* VANISHED (EARLIER) 2', `* 3 FETCH (UID 4 MODSEQ (${now}) FLAGS (\\Seen))`]);
    // A stale UIDVALIDITY means a full resync: no VANISHED, no FETCH.
    const stale = await c.ok(`SELECT INBOX (QRESYNC (${mb.uidValidity + 1} ${h}))`);
    assert.deepEqual(grep(stale.untagged, /VANISHED|FETCH/), []);
    a.close();
    c.close();
  });

  it('with QRESYNC, expunges are VANISHED, and UID FETCH (CHANGEDSINCE n VANISHED) reports them (EARLIER)', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver();
    const h = await highestModseq(fx, u);
    const a = await u.connect();
    const c = await u.connect();
    await a.ok('SELECT INBOX');
    await c.ok('ENABLE QRESYNC');
    await c.ok('SELECT INBOX');
    await a.ok('STORE 1 +FLAGS.SILENT (\\Deleted)');
    await a.ok('EXPUNGE');
    assert.deepEqual((await c.ok('NOOP')).untagged, ['* VANISHED 1']);
    assert.deepEqual((await c.ok(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${h} VANISHED)`)).untagged, ['* VANISHED (EARLIER) 1']);
    await c.ok('STORE 1 +FLAGS.SILENT (\\Deleted)');
    assert.deepEqual((await c.ok('EXPUNGE')).untagged, ['* VANISHED 2']);
    assert.equal((await a.cmd(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${h} VANISHED)`)).status, 'BAD');
    a.close();
    c.close();
  });

  it('STATUS HIGHESTMODSEQ is a CONDSTORE enabling command', async () => {
    const u = await fx.user();
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const h = await highestModseq(fx, u);
    const r = await c.ok('STATUS INBOX (HIGHESTMODSEQ)');
    assert.deepEqual(r.untagged, [`* OK [HIGHESTMODSEQ ${h}] Highest`, `* STATUS INBOX (HIGHESTMODSEQ ${h})`]);
    c.close();
  });
});
