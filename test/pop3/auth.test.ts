import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import type { TestApp } from '../helpers/app.js';
import { Transcript } from '../helpers/transcript.js';
import { base64, body, connectPop3, loginPop3, seedUser, startPop3App, type Seeded } from './helpers.js';

function plain(user: string, password: string, authzid = ''): string {
  return base64(`${authzid}\0${user}\0${password}`);
}

describe('pop3 AUTHORIZATION state', () => {
  let app: TestApp;
  let u: Seeded;
  const logLines: string[] = [];
  before(async () => {
    const logger = createLogger({ level: 'debug', format: 'json' }, { write: (l) => void logLines.push(l) });
    app = await startPop3App({ server: { hostname: 'pop.example.test' }, auth: { maxFailuresPerUser: 3 } }, logger);
    u = await seedUser(app);
  });
  after(() => app.stop());

  it('greets with the configured hostname; CAPA lists the RFC 2449 capabilities', async () => {
    const c = await Transcript.connect(app.port('pop3'));
    await c.expect(/^\+OK pop\.example\.test /);
    c.send('CAPA');
    await c.expect(/^\+OK/);
    const caps = await body(c);
    for (const cap of ['TOP', 'UIDL', 'USER', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'SASL PLAIN LOGIN', 'STLS']) {
      assert.ok(caps.includes(cap), `${cap} in ${caps.join(',')}`);
    }
    assert.match(caps.find((l) => l.startsWith('IMPLEMENTATION'))!, /^IMPLEMENTATION Eider \d+\.\d+\.\d+/);
    c.send('QUIT');
    await c.expect(/^\+OK pop\.example\.test signing off/);
    await c.closedByServer();
  });

  it('USER/PASS logs in; CAPA works in TRANSACTION too', async () => {
    const c = await connectPop3(app.port('pop3'));
    assert.match(await loginPop3(c, u), /^\+OK Maildrop has 3 messages/);
    c.send('CAPA');
    await c.expect(/^\+OK/);
    assert.ok((await body(c)).includes('UIDL'));
    c.close();
  });

  it('a wrong password answers -ERR [AUTH]; the client may start over with USER', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send(`USER ${u.name}`);
    await c.expect(/^\+OK/);
    c.send('PASS wrong');
    await c.expect(/^-ERR \[AUTH\] Authentication failed$/);
    c.send('PASS wrong-again');
    await c.expect(/^-ERR Send USER first$/);
    c.send('USER nobody-here');
    await c.expect(/^\+OK/); // USER does not reveal unknown users
    c.send('PASS x');
    await c.expect(/^-ERR \[AUTH\] Authentication failed$/);
    await loginPop3(c, u);
    c.close();
  });

  it('AUTH PLAIN with an initial response, and without one (empty challenge first)', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send(`AUTH PLAIN ${plain(u.name, u.password)}`);
    await c.expect(/^\+OK/);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();

    const d = await connectPop3(app.port('pop3'));
    d.send('AUTH PLAIN');
    await d.expect(/^\+ $/);
    d.send(plain(u.name, u.password, u.name));
    await d.expect(/^\+OK/);
    d.close();
  });

  it('AUTH LOGIN with and without an initial response', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send('AUTH LOGIN');
    await c.expect(/^\+ VXNlcm5hbWU6$/);
    c.send(base64(u.name));
    await c.expect(/^\+ UGFzc3dvcmQ6$/);
    c.send(base64(u.password));
    await c.expect(/^\+OK/);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();

    const d = await connectPop3(app.port('pop3'));
    d.send(`AUTH login ${base64(u.name)}`);
    await d.expect(/^\+ UGFzc3dvcmQ6$/);
    d.send(base64(u.password));
    await d.expect(/^\+OK/);
    d.close();
  });

  it('AUTH failures: wrong password [AUTH], cancel, bad base64, unknown mechanism, empty "=" response; bare AUTH lists', async () => {
    const c = await connectPop3(app.port('pop3'));
    c.send(`AUTH PLAIN ${plain(u.name, 'nope')}`);
    await c.expect(/^-ERR \[AUTH\] Authentication failed$/);
    c.send('AUTH LOGIN');
    await c.expect(/^\+ /);
    c.send('*');
    await c.expect(/^-ERR Authentication cancelled$/);
    c.send('AUTH PLAIN');
    await c.expect(/^\+ $/);
    c.send('not base64!');
    await c.expect(/^-ERR Invalid base64 data$/);
    c.send('AUTH CRAM-MD5');
    await c.expect(/^-ERR Unsupported authentication mechanism$/);
    c.send('AUTH PLAIN =');
    await c.expect(/^-ERR \[AUTH\] Malformed PLAIN response$/);
    c.send(`AUTH PLAIN ${plain(u.name, u.password, 'someone-else')}`);
    await c.expect(/^-ERR \[AUTH\] Authorization identity not permitted$/);
    c.send('AUTH');
    await c.expect(/^\+OK/);
    assert.deepEqual(await body(c), ['PLAIN', 'LOGIN']);
    // Still in AUTHORIZATION and usable.
    await loginPop3(c, u);
    c.close();
  });

  it('too many failures for a user answer -ERR [LOGIN-DELAY], even with the right password', async () => {
    const v = await seedUser(app);
    const c = await connectPop3(app.port('pop3'));
    for (let i = 0; i < 3; i++) {
      c.send(`USER ${v.name}`);
      await c.expect(/^\+OK/);
      c.send('PASS wrong');
      await c.expect(/^-ERR \[AUTH\]/);
    }
    c.send(`USER ${v.name}`);
    await c.expect(/^\+OK/);
    c.send(`PASS ${v.password}`);
    await c.expect(/^-ERR \[LOGIN-DELAY\] /);
    c.close();
  });

  it('a disabled account, or one with POP3 disabled, answers -ERR [AUTH]', async () => {
    const v = await seedUser(app);
    const w = await seedUser(app);
    const store = app.app.ctx.store;
    await store.accounts.updateUser(v.userId, { disabled: true });
    await store.accounts.updateUser(w.userId, { settings: { disabledScopes: ['pop3'] } });
    const c = await connectPop3(app.port('pop3'));
    for (const x of [v, w]) {
      c.send(`USER ${x.name}`);
      await c.expect(/^\+OK/);
      c.send(`PASS ${x.password}`);
      await c.expect(/^-ERR \[AUTH\] Account disabled for POP3$/);
    }
    c.close();
  });

  it('2-step accounts need an app password: -ERR [AUTH]; server trouble in login: -ERR [SYS/TEMP]', async () => {
    const login = app.app.ctx.login;
    const c = await connectPop3(app.port('pop3'));
    try {
      login.setExtensions({ hasSecondFactor: async () => true });
      c.send(`AUTH PLAIN ${plain(u.name, u.password)}`);
      await c.expect(/^-ERR \[AUTH\] Use an application-specific password$/);
      login.setExtensions({
        hasSecondFactor: async () => {
          throw new Error('second-factor store unreachable');
        },
      });
      c.send(`AUTH PLAIN ${plain(u.name, u.password)}`);
      await c.expect(/^-ERR \[SYS\/TEMP\] /);
    } finally {
      login.setExtensions({});
    }
    await loginPop3(c, u);
    c.close();
  });

  it('an unexpected storage failure in a command answers -ERR [SYS/TEMP] and the session carries on', async () => {
    const v = await seedUser(app);
    const messages = app.app.ctx.store.messages;
    const c = await connectPop3(app.port('pop3'));
    await loginPop3(c, v);
    const original = messages.getRecords;
    messages.getRecords = async () => {
      throw new Error('disk on fire');
    };
    try {
      c.send('RETR 1');
      await c.expect(/^-ERR \[SYS\/TEMP\] /);
    } finally {
      messages.getRecords = original;
    }
    c.send('RETR 1');
    await c.expect(/^\+OK/);
    await body(c);
    c.close();
    const failed = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'pop3.command_failed');
    assert.ok(failed, 'logged with its cause');
    assert.match(JSON.stringify(failed.err), /disk on fire/);
  });

  it('every command logs its event, the session id and the elapsed ms; passwords never appear', async () => {
    const c = await connectPop3(app.port('pop3'));
    await loginPop3(c, u);
    c.send('STAT');
    await c.expect(/^\+OK/);
    c.send('BOGUS');
    await c.expect(/^-ERR/);
    c.send('QUIT');
    await c.expect(/^\+OK/);
    await c.closedByServer();
    const events = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const name of ['pop3.user', 'pop3.pass', 'pop3.stat', 'pop3.unknown', 'pop3.quit']) {
      const e = events.find((x) => x.event === name);
      assert.ok(e, name);
      assert.equal(typeof e.session, 'string');
      assert.equal(typeof e.ms, 'number');
    }
    assert.ok(!logLines.some((l) => l.includes(u.password)), 'no password in the log');
  });
});

function externalIPv4(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

const external = externalIPv4();
if (!external) process.emitWarning('no non-loopback IPv4 address: skipping the POP3 plaintext-refusal test');

describe('pop3 plaintext policy on a non-loopback connection', { skip: external ? false : 'no non-loopback IPv4 address' }, () => {
  let app: TestApp;
  let u: Seeded;
  before(async () => {
    app = await startPop3App({ pop3: { host: external! } });
    u = await seedUser(app);
  });
  after(() => app.stop());

  it('refuses USER/PASS and AUTH without TLS, accepts them after STLS', async () => {
    const c = await connectPop3(app.port('pop3'), { host: external! });
    c.send('CAPA');
    await c.expect(/^\+OK/);
    const caps = await body(c);
    assert.ok(!caps.includes('USER') && !caps.some((x) => x.startsWith('SASL')), caps.join(','));
    assert.ok(caps.includes('STLS'));
    c.send(`USER ${u.name}`);
    await c.expect(/^-ERR \[AUTH\] Plaintext authentication is not allowed/);
    c.send(`PASS ${u.password}`);
    await c.expect(/^-ERR \[AUTH\] Plaintext/);
    c.send(`AUTH PLAIN ${plain(u.name, u.password)}`);
    await c.expect(/^-ERR \[AUTH\] Plaintext/);
    c.send('STLS');
    await c.expect(/^\+OK/);
    await c.startTls();
    c.send('CAPA');
    await c.expect(/^\+OK/);
    const after = await body(c);
    assert.ok(after.includes('USER') && after.includes('SASL PLAIN LOGIN') && !after.includes('STLS'), after.join(','));
    await loginPop3(c, u);
    c.send('STAT');
    await c.expect(/^\+OK 3 /);
    c.close();
  });
});
