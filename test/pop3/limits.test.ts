import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pop3Service } from '../../src/pop3/server.js';
import type { TestApp } from '../helpers/app.js';
import { Transcript } from '../helpers/transcript.js';
import { body, connectPop3, loggedIn, loginPop3, seedUser, startPop3App } from './helpers.js';

describe('pop3 limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startPop3App({ pop3: { maxConnectionsPerIp: 3, maxConnectionsPerUser: 1 } });
  });
  after(() => app.stop());

  it('connections beyond maxConnectionsPerIp get -ERR and are closed; a freed slot is reusable', async () => {
    const open = [await connectPop3(app.port('pop3')), await connectPop3(app.port('pop3')), await connectPop3(app.port('pop3'))];
    const extra = await Transcript.connect(app.port('pop3'));
    await extra.expect(/^-ERR \[SYS\/TEMP\] Too many connections/);
    await extra.closedByServer();
    open[0]!.send('QUIT');
    await open[0]!.expect(/^\+OK/);
    await open[0]!.closedByServer();
    // The server counts the slot free once it has seen the close, which follows its answer.
    let again: Transcript | null = null;
    while (!again) {
      const t = await Transcript.connect(app.port('pop3'));
      const l = await t.line();
      if (l.startsWith('+OK')) again = t;
      else await t.closedByServer();
    }
    for (const c of [...open.slice(1), again]) c.close();
  });

  it('maxConnectionsPerUser counts logged-in sessions of the user: -ERR [IN-USE]', async () => {
    const u = await seedUser(app);
    const c = await loggedIn(app, u);
    const d = await connectPop3(app.port('pop3'));
    d.send(`USER ${u.name}`);
    await d.expect(/^\+OK/);
    d.send(`PASS ${u.password}`);
    await d.expect(/^-ERR \[IN-USE\] Too many POP3 sessions/);
    c.close();
    d.close();
  });
});

describe('pop3 autologout and shutdown', () => {
  let app: TestApp;
  before(async () => {
    app = await startPop3App();
  });
  after(() => app.stop());

  /** A second POP3 service on the same app, with its own timings (the config minimum is RFC 1939's ten minutes). */
  async function extraService(idleTimeoutMs?: number): Promise<{ service: Pop3Service; port: number }> {
    const ctx = app.app.ctx;
    const service = new Pop3Service({ ...ctx, config: { ...ctx.config, pop3: { ...ctx.config.pop3, port: 0, tlsPort: 0 } } }, { idleTimeoutMs });
    const [bound] = await service.start();
    return { service, port: bound!.port! };
  }

  it('an idle session is closed without an answer and without the UPDATE state', async () => {
    const { service, port } = await extraService(300);
    try {
      const u = await seedUser(app);
      const c = await connectPop3(port);
      await loginPop3(c, u);
      c.send('DELE 1');
      await c.expect(/^\+OK/);
      await c.closedByServer();
      assert.equal(c.received.length, 4, `no farewell line: ${c.received.join(' | ')}`);
      assert.equal((await app.app.ctx.store.messages.uids(u.inboxId)).length, 3);
      // And the lock went with it.
      const d = await loggedIn(app, u);
      d.close();
    } finally {
      await service.stop(Date.now() + 1000);
    }
  });

  it('stop() ends idle sessions with -ERR [SYS/TEMP], lets a running command finish, and removes nothing', async () => {
    const { service, port } = await extraService();
    const u = await seedUser(app);
    const idle = await connectPop3(port);
    await loginPop3(idle, u);
    idle.send('DELE 1');
    await idle.expect(/^\+OK/);

    const v = await seedUser(app);
    const busy = await connectPop3(port);
    await loginPop3(busy, v);
    const messages = app.app.ctx.store.messages;
    const original = messages.getRecords;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    messages.getRecords = async (...args) => {
      entered();
      await gate;
      return original.apply(messages, args);
    };
    try {
      busy.send('RETR 2');
      await inFlight;
      const stopped = service.stop(Date.now() + 10_000);
      await idle.expect(/^-ERR \[SYS\/TEMP\] Server shutting down$/);
      await idle.closedByServer();
      release();
      await busy.expect(/^\+OK \d+ octets$/);
      await body(busy);
      await busy.expect(/^-ERR \[SYS\/TEMP\] Server shutting down$/);
      await busy.closedByServer();
      await stopped;
    } finally {
      messages.getRecords = original;
      release();
    }
    assert.equal((await app.app.ctx.store.messages.uids(u.inboxId)).length, 3);
    assert.equal(service.sessionCount, 0);
  });
});
