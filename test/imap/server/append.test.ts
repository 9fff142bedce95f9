/** APPEND (RFC 3501 §6.3.11): literals (sync, LITERAL+), flags, date, APPENDUID, TRYCREATE, TOOBIG, OVERQUOTA, streaming. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { liveMemory } from '../../helpers/memory.js';
import { textMessage } from '../../helpers/messages.js';
import { grep, imapFixture, PASSWORD, type ImapFixture } from './helpers.js';


describe('APPEND', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture({ imap: { maxMessageSize: 30 * 1024 * 1024 } });
  });
  after(() => fx.stop());

  it('a synchronizing literal gets a continuation; APPENDUID names the new message', async () => {
    const u = await fx.user();
    const c = await u.connect();
    const msg = textMessage({ subject: 'sync literal' });
    c.t.send(`a APPEND INBOX {${msg.length}}`);
    await c.t.expect(/^\+ /);
    c.t.write(Buffer.concat([msg, Buffer.from('\r\n')]));
    const r = await c.reply('a');
    const mb = (await fx.store.mailboxes.getMailbox(u.id, 'INBOX'))!;
    assert.equal(r.tagged, `a OK [APPENDUID ${mb.uidValidity} 1] APPEND completed`);
    const [record] = await fx.store.messages.getRecords(mb.id, [1]);
    assert.equal(record?.subject, 'sync literal');
    assert.ok((await fx.store.messages.read(record!)).equals(msg));
    c.close();
  });

  it('LITERAL+ needs no continuation; flags and internal date are kept', async () => {
    const u = await fx.user();
    const c = await u.connect();
    const msg = textMessage();
    c.t.write(Buffer.concat([Buffer.from(`a APPEND Drafts (\\Draft $Todo) "05-Mar-2026 08:30:00 +0100" {${msg.length}+}\r\n`), msg, Buffer.from('\r\n')]));
    assert.equal((await c.reply('a')).status, 'OK');
    await c.ok('SELECT Drafts');
    const r = await c.ok('FETCH 1 (FLAGS INTERNALDATE)');
    const line = grep(r.untagged, /FETCH/)[0] ?? '';
    assert.match(line, /FLAGS \(\\Draft \$Todo \\Recent\)/);
    const record = (await fx.store.messages.list(await u.mailboxId('Drafts'), { limit: 1 }))[0];
    assert.equal(record?.internalDate.toISOString(), '2026-03-05T07:30:00.000Z');
    c.close();
  });

  it('MULTIAPPEND (RFC 3502): several messages in one command get consecutive UIDs, or none is stored', async () => {
    const u = await fx.user();
    const c = await u.connect();
    assert.match((await c.ok('CAPABILITY')).untagged.join(' '), / MULTIAPPEND /);
    const one = textMessage({ subject: 'multi one' });
    const two = textMessage({ subject: 'multi two' });
    c.t.write(
      Buffer.concat([
        Buffer.from(`a APPEND INBOX (\\Seen) {${one.length}+}\r\n`),
        one,
        Buffer.from(` (\\Flagged) "05-Mar-2026 08:30:00 +0100" {${two.length}}\r\n`),
      ]),
    );
    await c.t.expect(/^\+ /);
    c.t.write(Buffer.concat([two, Buffer.from('\r\n')]));
    const r = await c.reply('a');
    const mb = (await fx.store.mailboxes.getMailbox(u.id, 'INBOX'))!;
    assert.equal(r.tagged, `a OK [APPENDUID ${mb.uidValidity} 1:2] APPEND completed`);
    const records = await fx.store.messages.getRecords(mb.id, [1, 2]);
    assert.deepEqual(records.map((x) => [x.subject, x.flags]), [['multi one', ['\\Seen']], ['multi two', ['\\Flagged']]]);
    // The second message is empty: the command fails and the first is not stored either.
    assert.equal((await c.cmd(`APPEND INBOX {${one.length}+}\r\n${one.toString('latin1')} {0+}\r\n`)).status, 'NO');
    assert.deepEqual([...(await fx.store.messages.uids(mb.id))], [1, 2]);
    await c.ok('NOOP');
    c.close();
  });

  it('a missing mailbox is NO [TRYCREATE]; \\Recent and malformed dates are BAD; empty messages are refused', async () => {
    const u = await fx.user();
    const c = await u.connect();
    assert.match((await c.cmd('APPEND Nowhere {5+}\r\nhello')).tagged, /NO \[TRYCREATE\]/);
    assert.equal((await c.cmd('APPEND INBOX (\\Recent) {5+}\r\nhello')).status, 'BAD');
    assert.equal((await c.cmd('APPEND INBOX "31-Feb-2026 00:00:00 +0000" {5+}\r\nhello')).status, 'BAD');
    assert.equal((await c.cmd('APPEND INBOX {0+}\r\n')).status, 'NO');
    await c.ok('NOOP');
    c.close();
  });

  it('a literal above maxMessageSize is NO [TOOBIG] before any octet is sent; the connection stays usable', async () => {
    const u = await fx.user();
    const c = await u.connect();
    c.t.send(`a APPEND INBOX {${40 * 1024 * 1024}}`);
    assert.match(await c.t.line(), /^a NO \[TOOBIG\]/);
    await c.ok('NOOP');
    c.close();
  });

  it('over quota: a large literal is refused up front, a small one by storage, both NO [OVERQUOTA]', async () => {
    const u = await fx.user({ quota: 10 * 1024 });
    const c = await u.connect();
    c.t.send(`a APPEND INBOX {${100 * 1024}}`);
    assert.match(await c.t.line(), /^a NO \[OVERQUOTA\]/);
    const big = Buffer.alloc(12 * 1024, 'x');
    const msg = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), big.subarray(0, 11 * 1024)]);
    c.t.write(Buffer.concat([Buffer.from(`b APPEND INBOX {${msg.length}+}\r\n`), msg, Buffer.from('\r\n')]));
    assert.match((await c.reply('b')).tagged, /^b NO \[OVERQUOTA\]/);
    c.close();
  });

  it('appending to the selected mailbox reports EXISTS before the tagged OK', async () => {
    const u = await fx.user();
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    const msg = textMessage();
    c.t.write(Buffer.concat([Buffer.from(`a APPEND INBOX {${msg.length}+}\r\n`), msg, Buffer.from('\r\n')]));
    const r = await c.reply('a');
    assert.deepEqual(r.untagged, ['* 1 EXISTS', '* 1 RECENT']);
    c.close();
  });

  it('a streamed APPEND refused after its literal (bad flag, unknown mailbox) leaves no staged file', async () => {
    const u = await fx.user();
    const c = await u.connect();
    const big = Buffer.concat([Buffer.from('Subject: x\r\n\r\n'), Buffer.alloc(100 * 1024, 'y')]);
    const send = (line: string): void => c.t.write(Buffer.concat([Buffer.from(`${line} {${big.length}+}\r\n`), big, Buffer.from('\r\n')]));
    const tmp = join(fx.app.config.storage.dataDir, 'tmp');
    send('a APPEND INBOX (\\Bogus)');
    assert.equal((await c.reply('a')).status, 'BAD');
    // The dispatcher releases unclaimed spools before it answers.
    assert.deepEqual(readdirSync(tmp), []);
    send('b APPEND Nowhere');
    assert.match((await c.reply('b')).tagged, /NO \[TRYCREATE\]/);
    assert.deepEqual(readdirSync(tmp), []);
    c.close();
  });

  it('a connection dropped in the middle of a streamed literal leaves no staged file', async () => {
    const own = await imapFixture();
    try {
      const c = await (await own.user()).connect();
      // A synchronizing literal: once "+" arrives the spool exists and is waiting for octets.
      c.t.send(`a APPEND INBOX {${1024 * 1024}}`);
      await c.t.expect(/^\+ /);
      c.t.write(`Subject: cut\r\n\r\n${'z'.repeat(100 * 1024)}`);
      c.close();
      // App.stop waits for every session to end, and a session's end releases its spools.
      await own.app.app.stop();
      assert.deepEqual(readdirSync(join(own.app.config.storage.dataDir, 'tmp')), []);
    } finally {
      await own.stop();
    }
  });

  it('a 20 MB literal streams to disk with bounded memory', async () => {
    const u = await fx.user();
    const size = 20 * 1024 * 1024;
    const socket = connect(fx.app.port('imap'), '127.0.0.1');
    await once(socket, 'connect');
    const lines = (async function* () {
      let buf = '';
      for await (const chunk of socket) {
        buf += (chunk as Buffer).toString('latin1');
        let i: number;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          yield buf.slice(0, i);
          buf = buf.slice(i + 2);
        }
      }
    })();
    const next = async (): Promise<string> => (await lines.next()).value ?? '';
    const write = async (data: string | Buffer): Promise<void> => {
      if (!socket.write(data)) await once(socket, 'drain');
    };
    await next();
    await write(`a LOGIN ${u.name} "${PASSWORD}"\r\n`);
    assert.match(await next(), /^a OK/);
    await write(`b APPEND INBOX {${size}}\r\n`);
    assert.match(await next(), /^\+ /);
    // Live memory only (helpers/memory.ts): garbage from the stream's chunks does not count.
    const used = liveMemory;
    const baseline = used();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, used())), 50);
    const header = Buffer.from('Subject: large\r\nContent-Type: text/plain\r\n\r\n');
    const line = Buffer.from(`${'0123456789'.repeat(7)}\r\n`);
    const chunk = Buffer.concat(Array.from({ length: 1000 }, () => line));
    await write(header);
    for (let sent = header.length; sent < size; ) {
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
      sent += piece.length;
      await write(piece);
    }
    await write('\r\n');
    assert.match(await next(), /^b OK \[APPENDUID \d+ 1\]/);
    clearInterval(sampler);
    socket.destroy();
    const record = (await fx.store.messages.getRecords(await u.mailboxId('INBOX'), [1]))[0];
    assert.equal(record?.size, size);
    assert.equal(record?.subject, 'large');
    // Holding the message once would be 20 MB; streaming keeps only socket and pipe buffers.
    assert.ok(peak - baseline < 12 * 1024 * 1024, `heap + buffers grew by ${Math.round((peak - baseline) / 1048576)} MB`);
  });
});
