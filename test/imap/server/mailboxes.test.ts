/** CREATE, DELETE, RENAME, SUBSCRIBE, LSUB, STATUS, NAMESPACE, QUOTA and mailbox names on the wire. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('mailbox commands', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('CREATE makes missing parents; a trailing separator is dropped; duplicates are ALREADYEXISTS', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('CREATE Work/2026/Q1');
    await c.ok('CREATE Lists/');
    const names = (await fx.store.mailboxes.listMailboxes(u.id)).map((m) => m.path);
    assert.ok(['Work', 'Work/2026', 'Work/2026/Q1', 'Lists'].every((p) => names.includes(p)));
    assert.match((await c.cmd('CREATE Work')).tagged, /NO \[ALREADYEXISTS\]/);
    assert.match((await c.cmd('CREATE inbox')).tagged, /NO \[ALREADYEXISTS\]/);
    assert.match((await c.cmd('CREATE "a//b"')).tagged, /NO \[CANNOT\]/);
    c.close();
  });

  it('CREATE-SPECIAL-USE: a new special use is stored; one taken by another mailbox is USEATTR', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('CREATE Starred (USE (\\Flagged))');
    assert.equal((await fx.store.mailboxes.getMailbox(u.id, 'Starred'))?.specialUse, '\\Flagged');
    assert.match((await c.cmd('CREATE Sent2 (USE (\\Sent))')).tagged, /NO \[USEATTR\]/);
    assert.match((await c.cmd('CREATE X (USE (\\Bogus))')).tagged, /NO \[USEATTR\]/);
    assert.match((await c.cmd('CREATE Y (USE (\\Junk \\Trash))')).tagged, /NO \[USEATTR\]/);
    c.close();
  });

  it('DELETE: messages go, children stay (the parent lists as \\Noselect); INBOX and unknown names are refused', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('CREATE P/child');
    await u.deliver('P');
    await c.ok('DELETE P');
    assert.deepEqual(grep((await c.ok('LIST "" "P*"')).untagged, /P/), ['* LIST (\\Noselect \\HasChildren) "/" P', '* LIST (\\HasNoChildren) "/" P/child']);
    assert.match((await c.cmd('DELETE P')).tagged, /NO \[NONEXISTENT\]/);
    assert.match((await c.cmd('DELETE INBOX')).tagged, /NO \[CANNOT\]/);
    await c.ok('SELECT P/child');
    assert.match((await c.cmd('DELETE P/child')).tagged, /NO \[INUSE\]/);
    c.close();
  });

  it('RENAME moves children along; target taken is ALREADYEXISTS, source missing NONEXISTENT', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('CREATE Old/sub');
    const uid = await u.deliver('Old/sub');
    await c.ok('RENAME Old New/Place');
    const names = (await fx.store.mailboxes.listMailboxes(u.id)).map((m) => m.path);
    assert.ok(names.includes('New/Place/sub') && !names.includes('Old'));
    const r = await c.ok('STATUS New/Place/sub (MESSAGES UIDNEXT)');
    assert.deepEqual(r.untagged, [`* STATUS New/Place/sub (MESSAGES 1 UIDNEXT ${uid + 1})`]);
    assert.match((await c.cmd('RENAME Old X')).tagged, /NO \[NONEXISTENT\]/);
    assert.match((await c.cmd('RENAME Drafts Trash')).tagged, /NO \[ALREADYEXISTS\]/);
    c.close();
  });

  it('RENAME INBOX moves its messages to the new mailbox and leaves INBOX empty', async () => {
    const u = await fx.user();
    await u.deliver();
    await u.deliver();
    const c = await u.connect();
    await c.ok('RENAME INBOX Saved');
    assert.deepEqual((await c.ok('STATUS INBOX (MESSAGES)')).untagged, ['* STATUS INBOX (MESSAGES 0)']);
    assert.deepEqual((await c.ok('STATUS Saved (MESSAGES)')).untagged, ['* STATUS Saved (MESSAGES 2)']);
    c.close();
  });

  it('SUBSCRIBE, UNSUBSCRIBE and LSUB, with the \\Noselect parent rule for "%"', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('CREATE Club/News');
    await c.ok('UNSUBSCRIBE Club');
    await c.ok('UNSUBSCRIBE Trash');
    assert.deepEqual(grep((await c.ok('LSUB "" "Club*"')).untagged, /Club/), ['* LSUB () "/" Club/News']);
    assert.deepEqual(grep((await c.ok('LSUB "" "%"')).untagged, /Club|Trash/), ['* LSUB (\\Noselect) "/" Club']);
    await c.ok('SUBSCRIBE Trash');
    assert.deepEqual(grep((await c.ok('LSUB "" Trash')).untagged, /Trash/), ['* LSUB () "/" Trash']);
    assert.match((await c.cmd('SUBSCRIBE Nowhere')).tagged, /NO \[NONEXISTENT\]/);
    await c.ok('UNSUBSCRIBE Nowhere');
    assert.deepEqual((await c.ok('LSUB "" ""')).untagged, ['* LSUB (\\Noselect) "/" ""']);
    c.close();
  });

  it('STATUS reports every item; unknown mailboxes are NONEXISTENT', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', undefined, ['\\Seen']);
    await u.deliver();
    const c = await u.connect();
    const r = await c.ok('STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE APPENDLIMIT)');
    const mb = await fx.store.mailboxes.getMailbox(u.id, 'INBOX');
    const size = (await fx.store.mailboxes.counters(mb!.id)).size;
    assert.deepEqual(r.untagged, [
      `* STATUS INBOX (MESSAGES 2 RECENT 2 UIDNEXT 3 UIDVALIDITY ${mb!.uidValidity} UNSEEN 1 HIGHESTMODSEQ ${mb!.highestModseq} SIZE ${size} APPENDLIMIT 67108864)`,
    ]);
    assert.match((await c.cmd('STATUS Nope (MESSAGES)')).tagged, /NO \[NONEXISTENT\]/);
    assert.equal((await c.cmd('STATUS INBOX (BOGUS)')).status, 'BAD');
    c.close();
  });

  it('names travel in modified UTF-7 and are stored as UTF-8; invalid UTF-7 is refused', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('CREATE "Caf&AOk-/&ZeVnLIqe-"');
    const names = (await fx.store.mailboxes.listMailboxes(u.id)).map((m) => m.path);
    assert.ok(names.includes('Café/日本語'), names.join());
    assert.deepEqual(grep((await c.ok('LIST "" "Caf&AOk-/*"')).untagged, /Caf/), ['* LIST (\\HasNoChildren) "/" Caf&AOk-/&ZeVnLIqe-']);
    assert.equal((await c.cmd('CREATE "&Jjo"')).status, 'NO');
    assert.equal((await c.cmd('SELECT "&AGE-"')).status, 'NO');
    await c.ok('CREATE "with space"');
    assert.deepEqual(grep((await c.ok('LIST "" "with*"')).untagged, /with/), ['* LIST (\\HasNoChildren) "/" "with space"']);
    c.close();
  });

  it('NAMESPACE: one personal namespace with "/"', async () => {
    const c = await (await fx.user()).connect();
    assert.deepEqual((await c.ok('NAMESPACE')).untagged, ['* NAMESPACE (("" "/")) NIL NIL']);
    c.close();
  });

  it('GETQUOTAROOT/GETQUOTA report storage in KiB; no quota means no root; SETQUOTA is refused', async () => {
    const u = await fx.user({ quota: 10 * 1024 * 1024 });
    await u.deliver();
    const c = await u.connect();
    const used = Math.ceil((await fx.store.quota.usage(u.id)).used / 1024);
    assert.deepEqual((await c.ok('GETQUOTAROOT INBOX')).untagged, ['* QUOTAROOT INBOX ""', `* QUOTA "" (STORAGE ${used} 10240)`]);
    assert.deepEqual((await c.ok('GETQUOTA ""')).untagged, [`* QUOTA "" (STORAGE ${used} 10240)`]);
    assert.match((await c.cmd('GETQUOTA other')).tagged, /NO \[NONEXISTENT\]/);
    assert.match((await c.cmd('SETQUOTA "" (STORAGE 1)')).tagged, /NO \[NOPERM\]/);
    assert.match((await c.cmd('GETQUOTAROOT Nope')).tagged, /NO \[NONEXISTENT\]/);
    c.close();
    const free = await (await fx.user()).connect();
    assert.deepEqual((await free.ok('GETQUOTAROOT INBOX')).untagged, ['* QUOTAROOT INBOX']);
    free.close();
  });
});
