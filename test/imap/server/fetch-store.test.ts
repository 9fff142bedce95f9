/** FETCH and STORE handlers (RFC 3501 §6.4.5–6, §6.4.8): sequence sets, implicit \Seen, UID in UID responses. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storageSchema } from '../../../src/config/sections/storage.js';
import { spoolBuffer } from '../../../src/storage/ingest.js';
import { SqliteStore } from '../../../src/storage/sqlite/engine.js';
import { multipartMessage, textMessage } from '../../helpers/messages.js';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

describe('FETCH and STORE', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('FETCH by sequence number and UID FETCH (which always includes UID)', async () => {
    const u = await fx.user();
    const msg = textMessage({ subject: 'hello' });
    await u.deliver('INBOX', msg, ['\\Seen']);
    await u.deliver('INBOX', textMessage(), ['\\Flagged']);
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.deepEqual(grep((await c.ok('FETCH 1:* (FLAGS RFC822.SIZE)')).untagged, /FETCH/), [
      `* 1 FETCH (FLAGS (\\Seen \\Recent) RFC822.SIZE ${msg.length})`,
      `* 2 FETCH (FLAGS (\\Flagged \\Recent) RFC822.SIZE ${(await fx.store.messages.list(await u.mailboxId('INBOX'), { limit: 2 }))[1]?.size})`,
    ]);
    assert.deepEqual(grep((await c.ok('UID FETCH 2 FLAGS')).untagged, /FETCH/), ['* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))']);
    assert.deepEqual(grep((await c.ok('UID FETCH 3:* FLAGS')).untagged, /FETCH/), ['* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))']);
    assert.deepEqual((await c.ok('UID FETCH 5:9 FLAGS')).untagged, []);
    c.close();
  });

  it('a sequence number beyond the mailbox is BAD; "1:*" on an empty mailbox is simply empty', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('FETCH 1:* FLAGS')).untagged, []);
    assert.match((await c.cmd('FETCH 1 FLAGS')).tagged, /BAD Invalid message sequence number/);
    c.close();
  });

  it('BODY[] sets \\Seen and reports FLAGS; BODY.PEEK[] does not', async () => {
    const u = await fx.user();
    const msg = textMessage({ body: 'peekaboo' });
    await u.deliver('INBOX', msg);
    await u.deliver('INBOX', msg);
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    c.t.send('a FETCH 1 BODY.PEEK[]');
    assert.equal(await c.t.line(), `* 1 FETCH (BODY[] {${msg.length}}`);
    assert.ok((await c.t.bytes(msg.length)).equals(msg));
    assert.equal(await c.t.line(), ')');
    await c.reply('a');
    c.t.send('b FETCH 2 BODY[TEXT]');
    const first = await c.t.line();
    assert.match(first, /^\* 2 FETCH \(BODY\[TEXT\] \{\d+\}$/);
    await c.t.bytes(Number(/\{(\d+)\}/.exec(first)?.[1]));
    assert.equal(await c.t.line(), ' FLAGS (\\Seen \\Recent))');
    await c.reply('b');
    assert.deepEqual(grep((await c.ok('FETCH 1:2 FLAGS')).untagged, /FETCH/), ['* 1 FETCH (FLAGS (\\Recent))', '* 2 FETCH (FLAGS (\\Seen \\Recent))']);
    c.close();
  });

  it('STORE FLAGS, +FLAGS, -FLAGS and .SILENT; keywords are kept as written', async () => {
    const u = await fx.user();
    await u.deliver();
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('STORE 1:2 +FLAGS (\\Flagged $Work)')).untagged, [
      '* 1 FETCH (FLAGS (\\Flagged $Work \\Recent))',
      '* 2 FETCH (FLAGS (\\Flagged $Work \\Recent))',
    ]);
    assert.deepEqual((await c.ok('STORE 1 -FLAGS ($work)')).untagged, ['* 1 FETCH (FLAGS (\\Flagged \\Recent))']);
    assert.deepEqual((await c.ok('STORE 2 FLAGS (\\Answered)')).untagged, ['* 2 FETCH (FLAGS (\\Answered \\Recent))']);
    assert.deepEqual((await c.ok('STORE 1:2 +FLAGS.SILENT (\\Seen)')).untagged, []);
    assert.deepEqual((await c.ok('UID STORE 2 +FLAGS \\Draft')).untagged, ['* 2 FETCH (UID 2 FLAGS (\\Seen \\Answered \\Draft \\Recent))']);
    assert.equal((await c.cmd('STORE 1 +FLAGS (\\Recent)')).status, 'BAD');
    assert.equal((await c.cmd('STORE 1 +FLAGS (\\Bogus)')).status, 'BAD');
    assert.deepEqual(grep((await c.ok('FETCH 1:2 FLAGS')).untagged, /FETCH/), [
      '* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))',
      '* 2 FETCH (FLAGS (\\Seen \\Answered \\Draft \\Recent))',
    ]);
    c.close();
  });

  it('own STORE changes are reported once, not again by the next NOOP', async () => {
    const u = await fx.user();
    await u.deliver();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    await c.ok('STORE 1 +FLAGS (\\Seen)');
    await c.ok('FETCH 1 BODY[]');
    assert.deepEqual((await c.ok('NOOP')).untagged, []);
    c.close();
  });
});

describe('FETCH header listings', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('answers bodies stored without renditions (an older build) in the same listing, identically', async () => {
    const u = await fx.user();
    const box = await u.mailboxId('INBOX');
    await u.deliver('INBOX', multipartMessage({ subject: 'rendered' }));
    // A second store on the same data directory without the IMAP renderers, as a build before them was.
    const older = new SqliteStore(storageSchema.parse({ dataDir: fx.app.config.storage.dataDir }));
    try {
      const spooled = await spoolBuffer(older.blobs, multipartMessage({ subject: 'older' }));
      await older.messages.append(box, { blob: spooled.blob, parsed: spooled.parsed, flags: ['\\Seen'] });
      await older.blobs.release(spooled.blob);
    } finally {
      await older.close();
    }
    await u.deliver('INBOX', multipartMessage({ subject: 'rendered' }));
    const cols = await fx.store.messages.summaryColumns(box, [[1, 3]], { renditions: ['imap.bodystructure.1'] });
    assert.deepEqual(cols.renditions[0]?.map((r) => r !== null), [true, false, true], 'the middle one has none');
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const lines = grep((await c.ok('FETCH 1:3 (UID FLAGS ENVELOPE BODYSTRUCTURE)')).untagged, /FETCH/);
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^\* 2 FETCH \(UID 2 FLAGS \(\\Seen \\Recent\) ENVELOPE \(.*"older".*\) BODYSTRUCTURE \(\(/);
    // The page is answered from records (rendering the older body afresh): apart from subject, Message-ID and
    // boundary the three answers are the same bytes, and the first equals what the text path sends for it alone.
    const shape = (line: string): string =>
      line
        .replace(/^\* \d FETCH \(UID \d FLAGS \([^)]*\) /, '')
        .replace(/"(older|rendered)"/, '"S"')
        .replace(/"<[^"]*>"/, '"<id>"')
        .replace(/"boundary" "[^"]*"/i, '"boundary" "b"');
    assert.equal(shape(lines[1]!), shape(lines[0]!));
    assert.equal(shape(lines[2]!), shape(lines[0]!));
    assert.deepEqual(grep((await c.ok('FETCH 1 (UID FLAGS ENVELOPE BODYSTRUCTURE)')).untagged, /FETCH/), [lines[0]]);
    c.close();
  });
});
