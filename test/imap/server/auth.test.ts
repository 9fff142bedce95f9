/** LOGIN and AUTHENTICATE (RFC 3501 §6.2, RFC 4616, RFC 4959) through LoginService, and their failures. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { imapFixture, PASSWORD, type ImapFixture, type ImapUser } from './helpers.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('authentication', () => {
  let fx: ImapFixture;
  let user: ImapUser;
  before(async () => {
    fx = await imapFixture();
    user = await fx.user();
  });
  after(() => fx.stop());

  it('LOGIN succeeds with the new capabilities in the tagged OK', async () => {
    const c = await user.connect({ login: false });
    const r = await c.ok(`LOGIN ${user.name} "${PASSWORD}"`);
    assert.match(r.tagged, /^t1 OK \[CAPABILITY IMAP4rev1 .*\] Logged in$/);
    assert.doesNotMatch(r.tagged, /AUTH=|STARTTLS/);
    c.close();
  });

  it('LOGIN accepts any address of the user, and literals', async () => {
    const c = await user.connect({ login: false });
    c.t.send(`a LOGIN ${user.name}@EXAMPLE.com {${PASSWORD.length}}`);
    await c.t.expect(/^\+ /);
    c.t.send(PASSWORD);
    assert.equal((await c.reply('a')).status, 'OK');
    c.close();
  });

  it('a wrong password is NO [AUTHENTICATIONFAILED], and the session stays unauthenticated', async () => {
    const c = await user.connect({ login: false });
    const r = await c.cmd(`LOGIN ${user.name} wrong`);
    assert.match(r.tagged, /NO \[AUTHENTICATIONFAILED\] Invalid credentials/);
    assert.equal((await c.cmd('SELECT INBOX')).status, 'BAD');
    assert.match((await c.cmd('LOGIN nobody x')).tagged, /NO \[AUTHENTICATIONFAILED\]/);
    c.close();
  });

  it('AUTHENTICATE PLAIN with an initial response (SASL-IR)', async () => {
    const c = await user.connect({ login: false });
    const r = await c.ok(`AUTHENTICATE PLAIN ${b64(`\0${user.name}\0${PASSWORD}`)}`);
    assert.match(r.tagged, /OK \[CAPABILITY /);
    await c.ok('SELECT INBOX');
    c.close();
  });

  it('AUTHENTICATE PLAIN with an empty challenge, and an authzid equal to the user', async () => {
    const c = await user.connect({ login: false });
    c.t.send('a AUTHENTICATE PLAIN');
    assert.equal(await c.t.line(), '+ ');
    c.t.send(b64(`${user.name}\0${user.name}\0${PASSWORD}`));
    assert.equal((await c.reply('a')).status, 'OK');
    c.close();
  });

  it('AUTHENTICATE LOGIN asks for user name and password', async () => {
    const c = await user.connect({ login: false });
    c.t.send('a AUTHENTICATE LOGIN');
    assert.equal(await c.t.line(), `+ ${b64('Username:')}`);
    c.t.send(b64(user.name));
    assert.equal(await c.t.line(), `+ ${b64('Password:')}`);
    c.t.send(b64(PASSWORD));
    assert.equal((await c.reply('a')).status, 'OK');
    c.close();
  });

  it('AUTHENTICATE LOGIN with the user name as initial response', async () => {
    const c = await user.connect({ login: false });
    c.t.send(`a AUTHENTICATE LOGIN ${b64(user.name)}`);
    assert.equal(await c.t.line(), `+ ${b64('Password:')}`);
    c.t.send(b64(PASSWORD));
    assert.equal((await c.reply('a')).status, 'OK');
    c.close();
  });

  it('cancelling with "*", bad base64 and malformed PLAIN are BAD; unknown mechanisms NO', async () => {
    const c = await user.connect({ login: false });
    c.t.send('a AUTHENTICATE PLAIN');
    await c.t.expect(/^\+ $/);
    c.t.send('*');
    assert.match((await c.reply('a')).tagged, /^a BAD Authentication cancelled/);
    c.t.send('b AUTHENTICATE PLAIN');
    await c.t.expect(/^\+ $/);
    c.t.send('!!!');
    assert.equal((await c.reply('b')).status, 'BAD');
    assert.equal((await c.cmd(`AUTHENTICATE PLAIN ${b64('no-nuls')}`)).status, 'BAD');
    assert.match((await c.cmd('AUTHENTICATE CRAM-MD5')).tagged, /NO \[CANNOT\]/);
    assert.match((await c.cmd(`AUTHENTICATE PLAIN ${b64(`admin\0${user.name}\0${PASSWORD}`)}`)).tagged, /NO \[AUTHORIZATIONFAILED\]/);
    c.close();
  });

  it('a disabled account is NO [CONTACTADMIN]', async () => {
    const other = await fx.user();
    await fx.store.accounts.updateUser(other.id, { disabled: true });
    const c = await other.connect({ login: false });
    assert.match((await c.cmd(`LOGIN ${other.name} "${PASSWORD}"`)).tagged, /NO \[CONTACTADMIN\]/);
    c.close();
  });

  it('2-step verification: the account password is refused with a clear text', async () => {
    const other = await fx.user();
    fx.app.app.ctx.login.setExtensions({ hasSecondFactor: async (u) => u.id === other.id });
    try {
      const c = await other.connect({ login: false });
      assert.match((await c.cmd(`LOGIN ${other.name} "${PASSWORD}"`)).tagged, /NO \[AUTHENTICATIONFAILED\] Application-specific password required/);
      c.close();
    } finally {
      fx.app.app.ctx.login.setExtensions({});
    }
  });

  it('a failing dependency is a temporary failure: NO [UNAVAILABLE]', async () => {
    fx.app.app.ctx.login.setExtensions({
      hasSecondFactor: async () => {
        throw new Error('second factor store down');
      },
    });
    try {
      const c = await user.connect({ login: false });
      assert.match((await c.cmd(`LOGIN ${user.name} "${PASSWORD}"`)).tagged, /NO \[UNAVAILABLE\]/);
      c.close();
    } finally {
      fx.app.app.ctx.login.setExtensions({});
    }
  });

  it('repeated failures are rate limited', async () => {
    const other = await fx.user();
    const c = await other.connect({ login: false });
    for (let i = 0; i < 10; i++) await c.cmd(`LOGIN ${other.name} wrong${i}`);
    assert.match((await c.cmd(`LOGIN ${other.name} "${PASSWORD}"`)).tagged, /NO \[AUTHENTICATIONFAILED\] Too many failed logins/);
    c.close();
  });
});
