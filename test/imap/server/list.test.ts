/** LIST (RFC 3501 §6.3.8), LIST-EXTENDED (RFC 5258), SPECIAL-USE (RFC 6154), LIST-STATUS (RFC 5819). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapClient, type ImapFixture, type ImapUser } from './helpers.js';

describe('LIST', () => {
  let fx: ImapFixture;
  let u: ImapUser;
  let c: ImapClient;
  before(async () => {
    fx = await imapFixture();
    u = await fx.user();
    c = await u.connect();
    await c.ok('CREATE Projects/Alpha/Notes');
    await c.ok('CREATE Projects/Beta');
    await c.ok('UNSUBSCRIBE Projects');
    await c.ok('UNSUBSCRIBE Projects/Alpha');
    await c.ok('UNSUBSCRIBE Projects/Beta');
  });
  after(async () => {
    c.close();
    await fx.stop();
  });

  it('"*" lists everything, INBOX first, with children and special-use attributes', async () => {
    const r = await c.ok('LIST "" "*"');
    assert.deepEqual(r.untagged, [
      '* LIST (\\HasNoChildren) "/" INBOX',
      '* LIST (\\HasNoChildren \\Archive) "/" Archive',
      '* LIST (\\HasNoChildren \\Drafts) "/" Drafts',
      '* LIST (\\HasNoChildren \\Junk) "/" Junk',
      '* LIST (\\HasChildren) "/" Projects',
      '* LIST (\\HasChildren) "/" Projects/Alpha',
      '* LIST (\\HasNoChildren) "/" Projects/Alpha/Notes',
      '* LIST (\\HasNoChildren) "/" Projects/Beta',
      '* LIST (\\HasNoChildren \\Sent) "/" Sent',
      '* LIST (\\HasNoChildren \\Trash) "/" Trash',
    ]);
  });

  it('"%" stops at one level; the reference is a hierarchy level', async () => {
    assert.deepEqual(grep((await c.ok('LIST "" "%"')).untagged, /Projects/), ['* LIST (\\HasChildren) "/" Projects']);
    assert.deepEqual((await c.ok('LIST "Projects" "%"')).untagged, [
      '* LIST (\\HasChildren) "/" Projects/Alpha',
      '* LIST (\\HasNoChildren) "/" Projects/Beta',
    ]);
    assert.deepEqual((await c.ok('LIST "Projects/" "%/Notes"')).untagged, ['* LIST (\\HasNoChildren) "/" Projects/Alpha/Notes']);
  });

  it('an empty pattern returns the hierarchy separator; INBOX matches in any case', async () => {
    assert.deepEqual((await c.ok('LIST "" ""')).untagged, ['* LIST (\\Noselect) "/" ""']);
    assert.deepEqual((await c.ok('LIST "" inbox')).untagged, ['* LIST (\\HasNoChildren) "/" INBOX']);
    assert.deepEqual((await c.ok('LIST "" nothing*')).untagged, []);
  });

  it('RETURN (SUBSCRIBED CHILDREN SPECIAL-USE) and several patterns', async () => {
    const r = await c.ok('LIST "" (INBOX Sent Projects) RETURN (SUBSCRIBED CHILDREN SPECIAL-USE)');
    assert.deepEqual(r.untagged, [
      '* LIST (\\HasNoChildren \\Subscribed) "/" INBOX',
      '* LIST (\\HasChildren) "/" Projects',
      '* LIST (\\HasNoChildren \\Sent \\Subscribed) "/" Sent',
    ]);
  });

  it('(SUBSCRIBED) selects subscribed mailboxes; RECURSIVEMATCH shows parents with CHILDINFO', async () => {
    assert.deepEqual(grep((await c.ok('LIST (SUBSCRIBED) "" "Projects*"')).untagged, /Projects/), [
      '* LIST (\\HasNoChildren \\Subscribed) "/" Projects/Alpha/Notes',
    ]);
    assert.deepEqual(grep((await c.ok('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"')).untagged, /Projects/), [
      '* LIST (\\HasChildren) "/" Projects ("CHILDINFO" ("SUBSCRIBED"))',
    ]);
  });

  it('(SPECIAL-USE) selects the special-use mailboxes', async () => {
    const r = await c.ok('LIST (SPECIAL-USE) "" "*"');
    assert.deepEqual(r.untagged.map((l) => l.split(' ').pop()), ['Archive', 'Drafts', 'Junk', 'Sent', 'Trash']);
  });

  it('RETURN (STATUS (...)) adds a STATUS response per selectable mailbox (LIST-STATUS)', async () => {
    await u.deliver('Projects/Beta');
    const r = await c.ok('LIST "" "Projects/%" RETURN (STATUS (MESSAGES UNSEEN))');
    assert.deepEqual(r.untagged, [
      '* LIST (\\HasChildren) "/" Projects/Alpha',
      '* STATUS Projects/Alpha (MESSAGES 0 UNSEEN 0)',
      '* LIST (\\HasNoChildren) "/" Projects/Beta',
      '* STATUS Projects/Beta (MESSAGES 1 UNSEEN 1)',
    ]);
  });

  it('a missing parent is \\NonExistent under the extended syntax', async () => {
    await c.ok('CREATE Gone/kept');
    await c.ok('DELETE Gone');
    assert.deepEqual(grep((await c.ok('LIST "" "Gone" RETURN (CHILDREN)')).untagged, /Gone/), ['* LIST (\\NonExistent \\HasChildren) "/" Gone']);
  });
});
