/** UTF8=ACCEPT (RFC 6855): ENABLE, UTF-8 mailbox names both ways, UTF-8 in ENVELOPE, CHARSET rules, APPEND UTF8. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grep, imapFixture, type ImapFixture } from './helpers.js';

/** The transcript reads lines as latin1 (one char per octet); these responses are UTF-8. */
const utf8 = (lines: string[]): string[] => lines.map((l) => Buffer.from(l, 'latin1').toString('utf8'));

describe('UTF8=ACCEPT', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('is advertised and enabled only in the authenticated state', async () => {
    const u = await fx.user();
    const c = await u.connect();
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / UTF8=ACCEPT( |$)/);
    await c.ok('SELECT INBOX');
    assert.deepEqual((await c.ok('ENABLE UTF8=ACCEPT')).untagged, ['* ENABLED'], 'not while a mailbox is selected');
    await c.ok('UNSELECT');
    assert.deepEqual((await c.ok('ENABLE UTF8=ACCEPT')).untagged, ['* ENABLED UTF8=ACCEPT']);
    assert.deepEqual((await c.ok('ENABLE UTF8=ACCEPT')).untagged, ['* ENABLED'], 'once');
    c.close();
  });

  it('mailbox names are UTF-8 for an enabled session and modified UTF-7 for others', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('ENABLE UTF8=ACCEPT');
    await c.ok('CREATE "Entwürfe/Grüße"');
    assert.deepEqual(utf8(grep((await c.ok('LIST "" "Entwürfe/*"')).untagged, /LIST/)), ['* LIST (\\HasNoChildren) "/" "Entwürfe/Grüße"']);
    assert.match(utf8((await c.ok('STATUS "Entwürfe/Grüße" (MESSAGES)')).untagged)[0]!, /^\* STATUS "Entwürfe\/Grüße" \(MESSAGES 0\)$/);
    const old = await u.connect();
    assert.deepEqual(grep((await old.ok('LIST "" "Entw&APw-rfe/*"')).untagged, /LIST/), ['* LIST (\\HasNoChildren) "/" Entw&APw-rfe/Gr&APwA3w-e']);
    old.close();
    c.close();
  });

  it('ENVELOPE carries raw UTF-8 header text as quoted UTF-8', async () => {
    const u = await fx.user();
    const raw = Buffer.from('From: Jürgen <j@example.de>\r\nSubject: Grüße aus Köln\r\nDate: Mon, 1 Dec 2026 10:00:00 +0000\r\n\r\nHallo\r\n', 'utf8');
    await u.deliver('INBOX', raw);
    const c = await u.connect();
    await c.ok('ENABLE UTF8=ACCEPT');
    await c.ok('SELECT INBOX');
    const line = utf8(grep((await c.ok('FETCH 1 (ENVELOPE)')).untagged, /FETCH/))[0]!;
    assert.match(line, /"Grüße aus Köln"/);
    assert.match(line, /\(\("Jürgen" NIL "j" "example\.de"\)\)/);
    c.close();
  });

  it('SEARCH with a CHARSET, and SORT/THREAD with one other than UTF-8, are BAD once enabled', async () => {
    const u = await fx.user();
    await u.deliver('INBOX');
    const c = await u.connect();
    await c.ok('ENABLE UTF8=ACCEPT');
    await c.ok('SELECT INBOX');
    assert.match((await c.cmd('SEARCH CHARSET UTF-8 ALL')).tagged, / BAD /);
    assert.match((await c.cmd('SORT (DATE) US-ASCII ALL')).tagged, / BAD /);
    assert.match((await c.cmd('THREAD REFERENCES US-ASCII ALL')).tagged, / BAD /);
    assert.deepEqual(grep((await c.ok('SEARCH OR SUBJECT "ü" ALL')).untagged, /SEARCH/), ['* SEARCH 1']);
    assert.deepEqual(grep((await c.ok('SORT (DATE) UTF-8 ALL')).untagged, /SORT/), ['* SORT 1']);
    c.close();
  });

  it('APPEND takes the UTF8 (literal8) form and stores the bytes as sent', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('ENABLE UTF8=ACCEPT');
    const raw = Buffer.from('From: zoë@exämple.org\r\nSubject: Überraschung\r\n\r\nß\r\n', 'utf8');
    c.t.send(`a APPEND INBOX UTF8 (~{${raw.length}}`);
    await c.t.expect(/^\+ /);
    c.t.write(Buffer.concat([raw, Buffer.from(')\r\n')]));
    assert.match((await c.reply('a')).tagged, /^a OK \[APPENDUID \d+ 1\]/);
    const mb = (await fx.store.mailboxes.getMailbox(u.id, 'INBOX'))!;
    const [record] = await fx.store.messages.getRecords(mb.id, [1]);
    assert.ok((await fx.store.messages.read(record!)).equals(raw));
    c.close();
  });
});
