/** METADATA (RFC 5464): server and mailbox entries, DEPTH and MAXSIZE, NIL removes, limits, bad names. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('METADATA', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('sets and reads mailbox and server entries; NIL removes one', async () => {
    const u = await fx.user();
    const c = await u.connect();
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / METADATA( |$)/);
    await c.ok('SETMETADATA INBOX (/private/comment "My own inbox" /shared/comment {5+}\r\nhello)');
    assert.deepEqual((await c.ok('GETMETADATA INBOX /private/comment')).untagged, ['* METADATA INBOX (/private/comment "My own inbox")']);
    assert.deepEqual((await c.ok('GETMETADATA INBOX (/shared/comment /private/comment /private/missing)')).untagged, [
      '* METADATA INBOX (/private/comment "My own inbox" /shared/comment "hello")',
    ]);
    await c.ok('SETMETADATA "" (/private/vendor/eider/theme "dark")');
    assert.deepEqual((await c.ok('GETMETADATA "" /private/vendor/eider/theme')).untagged, ['* METADATA "" (/private/vendor/eider/theme "dark")']);
    assert.deepEqual((await c.ok('GETMETADATA INBOX /private/vendor/eider/theme')).untagged, [], 'the server entry is not the mailbox one');
    await c.ok('SETMETADATA INBOX (/private/comment NIL)');
    assert.deepEqual((await c.ok('GETMETADATA INBOX /private/comment')).untagged, []);
    c.close();
  });

  it('DEPTH reaches children or the whole subtree; MAXSIZE leaves big values out with LONGENTRIES', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('SETMETADATA Drafts (/private/a "1" /private/a/b "22" /private/a/b/c "333")');
    assert.deepEqual(grep((await c.ok('GETMETADATA (DEPTH 1) Drafts /private/a')).untagged, /METADATA/), ['* METADATA Drafts (/private/a "1" /private/a/b "22")']);
    assert.deepEqual(grep((await c.ok('GETMETADATA (DEPTH infinity) Drafts /private/a')).untagged, /METADATA/), [
      '* METADATA Drafts (/private/a "1" /private/a/b "22" /private/a/b/c "333")',
    ]);
    const limited = await c.ok('GETMETADATA (MAXSIZE 2 DEPTH infinity) Drafts /private/a');
    assert.deepEqual(limited.untagged, ['* METADATA Drafts (/private/a "1" /private/a/b "22")']);
    assert.match(limited.tagged, /OK \[METADATA LONGENTRIES 3\]/);
    c.close();
  });

  it('refuses bad names and unknown mailboxes, and a value over the limit changes nothing', async () => {
    const u = await fx.user();
    const c = await u.connect();
    for (const bad of ['/public/x', '/private/*', '/private//x', '/private/x/', 'private/x', '/private']) {
      assert.match((await c.cmd(`SETMETADATA INBOX (${bad} "v")`)).tagged, / BAD /, bad);
    }
    assert.match((await c.cmd('GETMETADATA (DEPTH 2) INBOX /private/x')).tagged, / BAD /);
    assert.match((await c.cmd('GETMETADATA Nowhere /private/x')).tagged, /NO \[NONEXISTENT\]/);
    const big = 'x'.repeat(64 * 1024 + 1);
    const r = await c.cmd(`SETMETADATA INBOX (/private/ok "fine" /private/big {${big.length}+}\r\n${big})`);
    assert.match(r.tagged, /NO \[METADATA MAXSIZE 65536\]/);
    assert.deepEqual((await c.ok('GETMETADATA INBOX /private/ok')).untagged, [], 'all or nothing');
    c.close();
  });
});
