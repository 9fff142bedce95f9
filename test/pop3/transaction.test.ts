import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uidlOf } from '../../src/pop3/maildrop.js';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { body, connectPop3, loggedIn, loginPop3, putMessage, rawBytes, seedUser, startPop3App } from './helpers.js';

async function flagsOf(app: TestApp, mailboxId: string): Promise<Map<number, string[]>> {
  const list = await app.app.ctx.store.messages.list(mailboxId, { limit: 1000 });
  return new Map(list.map((m) => [m.uid, m.flags]));
}

describe('pop3 TRANSACTION state', () => {
  let app: TestApp;
  before(async () => {
    app = await startPop3App();
  });
  after(() => app.stop());

  it('STAT, LIST and LIST n report the snapshot with sizes', async () => {
    const msgs = [textMessage({ body: 'a' }), textMessage({ body: 'bb'.repeat(100) })];
    const u = await seedUser(app, msgs);
    const c = await loggedIn(app, u);
    const total = msgs[0]!.length + msgs[1]!.length;
    c.send('STAT');
    await c.expect(new RegExp(`^\\+OK 2 ${total}$`));
    c.send('LIST');
    await c.expect(new RegExp(`^\\+OK 2 messages \\(${total} octets\\)$`));
    assert.deepEqual(await body(c), [`1 ${msgs[0]!.length}`, `2 ${msgs[1]!.length}`]);
    c.send('LIST 2');
    await c.expect(new RegExp(`^\\+OK 2 ${msgs[1]!.length}$`));
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
  });

  it('an empty maildrop answers STAT 0 0 and an empty listing', async () => {
    const u = await seedUser(app, []);
    const c = await loggedIn(app, u);
    c.send('STAT');
    await c.expect(/^\+OK 0 0$/);
    c.send('LIST');
    await c.expect(/^\+OK 0 messages/);
    assert.deepEqual(await body(c), []);
    c.send('UIDL');
    await c.expect(/^\+OK/);
    assert.deepEqual(await body(c), []);
    c.send('RETR 1');
    await c.expect(/^-ERR No such message$/);
    c.close();
  });

  it('UIDL is UIDVALIDITY+UID, unique, and the same in the next session', async () => {
    const u = await seedUser(app);
    const box = await app.app.ctx.store.mailboxes.getMailboxById(u.userId, u.inboxId);
    const expected = u.uids.map((uid, i) => `${i + 1} ${uidlOf(box!.uidValidity, uid)}`);
    const c = await loggedIn(app, u);
    c.send('UIDL');
    await c.expect(/^\+OK/);
    const first = await body(c);
    assert.deepEqual(first, expected);
    assert.equal(new Set(first.map((l) => l.split(' ')[1])).size, 3);
    c.send('UIDL 2');
    await c.expect(new RegExp(`^\\+OK ${expected[1]}$`));
    c.send('DELE 1');
    await c.expect(/^\+OK/);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
    const d = await loggedIn(app, u);
    d.send('UIDL');
    await d.expect(/^\+OK/);
    // Message numbers shift after the deletion; the ids do not.
    assert.deepEqual(await body(d), [`1 ${uidlOf(box!.uidValidity, u.uids[1]!)}`, `2 ${uidlOf(box!.uidValidity, u.uids[2]!)}`]);
    d.close();
  });

  it('RETR sends the message byte-exactly with CRLF line endings and stuffed dots', async () => {
    const crlf = 'Subject: dots\r\n\r\n.leading dot\r\n..two\r\nmiddle . dot\r\n.\r\nend\r\n';
    const lf = 'Subject: lf\n\nline one\n.dot\nno final newline';
    const u = await seedUser(app, [Buffer.from(crlf), Buffer.from(lf)]);
    const c = await loggedIn(app, u);
    c.send('RETR 1');
    await c.expect(new RegExp(`^\\+OK ${crlf.length} octets$`));
    const stuffed = 'Subject: dots\r\n\r\n..leading dot\r\n...two\r\nmiddle . dot\r\n..\r\nend\r\n.\r\n';
    assert.equal(await rawBytes(c, stuffed), stuffed);
    c.send('RETR 2');
    await c.expect(/^\+OK \d+ octets$/);
    const want = 'Subject: lf\r\n\r\nline one\r\n..dot\r\nno final newline\r\n.\r\n';
    assert.equal(await rawBytes(c, want), want);
    c.close();
  });

  it('RETR puts the per-copy prefix (Delivered-To) in front and counts it in the size', async () => {
    const u = await seedUser(app, []);
    const store = app.app.ctx.store;
    const raw = textMessage({ subject: 'with prefix' });
    const prefix = Buffer.from('Delivered-To: someone@example.com\r\n');
    await putMessage(store, u.inboxId, raw, { prefix });
    const c = await loggedIn(app, u);
    c.send('LIST 1');
    await c.expect(new RegExp(`^\\+OK 1 ${raw.length + prefix.length}$`));
    c.send('RETR 1');
    await c.expect(/^\+OK/);
    const lines = await body(c);
    assert.equal(lines[0], 'Delivered-To: someone@example.com');
    assert.ok(lines.includes('Subject: with prefix'));
    c.send('TOP 1 0');
    await c.expect(/^\+OK/);
    const head = await body(c);
    assert.equal(head[0], 'Delivered-To: someone@example.com');
    assert.equal(head.at(-1), '', 'ends with the blank line');
    c.close();
  });

  it('TOP n: header, blank line, n body lines; TOP 0 only the header; more lines than exist is the whole body', async () => {
    const raw = 'From: a@example.com\r\nSubject: top\r\n\r\nb1\r\n.b2\r\nb3\r\n';
    const lfRaw = 'Subject: lf top\n\nx1\nx2\n';
    const u = await seedUser(app, [Buffer.from(raw), Buffer.from(lfRaw)]);
    const c = await loggedIn(app, u);
    c.send('TOP 1 0');
    await c.expect(/^\+OK/);
    assert.equal(await rawBytes(c, 'From: a@example.com\r\nSubject: top\r\n\r\n.\r\n'), 'From: a@example.com\r\nSubject: top\r\n\r\n.\r\n');
    c.send('TOP 1 2');
    await c.expect(/^\+OK/);
    assert.deepEqual(await body(c), ['From: a@example.com', 'Subject: top', '', 'b1', '..b2']);
    c.send('TOP 1 100');
    await c.expect(/^\+OK/);
    assert.deepEqual(await body(c), ['From: a@example.com', 'Subject: top', '', 'b1', '..b2', 'b3']);
    c.send('TOP 2 1');
    await c.expect(/^\+OK/);
    assert.equal(await rawBytes(c, 'Subject: lf top\r\n\r\nx1\r\n.\r\n'), 'Subject: lf top\r\n\r\nx1\r\n.\r\n');
    c.close();
  });

  it('a large message streams through intact', async () => {
    const big = Buffer.from(`Subject: big\r\n\r\n${'0123456789abcdef'.repeat(8).concat('\r\n').repeat(40_000)}`);
    const u = await seedUser(app, [big]);
    const c = await loggedIn(app, u);
    c.send('RETR 1');
    await c.expect(new RegExp(`^\\+OK ${big.length} octets$`));
    const got = await c.bytes(big.length + 3);
    assert.ok(got.subarray(0, big.length).equals(big));
    assert.equal(got.subarray(big.length).toString(), '.\r\n');
    // TOP on a streamed (large) message stops after the asked lines.
    c.send('TOP 1 2');
    await c.expect(/^\+OK/);
    const line = '0123456789abcdef'.repeat(8);
    assert.deepEqual(await body(c), ['Subject: big', '', line, line]);
    c.close();
  });

  it('DELE marks: STAT/LIST skip it, RETR/LIST/DELE of it fail, RSET unmarks', async () => {
    const u = await seedUser(app);
    const c = await loggedIn(app, u);
    c.send('DELE 2');
    await c.expect(/^\+OK/);
    c.send('STAT');
    const stat = await c.expect(/^\+OK 2 \d+$/);
    c.send('LIST');
    await c.expect(/^\+OK 2 messages/);
    assert.deepEqual((await body(c)).map((l) => l.split(' ')[0]), ['1', '3']);
    c.send('UIDL');
    await c.expect(/^\+OK/);
    assert.deepEqual((await body(c)).map((l) => l.split(' ')[0]), ['1', '3']);
    for (const cmd of ['LIST 2', 'RETR 2', 'TOP 2 0', 'UIDL 2', 'DELE 2']) {
      c.send(cmd);
      await c.expect(/^-ERR Message is marked as deleted$/);
    }
    c.send('RSET');
    await c.expect(/^\+OK Maildrop has 3 messages/);
    c.send('STAT');
    assert.notEqual(await c.expect(/^\+OK 3 \d+$/), stat);
    c.send('RETR 2');
    await c.expect(/^\+OK/);
    await body(c);
    c.send('QUIT');
    await c.expect(/^\+OK .*3 messages left/);
    await c.closedByServer();
    assert.equal((await app.app.ctx.store.messages.uids(u.inboxId)).length, 3);
  });

  it('QUIT removes the marked messages into the restorable archive (UPDATE state)', async () => {
    const u = await seedUser(app);
    const store = app.app.ctx.store;
    const c = await loggedIn(app, u);
    c.send('DELE 1');
    await c.expect(/^\+OK/);
    c.send('DELE 3');
    await c.expect(/^\+OK/);
    c.send('QUIT');
    await c.expect(/^\+OK .*1 messages left/);
    await c.closedByServer();
    assert.deepEqual([...(await store.messages.uids(u.inboxId))], [u.uids[1]]);
    const archived = await store.archive.list(u.userId, { limit: 10 });
    assert.deepEqual(archived.results.map((a) => a.uid).sort(), [u.uids[0], u.uids[2]].sort());
    const restored = await store.archive.restore(u.userId, archived.results[0]!.id);
    assert.equal(restored.mailboxId, u.inboxId);
  });

  it('a dropped connection (no QUIT) removes nothing', async () => {
    const u = await seedUser(app);
    const c = await loggedIn(app, u);
    c.send('DELE 1');
    await c.expect(/^\+OK/);
    c.close();
    // The next login waits for the lock to be released, which proves the session ended.
    const d = await connectPop3(app.port('pop3'));
    for (;;) {
      d.send(`USER ${u.name}`);
      await d.expect(/^\+OK/);
      d.send(`PASS ${u.password}`);
      const l = await d.line();
      if (l.startsWith('+OK')) break;
      assert.match(l, /^-ERR \[IN-USE\]/);
    }
    d.send('STAT');
    await d.expect(/^\+OK 3 /);
    d.close();
  });

  it('RETR sets \\Seen, TOP does not (default config); new mail does not join the session', async () => {
    const u = await seedUser(app);
    const c = await loggedIn(app, u);
    await putMessage(app.app.ctx.store, u.inboxId, textMessage({ subject: 'late' }));
    c.send('STAT');
    await c.expect(/^\+OK 3 /);
    c.send('RETR 1');
    await c.expect(/^\+OK/);
    await body(c);
    c.send('TOP 2 1');
    await c.expect(/^\+OK/);
    await body(c);
    c.send('RETR 4');
    await c.expect(/^-ERR No such message$/);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
    const flags = await flagsOf(app, u.inboxId);
    assert.deepEqual(flags.get(u.uids[0]!), ['\\Seen']);
    assert.deepEqual(flags.get(u.uids[1]!), []);
    assert.deepEqual(flags.get(u.uids[2]!), []);
  });

  it('\\Seen from RETR is kept even when the client drops without QUIT', async () => {
    const u = await seedUser(app);
    const c = await loggedIn(app, u);
    c.send('RETR 3');
    await c.expect(/^\+OK/);
    await body(c);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
    assert.deepEqual((await flagsOf(app, u.inboxId)).get(u.uids[2]!), ['\\Seen']);
  });

  it('a user created without mailboxes gets an INBOX at login', async () => {
    const store = app.app.ctx.store;
    const user = await store.accounts.createUser({
      username: 'nomailboxes',
      passwordHash: await app.app.ctx.login.hash('pw'),
      noDefaultMailboxes: true,
    });
    const c = await connectPop3(app.port('pop3'));
    await loginPop3(c, { name: 'nomailboxes', password: 'pw' });
    c.send('STAT');
    await c.expect(/^\+OK 0 0$/);
    c.close();
    assert.ok(await store.mailboxes.getMailbox(user.id, 'INBOX'));
  });

  it('logs in with an address as well as the username', async () => {
    const u = await seedUser(app);
    const c = await connectPop3(app.port('pop3'));
    await loginPop3(c, { name: `${u.name}@example.com`, password: u.password });
    c.send('STAT');
    await c.expect(/^\+OK 3 /);
    c.close();
  });
});

describe('pop3 maildrop options', () => {
  it('maxMessages shows only the newest N, numbered from 1', async () => {
    const app = await startPop3App({ pop3: { maxMessages: 2 } });
    try {
      const u = await seedUser(app, [textMessage(), textMessage(), textMessage(), textMessage({ subject: 'newest' })]);
      const box = await app.app.ctx.store.mailboxes.getMailboxById(u.userId, u.inboxId);
      const c = await loggedIn(app, u);
      c.send('STAT');
      await c.expect(/^\+OK 2 /);
      c.send('UIDL');
      await c.expect(/^\+OK/);
      assert.deepEqual(await body(c), [`1 ${uidlOf(box!.uidValidity, u.uids[2]!)}`, `2 ${uidlOf(box!.uidValidity, u.uids[3]!)}`]);
      c.send('TOP 2 0');
      await c.expect(/^\+OK/);
      assert.ok((await body(c)).includes('Subject: newest'));
      c.close();
    } finally {
      await app.stop();
    }
  });

  it('deleteAction "trash" moves DELE\'d messages to Trash on QUIT', async () => {
    const app = await startPop3App({ pop3: { deleteAction: 'trash' } });
    try {
      const u = await seedUser(app);
      const store = app.app.ctx.store;
      const c = await loggedIn(app, u);
      c.send('DELE 2');
      await c.expect(/^\+OK/);
      c.send('QUIT');
      await c.expect(/^\+OK/);
      await c.closedByServer();
      const trash = await store.mailboxes.getSpecialMailbox(u.userId, '\\Trash');
      assert.equal((await store.messages.uids(trash!.id)).length, 1);
      assert.equal((await store.messages.uids(u.inboxId)).length, 2);
      assert.equal((await store.archive.list(u.userId, { limit: 10 })).results.length, 0);
    } finally {
      await app.stop();
    }
  });

  it('markSeenOnTop sets \\Seen on TOP; markSeenOnRetr=false leaves RETR unread', async () => {
    const app = await startPop3App({ pop3: { markSeenOnTop: true, markSeenOnRetr: false } });
    try {
      const u = await seedUser(app);
      const c = await loggedIn(app, u);
      c.send('TOP 1 0');
      await c.expect(/^\+OK/);
      await body(c);
      c.send('RETR 2');
      await c.expect(/^\+OK/);
      await body(c);
      c.send('QUIT');
      await c.expect(/^\+OK/);
      await c.closedByServer();
      const flags = await flagsOf(app, u.inboxId);
      assert.deepEqual(flags.get(u.uids[0]!), ['\\Seen']);
      assert.deepEqual(flags.get(u.uids[1]!), []);
    } finally {
      await app.stop();
    }
  });
});
