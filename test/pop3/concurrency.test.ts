import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/storage/index.js';
import type { TestApp } from '../helpers/app.js';
import { body, connectPop3, loggedIn, seedUser, startPop3App } from './helpers.js';

describe('pop3 maildrop lock and concurrent sessions', () => {
  let app: TestApp;
  before(async () => {
    app = await startPop3App();
  });
  after(() => app.stop());

  it('a second POP3 login to the same maildrop gets -ERR [IN-USE] and may retry after the first QUIT', async () => {
    const u = await seedUser(app);
    const first = await loggedIn(app, u);
    const second = await connectPop3(app.port('pop3'));
    second.send(`USER ${u.name}`);
    await second.expect(/^\+OK/);
    second.send(`PASS ${u.password}`);
    await second.expect(/^-ERR \[IN-USE\] /);
    // Still in AUTHORIZATION (RFC 1939 §4): STAT is not allowed yet.
    second.send('STAT');
    await second.expect(/^-ERR Command not valid in this state$/);
    first.send('QUIT');
    await first.expect(/^\+OK/);
    await first.closedByServer();
    second.send(`USER ${u.name}`);
    await second.expect(/^\+OK/);
    second.send(`PASS ${u.password}`);
    await second.expect(/^\+OK/);
    second.close();
  });

  it('the lock holds across processes: another store on the same data directory sees it and vice versa', async () => {
    const u = await seedUser(app);
    const other = openStore(app.config.storage);
    try {
      const key = `pop3:${u.inboxId}`;
      const c = await loggedIn(app, u);
      assert.equal(await other.coordination.acquireLease(key, 'other-process', 60_000), false);
      c.send('QUIT');
      await c.expect(/^\+OK/);
      await c.closedByServer();
      // Released at the end of the session, so another process may take it...
      assert.equal(await other.coordination.acquireLease(key, 'other-process', 60_000), true);
      // ...and while it holds it, this process's POP3 login is refused.
      const d = await connectPop3(app.port('pop3'));
      d.send(`USER ${u.name}`);
      await d.expect(/^\+OK/);
      d.send(`PASS ${u.password}`);
      await d.expect(/^-ERR \[IN-USE\] /);
      d.close();
      await other.coordination.releaseLease(key, 'other-process');
    } finally {
      await other.close();
    }
  });

  it('a message expunged by another (IMAP) session answers -ERR for that message only', async () => {
    const u = await seedUser(app);
    const store = app.app.ctx.store;
    const c = await loggedIn(app, u);
    c.send('DELE 3');
    await c.expect(/^\+OK/);
    // What an IMAP session's STORE \Deleted + EXPUNGE does, through the same storage calls.
    await store.messages.updateFlags(u.inboxId, [[u.uids[1]!, u.uids[1]!]], { mode: 'add', flags: ['\\Deleted'] });
    await store.messages.expunge(u.inboxId, { onlyDeleted: true });
    c.send('RETR 2');
    await c.expect(/^-ERR Message was removed by another session$/);
    c.send('LIST 2');
    await c.expect(/^-ERR Message was removed by another session$/);
    c.send('STAT');
    await c.expect(/^\+OK 1 \d+$/);
    c.send('UIDL');
    await c.expect(/^\+OK/);
    assert.deepEqual((await body(c)).map((l) => l.split(' ')[0]), ['1']);
    c.send('RETR 1');
    await c.expect(/^\+OK/);
    await body(c);
    // IMAP flag changes on other messages do not disturb the session.
    await store.messages.updateFlags(u.inboxId, [[u.uids[0]!, u.uids[0]!]], { mode: 'add', flags: ['\\Flagged', 'Work'] });
    c.send('NOOP');
    await c.expect(/^\+OK$/);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
    assert.deepEqual([...(await store.messages.uids(u.inboxId))], [u.uids[0]]);
    const archived = (await store.archive.list(u.userId, { limit: 10 })).results.map((a) => a.uid).sort();
    assert.deepEqual(archived, [u.uids[1], u.uids[2]].sort());
  });

  it('RETR of a message expunged a moment ago answers -ERR even before the notification arrives', async () => {
    const u = await seedUser(app);
    const store = app.app.ctx.store;
    const c = await loggedIn(app, u);
    // Pipelined with the expunge: the RETR may run before the notifier's event is delivered.
    const expunged = store.messages.expunge(u.inboxId, { ranges: [[u.uids[0]!, u.uids[0]!]], onlyDeleted: false });
    c.send('RETR 1');
    await expunged;
    await c.expect(/^(-ERR Message was removed by another session|\+OK \d+ octets)$/).then(async (l) => {
      if (l.startsWith('+OK')) await body(c);
    });
    c.send('RETR 1');
    await c.expect(/^-ERR Message was removed by another session$/);
    c.close();
  });

  it('a message expunged between two RETRs answers -ERR; the next one is sent', async () => {
    const u = await seedUser(app);
    const store = app.app.ctx.store;
    const c = await loggedIn(app, u);
    c.send('RETR 1');
    await c.expect(/^\+OK/);
    await body(c);
    await store.messages.expunge(u.inboxId, { ranges: [[u.uids[1]!, u.uids[1]!]], onlyDeleted: false });
    c.send('NOOP');
    await c.expect(/^\+OK$/);
    c.send('RETR 2');
    await c.expect(/^-ERR Message was removed by another session$/);
    c.send('RETR 3');
    await c.expect(/^\+OK/);
    assert.ok((await body(c)).some((l) => l.startsWith('Subject: Test message')));
    c.close();
  });

  it('a message moved out of INBOX by IMAP, or already expunged, still lets QUIT succeed', async () => {
    const u = await seedUser(app);
    const store = app.app.ctx.store;
    const archive = await store.mailboxes.getSpecialMailbox(u.userId, '\\Archive');
    const c = await loggedIn(app, u);
    c.send('DELE 1');
    await c.expect(/^\+OK/);
    c.send('DELE 2');
    await c.expect(/^\+OK/);
    await store.messages.expunge(u.inboxId, { ranges: [[u.uids[0]!, u.uids[0]!]], onlyDeleted: false });
    await store.messages.move(u.inboxId, [[u.uids[2]!, u.uids[2]!]], archive!.id);
    c.send('TOP 3 0');
    await c.expect(/^-ERR Message was removed by another session$/);
    c.send('QUIT');
    await c.expect(/^\+OK .*0 messages left/);
    await c.closedByServer();
    assert.equal((await store.messages.uids(u.inboxId)).length, 0);
    assert.equal((await store.messages.uids(archive!.id)).length, 1);
  });

  it('an admin logout (session registry or notifier) ends the session without removing anything', async () => {
    const u = await seedUser(app);
    const { sessions, notifier, store } = app.app.ctx;
    const c = await loggedIn(app, u);
    c.send('DELE 1');
    await c.expect(/^\+OK/);
    assert.equal(sessions.count(u.userId, 'pop3'), 1);
    assert.equal(sessions.closeUser(u.userId, 'admin'), 1);
    await c.expect(/^-ERR Session terminated by the server$/);
    await c.closedByServer();
    assert.equal((await store.messages.uids(u.inboxId)).length, 3);

    const d = await loggedIn(app, u);
    notifier.publish([{ userId: u.userId, mailboxId: '', kind: 'logout' }]);
    await d.expect(/^-ERR Session terminated by the server$/);
    await d.closedByServer();
  });
});
