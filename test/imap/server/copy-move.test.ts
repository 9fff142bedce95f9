/** COPY, MOVE, EXPUNGE, UID EXPUNGE (RFC 3501 §6.4.3, §6.4.7; RFC 4315; RFC 6851). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('COPY, MOVE and EXPUNGE', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('COPY keeps flags and answers COPYUID; a missing target is TRYCREATE', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', undefined, ['\\Flagged']);
    await u.deliver();
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const archive = (await fx.store.mailboxes.getMailbox(u.id, 'Archive'))!;
    assert.match((await c.ok('COPY 1,3 Archive')).tagged, new RegExp(`^t\\d+ OK \\[COPYUID ${archive.uidValidity} 1,3 1:2\\] COPY completed$`));
    assert.match((await c.ok('UID COPY 2 Archive')).tagged, new RegExp(`^t\\d+ OK \\[COPYUID ${archive.uidValidity} 2 3\\] COPY completed$`));
    assert.match((await c.cmd('COPY 1 Nowhere')).tagged, /NO \[TRYCREATE\]/);
    const flags = (await fx.store.messages.list(archive.id, { limit: 10 })).map((m) => m.flags);
    assert.deepEqual(flags, [['\\Flagged'], [], []]);
    assert.match((await c.ok('UID COPY 99 Archive')).tagged, /^t\d+ OK Nothing to copy$/);
    c.close();
  });

  it('COPY into the selected mailbox reports the new messages', async () => {
    const u = await fx.user();
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const r = await c.ok('COPY 1 INBOX');
    assert.deepEqual(r.untagged, ['* 2 EXISTS', '* 2 RECENT']);
    c.close();
  });

  it('MOVE: untagged COPYUID, then EXPUNGE per moved message, then the tagged OK', async () => {
    const u = await fx.user();
    for (let i = 0; i < 4; i++) await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const trash = (await fx.store.mailboxes.getMailbox(u.id, 'Trash'))!;
    const r = await c.ok('MOVE 2:3 Trash');
    assert.deepEqual(r.untagged, [`* OK [COPYUID ${trash.uidValidity} 2:3 1:2] Moved`, '* 3 EXPUNGE', '* 2 EXPUNGE']);
    const r2 = await c.ok('UID MOVE 4 Trash');
    assert.deepEqual(r2.untagged, [`* OK [COPYUID ${trash.uidValidity} 4 3] Moved`, '* 2 EXPUNGE']);
    assert.deepEqual(grep((await c.ok('FETCH 1:* UID')).untagged, /FETCH/), ['* 1 FETCH (UID 1)']);
    assert.match((await c.cmd('MOVE 1 Nowhere')).tagged, /NO \[TRYCREATE\]/);
    assert.match((await c.cmd('MOVE 1 INBOX')).tagged, /NO \[CANNOT\]/);
    c.close();
  });

  it('EXPUNGE reports sequence numbers that are right when applied in order', async () => {
    const u = await fx.user();
    for (let i = 0; i < 6; i++) await u.deliver('INBOX', undefined, i % 2 === 0 ? ['\\Deleted'] : []);
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('EXPUNGE')).untagged, ['* 5 EXPUNGE', '* 3 EXPUNGE', '* 1 EXPUNGE']);
    assert.deepEqual(grep((await c.ok('FETCH 1:* UID')).untagged, /FETCH/), ['* 1 FETCH (UID 2)', '* 2 FETCH (UID 4)', '* 3 FETCH (UID 6)']);
    c.close();
  });

  it('UID EXPUNGE removes only the named \\Deleted messages (RFC 4315)', async () => {
    const u = await fx.user();
    for (let i = 0; i < 3; i++) await u.deliver('INBOX', undefined, ['\\Deleted']);
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('UID EXPUNGE 2:3')).untagged, ['* 3 EXPUNGE', '* 2 EXPUNGE']);
    assert.deepEqual((await c.ok('STATUS INBOX (MESSAGES)')).untagged, ['* STATUS INBOX (MESSAGES 1)']);
    c.close();
  });
});
