import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/redis.js';
import { body, connectPop3, loginPop3, seedUser, startPop3App, type Seeded } from './helpers.js';

describe('pop3 TLS', () => {
  let app: TestApp;
  let u: Seeded;
  before(async () => {
    app = await startPop3App({ pop3: { tlsPort: await freePort() } });
    u = await seedUser(app);
  });
  after(() => app.stop());

  it('STLS upgrades the connection; CAPA then drops STLS; a second STLS is refused', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send('STLS');
    await c.expect(/^\+OK Begin TLS negotiation$/);
    await c.startTls();
    assert.equal(c.encrypted, true);
    c.send('CAPA');
    await c.expect(/^\+OK/);
    assert.ok(!(await body(c)).includes('STLS'));
    c.send('STLS');
    await c.expect(/^-ERR Already using TLS$/);
    await loginPop3(c, u);
    c.send('STAT');
    await c.expect(/^\+OK 3 /);
    c.close();
  });

  it('commands pipelined after STLS in plaintext are discarded (RFC 2595 §3)', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.write(`STLS\r\nUSER ${u.name}\r\n`);
    await c.expect(/^\+OK Begin TLS/);
    await c.startTls();
    c.send(`PASS ${u.password}`);
    await c.expect(/^-ERR Send USER first$/);
    c.close();
  });

  it('STLS with arguments or after login is refused', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send('STLS now');
    await c.expect(/^-ERR This command takes no arguments$/);
    await loginPop3(c, u);
    c.send('STLS');
    await c.expect(/^-ERR Command not valid in this state$/);
    c.close();
  });

  it('the implicit-TLS listener speaks POP3 over TLS from the first byte, with the same certificate', async () => {
    const tlsPort = app.port('pop3', true);
    assert.ok(app.bound.some((b) => b.service === 'pop3' && b.tls === true && b.port === tlsPort));
    const c = await connectPop3(tlsPort, { tls: true });
    assert.equal(c.encrypted, true);
    c.send('CAPA');
    await c.expect(/^\+OK/);
    const caps = await body(c);
    assert.ok(!caps.includes('STLS') && caps.includes('USER'));
    await loginPop3(c, u);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
  });
});
