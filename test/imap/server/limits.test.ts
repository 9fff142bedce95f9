/** Autologout, connection limits, oversized input, graceful stop. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { Transcript } from '../../helpers/transcript.js';
import { imapFixture, PASSWORD } from './helpers.js';

describe('limits and protection', () => {
  it('autologout before authentication after imap.preauthTimeout', async () => {
    const fx = await imapFixture({ imap: { preauthTimeout: 0.2 } });
    try {
      const c = await (await fx.user()).connect({ login: false });
      await c.t.expect(/^\* BYE Autologout/);
      await c.t.closedByServer();
    } finally {
      await fx.stop();
    }
  });

  it('connections per IP beyond imap.maxConnectionsPerIp get BYE [LIMIT]', async () => {
    const fx = await imapFixture({ imap: { maxConnectionsPerIp: 2 } });
    try {
      const u = await fx.user();
      const a = await u.connect({ login: false });
      const b = await u.connect({ login: false });
      const t = await Transcript.connect(fx.app.port('imap'));
      await t.expect(/^\* BYE \[LIMIT\]/);
      await t.closedByServer();
      a.close();
      await a.t.closedByServer();
      b.close();
    } finally {
      await fx.stop();
    }
  });

  it('logins beyond imap.maxConnectionsPerUser are NO [LIMIT]', async () => {
    const fx = await imapFixture({ imap: { maxConnectionsPerUser: 1 } });
    try {
      const u = await fx.user();
      const a = await u.connect();
      const b = await u.connect({ login: false });
      assert.match((await b.cmd(`LOGIN ${u.name} "${PASSWORD}"`)).tagged, /NO \[LIMIT\]/);
      await a.ok('LOGOUT');
      await a.t.closedByServer();
      await b.ok(`LOGIN ${u.name} "${PASSWORD}"`);
      b.close();
    } finally {
      await fx.stop();
    }
  });

  it('an overlong command line is BAD and the connection stays usable', async () => {
    const fx = await imapFixture({ imap: { maxLineLength: 1024 } });
    try {
      const c = await (await fx.user()).connect();
      const r = await c.cmd(`LIST "" "${'x'.repeat(5000)}"`);
      assert.match(r.tagged, /BAD Command line too long/);
      await c.ok('NOOP');
      c.close();
    } finally {
      await fx.stop();
    }
  });

  it('before login, literals are kept small; a large one is refused without reading it', async () => {
    const fx = await imapFixture();
    try {
      const c = await (await fx.user()).connect({ login: false });
      c.t.send('a LOGIN {100000}');
      assert.match(await c.t.line(), /^a BAD Literal too large before authentication/);
      await c.ok('NOOP');
      c.close();
    } finally {
      await fx.stop();
    }
  });

  it('graceful stop: an idle session and an idling one both get BYE', async () => {
    const fx = await imapFixture();
    const u = await fx.user();
    const a = await u.connect();
    const b = await u.connect();
    await b.ok('SELECT INBOX');
    b.t.send('i IDLE');
    await b.t.expect(/^\+ idling/);
    const stopping = fx.stop();
    await a.t.expect(/^\* BYE Server shutting down/);
    await b.t.expect(/^\* BYE Server shutting down/);
    await Promise.all([a.t.closedByServer(), b.t.closedByServer(), stopping]);
  });

  it('graceful stop lets a running command finish before BYE', async () => {
    const fx = await imapFixture();
    const u = await fx.user();
    const body = Buffer.alloc(16 * 1024 * 1024, 'a');
    await u.deliver('INBOX', Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), body]));
    const socket = connect(fx.app.port('imap'), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`a LOGIN ${u.name} "${PASSWORD}"\r\nb SELECT INBOX\r\nc FETCH 1 BODY.PEEK[]\r\n`);
    // Read nothing yet: the FETCH stalls on backpressure, in progress when the stop begins.
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopping = fx.stop();
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.resume();
    await Promise.all([once(socket, 'close'), stopping]);
    const tail = text.slice(-200);
    assert.ok(text.length > body.length, `received ${text.length} octets`);
    assert.match(tail, /\)\r\nc OK FETCH completed\r\n\* BYE Server shutting down\r\n$/);
  });
});

describe('waiting for the client', () => {
  it('a client that never starts the TLS handshake after STARTTLS is logged out', async () => {
    const fx = await imapFixture({ imap: { preauthTimeout: 0.3 } });
    try {
      const c = await (await fx.user()).connect({ login: false });
      await c.ok('STARTTLS');
      await c.t.closedByServer();
    } finally {
      await fx.stop();
    }
  });

  it('a stop does not wait for a client sitting in an AUTHENTICATE exchange', async () => {
    const fx = await imapFixture({ server: { shutdownTimeout: 30 } });
    const c = await (await fx.user()).connect({ login: false });
    c.t.send('a AUTHENTICATE PLAIN');
    await c.t.expect(/^\+ $/);
    const started = Date.now();
    await Promise.all([fx.stop(), c.t.expect(/^\* BYE Server shutting down/)]);
    assert.ok(Date.now() - started < 10_000);
  });
});
