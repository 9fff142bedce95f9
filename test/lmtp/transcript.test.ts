/** LMTP dialogue against the real app on port 0 (RFC 2033): one scenario per test. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { connectLmtp, dataBlock, lmtpApp, mailboxMessages, readMessage, transaction } from './helpers.js';

describe('LMTP dialogue', () => {
  let app: TestApp;
  let port: number;
  let alice: string;
  let full: string;
  before(async () => {
    app = await lmtpApp({ lmtp: { maxSize: 64 * 1024 } });
    port = app.port('lmtp');
    alice = await app.addUser('alice', 'pw');
    full = await app.addUser('full', 'pw');
    await app.addUser('gone', 'pw');
    const gone = await app.app.ctx.store.accounts.getUserByUsername('gone');
    await app.app.ctx.store.accounts.updateUser(gone!.id, { disabled: true });
    // Fill the quota.
    const { t } = await connectLmtp(port);
    await transaction(t, 'a@example.net', ['full@example.com'], textMessage({ body: 'x'.repeat(1500) }));
    t.close();
    const used = (await app.app.ctx.store.quota.usage(full)).used;
    await app.app.ctx.store.accounts.updateUser(full, { quota: used });
  });
  after(async () => app.stop());

  it('greets with LMTP and announces PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES and SIZE, but no AUTH or STARTTLS', async () => {
    const { t, lhlo } = await connectLmtp(port);
    const caps = lhlo.map((l) => l.slice(4));
    assert.ok(caps.includes('PIPELINING'));
    assert.ok(caps.includes('8BITMIME'));
    assert.ok(caps.includes('ENHANCEDSTATUSCODES'));
    assert.ok(caps.includes(`SIZE ${64 * 1024}`));
    assert.ok(!caps.some((c) => c.startsWith('AUTH') || c === 'STARTTLS'), caps.join('|'));
    t.send('EHLO x');
    await t.expect(/^500 /);
    t.send('QUIT');
    await t.expect(/^221 /);
    await t.closedByServer();
  });

  it('answers RCPT per recipient: unknown 550 5.1.1, over quota 452 4.2.2, disabled 550 5.2.1, ok 250', async () => {
    const { t } = await connectLmtp(port);
    const r = await transaction(
      t,
      'sender@example.net',
      ['nobody@example.com', 'full@example.com', 'gone@example.com', 'alice@example.com'],
      textMessage({ subject: 'per recipient' }),
    );
    assert.match(r.rcpt[0]!, /^550 5\.1\.1 /);
    assert.match(r.rcpt[1]!, /^452 4\.2\.2 /);
    assert.match(r.rcpt[2]!, /^550 5\.2\.1 /);
    assert.match(r.rcpt[3]!, /^250 /);
    assert.equal(r.data.length, 1);
    assert.match(r.data[0]!, /^250 2\.0\.0 /);
    t.close();
    const inbox = await mailboxMessages(app.app.ctx.store, alice, 'INBOX');
    assert.ok(inbox.some((m) => m.subject === 'per recipient'));
  });

  it('resolves case-insensitively, with plus-addressing, and by IDN in both spellings', async () => {
    const store = app.app.ctx.store;
    const u = await store.accounts.createUser({ username: 'idn', passwordHash: null, address: 'jõgi@müller.example' });
    const { t } = await connectLmtp(port);
    const r = await transaction(
      t,
      'x@example.net',
      ['ALICE@Example.COM', 'alice+news@example.com', 'jõgi@xn--mller-kva.example', 'Jõgi+tag@müller.example'],
      textMessage({ subject: 'resolution' }),
    );
    assert.deepEqual(r.rcpt.map((l) => l.slice(0, 3)), ['250', '250', '250', '250']);
    assert.deepEqual(r.data.map((l) => l.slice(0, 3)), ['250', '250', '250', '250']);
    t.close();
    // One copy per user, whichever addresses were used.
    const aliceCopies = (await mailboxMessages(store, alice, 'INBOX')).filter((m) => m.subject === 'resolution');
    assert.equal(aliceCopies.length, 1);
    const idnCopies = (await mailboxMessages(store, u.id, 'INBOX')).filter((m) => m.subject === 'resolution');
    assert.equal(idnCopies.length, 1);
  });

  it('stores the body once with per-recipient Return-Path and Delivered-To in front', async () => {
    const store = app.app.ctx.store;
    const bob = await app.addUser('bob', 'pw');
    const { t } = await connectLmtp(port);
    const raw = textMessage({ subject: 'shared body' });
    await transaction(t, 'sender@example.net', ['alice@example.com', 'bob@example.com'], raw);
    t.close();
    const a = (await mailboxMessages(store, alice, 'INBOX')).find((m) => m.subject === 'shared body')!;
    const b = (await mailboxMessages(store, bob, 'INBOX')).find((m) => m.subject === 'shared body')!;
    assert.equal(a.blob, b.blob);
    assert.equal(await store.blobs.refCount(a.blob), 2);
    const textA = await readMessage(store, a);
    assert.match(textA, /^Return-Path: <sender@example\.net>\r\nDelivered-To: alice@example\.com\r\nReceived: from client\.example /);
    assert.ok(textA.endsWith(raw.toString()));
    assert.match(await readMessage(store, b), /^Return-Path: <sender@example\.net>\r\nDelivered-To: bob@example\.com\r\n/);
  });

  it('handles fully pipelined commands, RSET and NOOP, and several transactions per session', async () => {
    const { t } = await connectLmtp(port);
    const raw = textMessage({ subject: 'pipelined' });
    t.write(
      Buffer.concat([
        Buffer.from('NOOP\r\nMAIL FROM:<p@example.net>\r\nRCPT TO:<nobody@example.com>\r\nRSET\r\n'),
        Buffer.from('MAIL FROM:<p@example.net> SIZE=' + raw.length + '\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<nobody@example.com>\r\nDATA\r\n'),
        dataBlock(raw),
        Buffer.from('MAIL FROM:<>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n'),
        dataBlock(textMessage({ subject: 'pipelined bounce' })),
        Buffer.from('QUIT\r\n'),
      ]),
    );
    const expected = [/^250 /, /^250 /, /^550 5\.1\.1/, /^250 /, /^250 /, /^250 /, /^550 5\.1\.1/, /^354 /, /^250 2\.0\.0/, /^250 /, /^250 /, /^354 /, /^250 2\.0\.0/, /^221 /];
    for (const re of expected) await t.expect(re);
    await t.closedByServer();
    const subjects = (await mailboxMessages(app.app.ctx.store, alice, 'INBOX')).map((m) => m.subject);
    assert.ok(subjects.includes('pipelined') && subjects.includes('pipelined bounce'));
  });

  it('refuses a message over the size limit with 552 5.3.4 for every recipient and keeps the session usable', async () => {
    const { t } = await connectLmtp(port);
    const big = textMessage({ subject: 'too big', body: 'y'.repeat(100 * 1024) });
    const r = await transaction(t, 's@example.net', ['alice@example.com', 'bob@example.com'], big);
    assert.equal(r.data.length, 2);
    for (const l of r.data) assert.match(l, /^552 5\.3\.4 /);
    const ok = await transaction(t, 's@example.net', ['alice@example.com'], textMessage({ subject: 'after too big' }));
    assert.match(ok.data[0]!, /^250 /);
    t.close();
    const subjects = (await mailboxMessages(app.app.ctx.store, alice, 'INBOX')).map((m) => m.subject);
    assert.ok(!subjects.includes('too big'));
    assert.ok(subjects.includes('after too big'));
  });

  it('refuses MAIL with a SIZE over the limit', async () => {
    const { t } = await connectLmtp(port);
    t.send(`MAIL FROM:<s@example.net> SIZE=${1024 * 1024}`);
    await t.expect(/^552 5\.3\.4 /);
    t.close();
  });

  it('answers a recipient listed twice twice', async () => {
    const { t } = await connectLmtp(port);
    const r = await transaction(t, 's@example.net', ['alice@example.com', 'alice@example.com'], textMessage({ subject: 'dup rcpt' }));
    assert.deepEqual(r.rcpt.map((l) => l.slice(0, 3)), ['250', '250']);
    assert.deepEqual(r.data.map((l) => l.slice(0, 3)), ['250', '250']);
    t.send('NOOP');
    await t.expect(/^250 /);
    t.close();
    const copies = (await mailboxMessages(app.app.ctx.store, alice, 'INBOX')).filter((m) => m.subject === 'dup rcpt');
    assert.equal(copies.length, 1);
  });

  it('accepts bare LF, NUL and overlong lines by default, and survives hostile input', async () => {
    const { t } = await connectLmtp(port);
    const hostile = Buffer.concat([
      Buffer.from('Subject: hostile\nFrom: a@example.net\n\nbare lf line\n'),
      Buffer.from([0x00, 0x01, 0xff, 0x0d, 0x0a]),
      Buffer.from('z'.repeat(5000) + '\r\n'),
      Buffer.from('.\r\n'.replace(/^/, '..')),
    ]);
    const r = await transaction(t, 's@example.net', ['alice@example.com'], hostile);
    assert.match(r.data[0]!, /^250 /);
    t.send('NOOP');
    await t.expect(/^250 /);
    t.write('garbage \x00\xff command\r\n');
    await t.expect(/^500 /);
    t.close();
    const subjects = (await mailboxMessages(app.app.ctx.store, alice, 'INBOX')).map((m) => m.subject);
    assert.ok(subjects.includes('hostile'));
  });

  it('needs MAIL before RCPT and RCPT before DATA', async () => {
    const { t } = await connectLmtp(port);
    t.send('RCPT TO:<alice@example.com>');
    await t.expect(/^503 /);
    t.send('MAIL FROM:<s@example.net>');
    await t.expect(/^250 /);
    t.send('DATA');
    await t.expect(/^503 /);
    t.close();
  });
});

describe('LMTP policies from config', () => {
  let app: TestApp;
  let port: number;
  before(async () => {
    app = await lmtpApp({ delivery: { malformed: 'reject', overQuota: 'permanent', localPartCase: 'sensitive', plusSeparator: '' } });
    port = app.port('lmtp');
    await app.addUser('carol', 'pw', { address: 'Carol@example.com' });
    await app.addUser('dave', 'pw', { quota: 10 });
  });
  after(async () => app.stop());

  it('refuses malformed input with 554 5.6.0 when told to', async () => {
    const { t } = await connectLmtp(port);
    const r = await transaction(t, 's@example.net', ['Carol@example.com'], Buffer.from('Subject: bare\n\nbody\n'));
    assert.match(r.data[0]!, /^554 5\.6\.0 /);
    const ok = await transaction(t, 's@example.net', ['Carol@example.com'], textMessage());
    assert.match(ok.data[0]!, /^250 /);
    t.close();
  });

  it('over quota is permanent (552 5.2.2), local parts are case-sensitive and plus-addressing is off', async () => {
    const { t } = await connectLmtp(port);
    t.send('MAIL FROM:<s@example.net> SIZE=500');
    await t.expect(/^250 /);
    t.send('RCPT TO:<dave@example.com>');
    await t.expect(/^552 5\.2\.2 /);
    t.send('RCPT TO:<carol@example.com>');
    await t.expect(/^550 5\.1\.1 /);
    t.send('RCPT TO:<Carol+x@example.com>');
    await t.expect(/^550 5\.1\.1 /);
    t.send('RCPT TO:<Carol@example.com>');
    await t.expect(/^250 /);
    t.close();
  });
});
