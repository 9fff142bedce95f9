/** PREVIEW (RFC 8970): the text computed at delivery, with or without LAZY; NIL for a message without text. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { textMessage } from '../../helpers/messages.js';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('PREVIEW', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('answers the stored preview, plain text of at most 256 characters', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', textMessage({ body: 'Hello   there,\r\n\r\nthe   minutes are attached.' }));
    await u.deliver('INBOX', textMessage({ body: 'word '.repeat(200) }));
    await u.deliver('INBOX', Buffer.from('Subject: empty\r\n\r\n'));
    const c = await u.connect();
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / PREVIEW( |$)/);
    await c.ok('SELECT INBOX');
    const lines = grep((await c.ok('FETCH 1:3 (UID PREVIEW)')).untagged, /FETCH/);
    assert.equal(lines[0], '* 1 FETCH (UID 1 PREVIEW "Hello there, the minutes are attached.")');
    const long = /PREVIEW "([^"]*)"/.exec(lines[1]!)?.[1] ?? '';
    assert.ok(long.length > 0 && long.length <= 256, `length ${long.length}`);
    assert.equal(lines[2], '* 3 FETCH (UID 3 PREVIEW NIL)');
    assert.deepEqual(grep((await c.ok('FETCH 1 (PREVIEW (LAZY) FLAGS)')).untagged, /FETCH/), [
      '* 1 FETCH (PREVIEW "Hello there, the minutes are attached." FLAGS (\\Recent))',
    ]);
    assert.match((await c.cmd('FETCH 1 (PREVIEW (EAGER))')).tagged, / BAD /);
    c.close();
  });
});
