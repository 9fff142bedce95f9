/** SEARCH handler (RFC 3501 §6.4.4) with ESEARCH (RFC 4731), SEARCHRES (RFC 5182), SORT/THREAD (RFC 5256). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { textMessage } from '../../helpers/messages.js';
import { grep, imapFixture, type ImapClient, type ImapFixture } from './helpers.js';

describe('SEARCH', () => {
  let fx: ImapFixture;
  let c: ImapClient;
  before(async () => {
    fx = await imapFixture();
    const u = await fx.user();
    await u.deliver('INBOX', textMessage({ subject: 'apples and pears', body: 'fruit salad' }), ['\\Seen']);
    await u.deliver('INBOX', textMessage({ subject: 'Re: apples', body: 'more fruit', headers: { 'In-Reply-To': '<none@x>' } }));
    await u.deliver('INBOX', textMessage({ subject: 'invoice', body: 'pay me', from: 'billing@example.net' }), ['\\Flagged']);
    await u.deliver('INBOX', textMessage({ subject: 'zebra', body: 'stripes' }), ['\\Deleted']);
    c = await u.connect();
    await c.ok('SELECT INBOX');
    await c.ok('STORE 1 +FLAGS.SILENT (\\Seen)');
  });
  after(async () => {
    c.close();
    await fx.stop();
  });

  it('SEARCH answers sequence numbers, UID SEARCH UIDs', async () => {
    await c.ok('UID EXPUNGE 4');
    assert.deepEqual((await c.ok('SEARCH SUBJECT apples')).untagged, ['* SEARCH 1 2']);
    assert.deepEqual((await c.ok('UID SEARCH TEXT fruit UNSEEN')).untagged, ['* SEARCH 2']);
    assert.deepEqual((await c.ok('SEARCH OR FLAGGED SEEN')).untagged, ['* SEARCH 1 3']);
    assert.deepEqual((await c.ok('SEARCH SUBJECT nothing-like-this')).untagged, ['* SEARCH']);
  });

  it('CHARSET UTF-8 and US-ASCII are accepted, others NO [BADCHARSET]', async () => {
    assert.deepEqual((await c.ok('SEARCH CHARSET UTF-8 BODY salad')).untagged, ['* SEARCH 1']);
    assert.deepEqual((await c.ok('SEARCH CHARSET US-ASCII FROM billing')).untagged, ['* SEARCH 3']);
    assert.match((await c.cmd('SEARCH CHARSET KOI8-R ALL')).tagged, /NO \[BADCHARSET \(UTF-8 US-ASCII\)\]/);
    assert.equal((await c.cmd('SEARCH NOSUCHKEY')).status, 'BAD');
  });

  it('ESEARCH return options MIN, MAX, COUNT, ALL (RFC 4731)', async () => {
    const r = await c.ok('UID SEARCH RETURN (MIN MAX COUNT ALL) ALL', );
    assert.match(r.untagged[0] ?? '', /^\* ESEARCH \(TAG "t\d+"\) UID MIN 1 MAX 3 COUNT 3 ALL 1:3$/);
    const empty = await c.ok('SEARCH RETURN (COUNT ALL) SUBJECT nothing-like-this');
    assert.match(empty.untagged[0] ?? '', /^\* ESEARCH \(TAG "t\d+"\) COUNT 0$/);
  });

  it('RETURN (SAVE) keeps the result for "$" (RFC 5182) without an ESEARCH response', async () => {
    assert.deepEqual((await c.ok('SEARCH RETURN (SAVE) SUBJECT apples')).untagged, []);
    assert.deepEqual(grep((await c.ok('FETCH $ (UID)')).untagged, /FETCH/), ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 2)']);
    assert.deepEqual((await c.ok('SEARCH $ UNSEEN')).untagged, ['* SEARCH 2']);
    assert.match((await c.ok('SEARCH RETURN (SAVE MIN) SUBJECT apples')).untagged[0] ?? '', /MIN 1/);
    assert.deepEqual(grep((await c.ok('UID FETCH $ (FLAGS)')).untagged, /FETCH/).length, 1);
  });

  it('SORT and THREAD order the matches', async () => {
    // RFC 5256 base subjects: "apples" (2) < "apples and pears" (1) < "invoice" (3).
    assert.deepEqual((await c.ok('SORT (SUBJECT) UTF-8 ALL')).untagged, ['* SORT 2 1 3']);
    assert.deepEqual((await c.ok('SORT (REVERSE SUBJECT) UTF-8 ALL')).untagged, ['* SORT 3 1 2']);
    assert.deepEqual((await c.ok('UID SORT (ARRIVAL) UTF-8 NOT SEEN')).untagged, ['* SORT 2 3']);
    // SORT=DISPLAY (RFC 5957): "Alice Example" sorts before "billing@example.net".
    assert.deepEqual((await c.ok('SORT (DISPLAYFROM) UTF-8 ALL')).untagged, ['* SORT 1 2 3']);
    assert.deepEqual((await c.ok('SORT (REVERSE DISPLAYFROM) UTF-8 ALL')).untagged, ['* SORT 3 1 2']);
    assert.deepEqual((await c.ok('THREAD ORDEREDSUBJECT UTF-8 ALL')).untagged, ['* THREAD (1)(2)(3)']);
    assert.match((await c.ok('THREAD REFERENCES UTF-8 ALL')).untagged[0] ?? '', /^\* THREAD /);
  });

  it('SORT RETURN answers ESEARCH in sort order (RFC 5267 ESORT)', async () => {
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / ESORT( |$)/);
    // Subjects sort "apples" (2) < "apples and pears" (1) < "invoice" (3).
    const r = await c.ok('SORT RETURN (MIN MAX COUNT ALL) (SUBJECT) UTF-8 ALL');
    assert.match(r.untagged[0] ?? '', /^\* ESEARCH \(TAG "t\d+"\) MIN 2 MAX 3 COUNT 3 ALL 2,1,3$/);
    const rev = await c.ok('UID SORT RETURN () (REVERSE SUBJECT) UTF-8 ALL');
    assert.match(rev.untagged[0] ?? '', /^\* ESEARCH \(TAG "t\d+"\) UID ALL 3,1:2$/, 'an ascending run in sort order is a range');
    const none = await c.ok('SORT RETURN (COUNT MIN) (DATE) UTF-8 SUBJECT nothing-like-this');
    assert.match(none.untagged[0] ?? '', /^\* ESEARCH \(TAG "t\d+"\) COUNT 0$/);
    assert.deepEqual((await c.ok('SORT (SUBJECT) UTF-8 ALL')).untagged, ['* SORT 2 1 3'], 'without RETURN, the RFC 5256 answer');
    assert.equal((await c.cmd('SORT RETURN (SAVE) (SUBJECT) UTF-8 ALL')).status, 'BAD');
  });

  it('SAVEDATE is when a copy entered its mailbox, fetchable and searchable (RFC 8514)', async () => {
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / SAVEDATE( |$)/);
    await c.ok('CREATE Saved');
    await c.ok('CREATE Saved2');
    const old = textMessage({ subject: 'saved today, dated 2019' });
    await c.ok(`APPEND Saved "05-Mar-2019 08:00:00 +0000" {${old.length}+}\r\n${old.toString('latin1')}`);
    await c.ok('SELECT Saved');
    const f = grep((await c.ok('FETCH 1 (INTERNALDATE SAVEDATE)')).untagged, /FETCH/)[0] ?? '';
    assert.match(f, /INTERNALDATE "05-Mar-2019 08:00:00 \+0000"/);
    const saved = /SAVEDATE "(\d{2})-(\w{3})-(\d{4}) /.exec(f);
    assert.ok(saved, f);
    assert.equal(Number(saved[3]), new Date().getUTCFullYear(), 'saved now, not in 2019');
    assert.deepEqual((await c.ok('SEARCH SAVEDBEFORE 1-Jan-2020')).untagged, ['* SEARCH']);
    assert.deepEqual((await c.ok('SEARCH BEFORE 1-Jan-2020')).untagged, ['* SEARCH 1']);
    assert.deepEqual((await c.ok('SEARCH SAVEDSINCE 1-Jan-2020 SAVEDATESUPPORTED')).untagged, ['* SEARCH 1']);
    await c.ok('COPY 1 Saved2');
    await c.ok('SELECT Saved2');
    assert.match(grep((await c.ok('FETCH 1 (SAVEDATE)')).untagged, /FETCH/)[0] ?? '', /SAVEDATE "\d{2}-\w{3}-\d{4} /);
  });

  it('YOUNGER and OLDER compare the internal date with now, in seconds (RFC 5032 WITHIN)', async () => {
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / WITHIN( |$)/);
    await c.ok('CREATE Within');
    const old = textMessage({ subject: 'from 2020' });
    await c.ok(`APPEND Within "01-Jan-2020 10:00:00 +0000" {${old.length}+}\r\n${old.toString('latin1')}`);
    const fresh = textMessage({ subject: 'from now' });
    await c.ok(`APPEND Within {${fresh.length}+}\r\n${fresh.toString('latin1')}`);
    await c.ok('SELECT Within');
    assert.deepEqual((await c.ok('SEARCH YOUNGER 3600')).untagged, ['* SEARCH 2']);
    assert.deepEqual((await c.ok('SEARCH OLDER 3600')).untagged, ['* SEARCH 1']);
    assert.deepEqual((await c.ok('UID SEARCH OR YOUNGER 60 OLDER 86400')).untagged, ['* SEARCH 1 2']);
    assert.equal((await c.cmd('SEARCH YOUNGER 0')).status, 'BAD', 'the interval is a non-zero number');
    assert.equal((await c.cmd('SEARCH OLDER -5')).status, 'BAD');
  });
});
