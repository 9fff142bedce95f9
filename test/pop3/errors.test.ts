import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { body, connectPop3, loggedIn, seedUser, startPop3App, type Seeded } from './helpers.js';

describe('pop3 bad input', () => {
  let app: TestApp;
  let u: Seeded;
  before(async () => {
    app = await startPop3App({ pop3: { maxLineLength: 300 } });
    u = await seedUser(app);
  });
  after(() => app.stop());

  it('unknown commands answer -ERR in both states, without echoing the input', async () => {
    const c = await connectPop3(app.port('pop3'));
    for (const cmd of ['FOO', 'APOP user 0123456789abcdef', 'LAST', 'XYZZY bar', '', '   ', '\u00e9t\u00e9']) {
      c.send(cmd);
      await c.expect(/^-ERR Unknown command$/);
    }
    c.send(`USER ${u.name}`);
    await c.expect(/^\+OK/);
    c.send(`PASS ${u.password}`);
    await c.expect(/^\+OK/);
    c.send('HELO <script>');
    await c.expect(/^-ERR Unknown command$/);
    c.close();
  });

  it('commands in the wrong state answer -ERR and change nothing', async () => {
    const c = await connectPop3(app.port('pop3'));
    for (const cmd of ['STAT', 'LIST', 'RETR 1', 'DELE 1', 'NOOP', 'RSET', 'TOP 1 0', 'UIDL']) {
      c.send(cmd);
      await c.expect(/^-ERR Command not valid in this state$/);
    }
    c.send(`USER ${u.name}`);
    await c.expect(/^\+OK/);
    c.send(`PASS ${u.password}`);
    await c.expect(/^\+OK/);
    for (const cmd of [`USER ${u.name}`, 'PASS x', 'AUTH PLAIN', 'STLS']) {
      c.send(cmd);
      await c.expect(/^-ERR Command not valid in this state$/);
    }
    c.send('STAT');
    await c.expect(/^\+OK 3 /);
    c.close();
  });

  it('arguments out of range or malformed answer -ERR; the session carries on', async () => {
    const c = await loggedIn(app, u);
    const cases: Array<[string, RegExp]> = [
      ['RETR 0', /^-ERR No such message$/],
      ['RETR 4', /^-ERR No such message$/],
      ['RETR 4294967296', /^-ERR No such message$/],
      ['RETR 99999999999', /^-ERR Invalid message number$/],
      ['LIST 0', /^-ERR No such message$/],
      ['LIST 9', /^-ERR No such message$/],
      ['UIDL 9', /^-ERR No such message$/],
      ['DELE 9', /^-ERR No such message$/],
      ['TOP 9 0', /^-ERR No such message$/],
      ['RETR', /^-ERR Missing message number$/],
      ['RETR x', /^-ERR Invalid message number$/],
      ['RETR -1', /^-ERR Invalid message number$/],
      ['RETR 1 2', /^-ERR Too many arguments$/],
      ['LIST 1 2', /^-ERR Too many arguments$/],
      ['TOP 1', /^-ERR TOP needs a message number and a line count$/],
      ['TOP 1 -5', /^-ERR Invalid line count$/],
      ['TOP 1 1 1', /^-ERR Too many arguments$/],
      ['STAT now', /^-ERR This command takes no arguments$/],
      ['NOOP x', /^-ERR This command takes no arguments$/],
      ['RETR 1\u0000', /^-ERR Invalid characters in command$/],
    ];
    for (const [cmd, answer] of cases) {
      c.send(cmd);
      await c.expect(answer);
    }
    c.send('STAT');
    await c.expect(/^\+OK 3 /);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
    assert.equal((await app.app.ctx.store.messages.uids(u.inboxId)).length, 3);
  });

  it('an overlong line answers -ERR Line too long and the next command works', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send(`USER ${'x'.repeat(5000)}`);
    await c.expect(/^-ERR Line too long$/);
    // A huge line with no end in sight is dropped as it arrives; the session survives it.
    c.write('A'.repeat(200_000));
    c.send('');
    await c.expect(/^-ERR Line too long$/);
    c.send(`USER ${u.name}`);
    await c.expect(/^\+OK/);
    c.send(`PASS ${u.password}`);
    await c.expect(/^\+OK/);
    c.close();
  });

  it('lines ending in a bare LF are accepted', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.write(`USER ${u.name}\nPASS ${u.password}\nSTAT\n`);
    await c.expect(/^\+OK/);
    await c.expect(/^\+OK/);
    await c.expect(/^\+OK 3 /);
    c.close();
  });

  it('too many invalid commands in a row end the connection', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.write('BAD\r\n'.repeat(25));
    const lines = await c.until(/^-ERR Too many invalid commands$/);
    assert.equal(lines.length, 21);
    await c.closedByServer();
  });

  it('PASS without USER answers -ERR', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send('PASS secret');
    await c.expect(/^-ERR Send USER first$/);
    c.close();
  });
});

describe('pop3 pipelining (RFC 2449 §6.6)', () => {
  let app: TestApp;
  before(async () => {
    app = await startPop3App();
  });
  after(() => app.stop());

  it('answers a burst of commands, login included, in order', async () => {
    const u = await seedUser(app, [textMessage({ body: 'one' }), textMessage({ body: '.two' }), textMessage({ body: 'three' })]);
    const c = await connectPop3(app.port('pop3'));
    c.write(
      [`USER ${u.name}`, `PASS ${u.password}`, 'STAT', 'LIST', 'RETR 2', 'TOP 1 0', 'BOGUS', 'DELE 3', 'UIDL', 'RETR 9', 'NOOP', 'QUIT', ''].join('\r\n'),
    );
    await c.expect(/^\+OK/);
    await c.expect(/^\+OK Maildrop has 3/);
    await c.expect(/^\+OK 3 \d+$/);
    await c.expect(/^\+OK 3 messages/);
    assert.equal((await body(c)).length, 3);
    await c.expect(/^\+OK \d+ octets$/);
    assert.ok((await body(c)).includes('..two'));
    await c.expect(/^\+OK/);
    assert.equal((await body(c)).at(-1), '');
    await c.expect(/^-ERR Unknown command$/);
    await c.expect(/^\+OK Message 3 marked/);
    await c.expect(/^\+OK/);
    assert.deepEqual((await body(c)).map((l) => l.split(' ')[0]), ['1', '2']);
    await c.expect(/^-ERR No such message$/);
    await c.expect(/^\+OK$/);
    await c.expect(/^\+OK .*signing off/);
    await c.closedByServer();
    assert.equal((await app.app.ctx.store.messages.uids(u.inboxId)).length, 2);
  });

  it('many pipelined RETRs come back complete and in order', async () => {
    const msgs = Array.from({ length: 30 }, (_, i) => textMessage({ subject: `pipe ${i + 1}`, body: `body ${i + 1}\r\n`.repeat(200) }));
    const u = await seedUser(app, msgs);
    const c = await loggedIn(app, u);
    c.write(msgs.map((_, i) => `RETR ${i + 1}\r\n`).join(''));
    for (let i = 0; i < msgs.length; i++) {
      await c.expect(new RegExp(`^\\+OK ${msgs[i]!.length} octets$`));
      const lines = await body(c);
      assert.ok(lines.includes(`Subject: pipe ${i + 1}`), `message ${i + 1}`);
    }
    c.close();
  });
});
