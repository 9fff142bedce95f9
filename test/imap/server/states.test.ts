/** RFC 3501 §3 states: every command refused outside its states with BAD; commands valid everywhere. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { imapFixture, type ImapFixture, type ImapUser } from './helpers.js';

const SELECTED_ONLY = [
  'CHECK',
  'CLOSE',
  'UNSELECT',
  'EXPUNGE',
  'UID EXPUNGE 1',
  'SEARCH ALL',
  'UID SEARCH ALL',
  'FETCH 1 FLAGS',
  'UID FETCH 1 FLAGS',
  'STORE 1 +FLAGS (\\Seen)',
  'UID STORE 1 +FLAGS (\\Seen)',
  'COPY 1 Trash',
  'UID COPY 1 Trash',
  'MOVE 1 Trash',
  'UID MOVE 1 Trash',
  'SORT (DATE) UTF-8 ALL',
  'THREAD REFERENCES UTF-8 ALL',
];
const AUTHENTICATED = [
  'SELECT INBOX',
  'EXAMINE INBOX',
  'CREATE x',
  'DELETE x',
  'RENAME x y',
  'SUBSCRIBE INBOX',
  'UNSUBSCRIBE INBOX',
  'LIST "" *',
  'LSUB "" *',
  'STATUS INBOX (MESSAGES)',
  'NAMESPACE',
  'ENABLE CONDSTORE',
  'GETQUOTAROOT INBOX',
  'GETQUOTA ""',
  'SETQUOTA "" (STORAGE 1)',
  'IDLE',
];

describe('command states', () => {
  let fx: ImapFixture;
  let user: ImapUser;
  before(async () => {
    fx = await imapFixture();
    user = await fx.user();
  });
  after(() => fx.stop());

  it('before authentication, authenticated- and selected-state commands are BAD', async () => {
    const c = await user.connect({ login: false });
    for (const line of [...AUTHENTICATED, ...SELECTED_ONLY, 'APPEND INBOX {1+}\r\nx']) {
      const r = await c.cmd(line);
      assert.equal(r.status, 'BAD', `${line}: ${r.tagged}`);
      assert.match(r.tagged, /not allowed before authentication/);
    }
    c.close();
  });

  it('authenticated but nothing selected: selected-state commands are BAD, LOGIN/AUTHENTICATE/STARTTLS too', async () => {
    const c = await user.connect();
    for (const line of [...SELECTED_ONLY, 'LOGIN a b', 'AUTHENTICATE PLAIN', 'STARTTLS']) {
      const r = await c.cmd(line);
      assert.equal(r.status, 'BAD', `${line}: ${r.tagged}`);
    }
    c.close();
  });

  it('selected: the not-authenticated commands are still BAD', async () => {
    const c = await user.connect();
    await c.ok('SELECT INBOX');
    for (const line of ['LOGIN a b', 'AUTHENTICATE PLAIN', 'STARTTLS']) assert.equal((await c.cmd(line)).status, 'BAD', line);
    c.close();
  });

  it('CAPABILITY, NOOP, ID and LOGOUT work in every state', async () => {
    const c = await user.connect({ login: false });
    for (const line of ['CAPABILITY', 'NOOP', 'ID NIL']) await c.ok(line);
    await c.ok(`LOGIN ${user.name} "secret pass"`);
    for (const line of ['CAPABILITY', 'NOOP', 'ID ("name" "test")']) await c.ok(line);
    await c.ok('SELECT INBOX');
    for (const line of ['CAPABILITY', 'NOOP', 'ID NIL']) await c.ok(line);
    const r = await c.ok('LOGOUT');
    assert.deepEqual(r.untagged, ['* BYE Logging out']);
    await c.t.closedByServer();
  });

  it('unknown commands and syntax errors are BAD; an invalid tag gets an untagged BAD', async () => {
    const c = await user.connect();
    assert.match((await c.cmd('FROBNICATE')).tagged, /^t\d+ BAD Unknown command FROBNICATE/);
    assert.equal((await c.cmd('SELECT')).status, 'BAD');
    assert.equal((await c.cmd('LIST "" (')).status, 'BAD');
    c.t.send('+bad NOOP');
    await c.t.expect(/^\* BAD /);
    c.t.send('');
    await c.ok('NOOP');
    c.close();
  });

  it('ID answers with the server identity', async () => {
    const c = await user.connect({ login: false });
    const r = await c.ok('ID ("name" "client" "version" "1.0")');
    assert.deepEqual(r.untagged, ['* ID ("name" "Eider" "vendor" "Eider")']);
    c.close();
  });
});
