/** STARTTLS (RFC 3501 §6.2.1, RFC 2595), implicit TLS (RFC 8314), LOGINDISABLED on plaintext from other hosts. */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../helpers/redis.js';
import { Transcript } from '../../helpers/transcript.js';
import { connectImap, imapFixture, ImapClient, PASSWORD, type ImapFixture, type ImapUser } from './helpers.js';

function capabilityLine(lines: readonly string[]): string {
  return lines.find((l) => l.startsWith('* CAPABILITY ')) ?? '';
}

/** A local IPv4 address that is not loopback: connecting to it makes the server see a non-loopback peer. */
function externalAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

describe('STARTTLS and implicit TLS', () => {
  let fx: ImapFixture;
  let user: ImapUser;
  let tlsPort: number;
  before(async () => {
    tlsPort = await freePort();
    fx = await imapFixture({ imap: { tlsPort } });
    user = await fx.user();
  });
  after(() => fx.stop());

  it('STARTTLS upgrades the connection; CAPABILITY then omits STARTTLS', async () => {
    const c = await user.connect({ login: false });
    assert.match(capabilityLine((await c.ok('CAPABILITY')).untagged), / STARTTLS/);
    assert.match((await c.ok('STARTTLS')).tagged, /OK Begin TLS/);
    await c.t.startTls();
    assert.ok(c.t.encrypted);
    assert.doesNotMatch(capabilityLine((await c.ok('CAPABILITY')).untagged), /STARTTLS/);
    await c.ok(`LOGIN ${user.name} "${PASSWORD}"`);
    await c.ok('SELECT INBOX');
    c.close();
  });

  it('plaintext pipelined after STARTTLS is discarded, never executed', async () => {
    const c = await user.connect({ login: false });
    c.t.write(`a STARTTLS\r\nb LOGIN ${user.name} "${PASSWORD}"\r\n`);
    await c.t.expect(/^a OK/);
    await c.t.startTls();
    // Had "b LOGIN" run, this SELECT would succeed.
    assert.equal((await c.cmd('SELECT INBOX')).status, 'BAD');
    c.close();
  });

  it('STARTTLS twice, or after login, is BAD', async () => {
    const c = await user.connect({ login: false });
    await c.ok('STARTTLS');
    await c.t.startTls();
    assert.match((await c.cmd('STARTTLS')).tagged, /BAD TLS is already active/);
    c.close();
  });

  it('the implicit-TLS port greets over TLS and offers no STARTTLS', async () => {
    const c = await connectImap(fx.app.port('imap', true), null, true);
    assert.ok(c.t.encrypted);
    assert.doesNotMatch(capabilityLine((await c.ok('CAPABILITY')).untagged), /STARTTLS/);
    await c.ok(`LOGIN ${user.name} "${PASSWORD}"`);
    c.close();
  });
});

describe('LOGINDISABLED for plaintext from a non-loopback address', () => {
  const address = externalAddress();
  let fx: ImapFixture;
  let user: ImapUser;
  before(async () => {
    if (address === null) return;
    fx = await imapFixture({ imap: { host: '0.0.0.0' }, auth: { allowInsecurePlaintext: false } });
    user = await fx.user();
  });
  after(() => fx?.stop());

  it('advertises LOGINDISABLED, refuses LOGIN and AUTHENTICATE PLAIN until STARTTLS', async (t) => {
    if (address === null) {
      process.emitWarning('no non-loopback IPv4 address on this machine: LOGINDISABLED live check skipped (unit-tested in units.test.ts)');
      t.skip('no non-loopback address');
      return;
    }
    const c = new ImapClient(await Transcript.connect(fx.app.port('imap'), { host: address }));
    const greeting = await c.t.line();
    assert.match(greeting, /LOGINDISABLED/);
    assert.doesNotMatch(greeting, /AUTH=PLAIN/);
    assert.match((await c.cmd(`LOGIN ${user.name} "${PASSWORD}"`)).tagged, /NO \[PRIVACYREQUIRED\]/);
    const plain = Buffer.from(`\0${user.name}\0${PASSWORD}`).toString('base64');
    assert.match((await c.cmd(`AUTHENTICATE PLAIN ${plain}`)).tagged, /NO \[PRIVACYREQUIRED\]/);
    await c.ok('STARTTLS');
    await c.t.startTls();
    const caps = capabilityLine((await c.ok('CAPABILITY')).untagged);
    assert.match(caps, /AUTH=PLAIN/);
    assert.doesNotMatch(caps, /LOGINDISABLED/);
    await c.ok(`AUTHENTICATE PLAIN ${plain}`);
    c.close();
  });
});
