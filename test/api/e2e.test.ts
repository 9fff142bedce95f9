/**
 * End to end with real clients: a user made through the API, mail delivered
 * over LMTP (nodemailer), read through the API, fetched byte-exact over
 * IMAP (imapflow), and a flag set through the API seen by an IMAP session.
 * Protocol services that are not registered yet are skipped with a warning.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { serviceFactories } from '../../src/server/services.js';
import '../../src/server/register.js';
import { base32Decode, totp } from '../../src/security/totp.js';
import { multipartMessage, textMessage } from '../helpers/messages.js';
import { Transcript } from '../helpers/transcript.js';
import { startApi, type ApiHarness } from './helpers.js';
import { command, SseClient } from './sse-client.js';

function missing(name: 'imap' | 'pop3' | 'lmtp'): string | false {
  if (serviceFactories.some((f) => f.name === name)) return false;
  const reason = `${name.toUpperCase()} service is not registered yet: its end-to-end API test is skipped`;
  process.emitWarning(reason);
  return reason;
}

const noLmtp = missing('lmtp');
const noImap = missing('imap');
const noPop3 = missing('pop3');

async function inboxOf(h: ApiHarness, user: string): Promise<string> {
  return String((await h.api.ok('GET', `/users/${user}/mailboxes`)).results!.find((b) => b.path === 'INBOX')!.id);
}

describe('end to end through the API', () => {
  it('upload → list → read → byte-exact download → flag, seen live on the update stream', async () => {
    const h = await startApi();
    try {
      const user = await h.createUser('e2e-api', { address: 'e2e-api@example.com' });
      const inbox = await inboxOf(h, user);
      const raw = multipartMessage({ subject: 'Round trip', attachment: Buffer.from('%PDF-1.4 fake') });
      const sse = await SseClient.open(`${h.api.base}/users/${user}/updates`);
      await sse.next();
      const up = await h.api.ok('POST', `/users/${user}/mailboxes/${inbox}/messages`, { raw: { data: raw, type: 'message/rfc822' }, query: { unseen: 'true' } });
      const uid = (up.message as { id: number }).id;
      assert.equal((await sse.next(command('EXISTS'))).data!.uid, uid);
      const list = await h.api.ok('GET', `/users/${user}/mailboxes/${inbox}/messages`);
      assert.equal(list.results![0]!.subject, 'Round trip');
      const m = await h.api.ok('GET', `/users/${user}/mailboxes/${inbox}/messages/${uid}`);
      assert.equal((m.attachments as unknown[]).length, 1);
      assert.deepEqual((await h.api.get(`/users/${user}/mailboxes/${inbox}/messages/${uid}/message.eml`)).bytes, raw);
      await h.api.ok('PUT', `/users/${user}/mailboxes/${inbox}/messages/${uid}`, { body: { seen: true } });
      const flags = await sse.next(command('FETCH'));
      assert.ok((flags.data!.flags as string[]).includes('\\Seen'));
      sse.close();
    } finally {
      await h.stop();
    }
  });
});

describe('end to end with LMTP and IMAP', () => {
  let h: ApiHarness;
  before(async () => {
    const services: Array<'api' | 'lmtp' | 'imap'> = ['api'];
    if (!noLmtp) services.push('lmtp');
    if (!noImap) services.push('imap');
    h = await startApi({}, services);
  });
  after(async () => h?.stop());

  it('create through the API → deliver over LMTP → list and read through the API', { skip: noLmtp }, async () => {
    const user = await h.createUser('lmtpuser', { address: 'lmtpuser@example.com' });
    const inbox = await inboxOf(h, user);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: h.t.port('lmtp'), lmtp: true, secure: false, ignoreTLS: true, name: 'mx.test' });
    const raw = textMessage({ subject: 'Delivered over LMTP', to: 'lmtpuser@example.com', body: 'hello via lmtp' });
    const info = await transport.sendMail({ envelope: { from: 'sender@example.org', to: ['lmtpuser@example.com'] }, raw });
    assert.deepEqual(info.accepted, ['lmtpuser@example.com']);
    transport.close();
    const list = await h.api.ok('GET', `/users/${user}/mailboxes/${inbox}/messages`);
    assert.equal(list.total, 1);
    const uid = Number(list.results![0]!.id);
    const m = await h.api.ok('GET', `/users/${user}/mailboxes/${inbox}/messages/${uid}`);
    assert.equal(m.subject, 'Delivered over LMTP');
    assert.match(String(m.text), /hello via lmtp/);
    assert.equal((m.envelope as { from: string }).from, 'sender@example.org');
    const eml = await h.api.get(`/users/${user}/mailboxes/${inbox}/messages/${uid}/message.eml`);
    assert.ok(eml.bytes.subarray(eml.bytes.length - raw.length).equals(raw), 'the delivered bytes follow the trace headers unchanged');
  });

  it('fetches byte-exact over IMAP and sees a flag set through the API as an untagged FETCH', { skip: noImap }, async () => {
    const user = await h.createUser('imapuser', { address: 'imapuser@example.com' });
    const inbox = await inboxOf(h, user);
    const raw = textMessage({ subject: 'Seen over IMAP' });
    const up = await h.api.ok('POST', `/users/${user}/mailboxes/${inbox}/messages`, { raw: { data: raw, type: 'message/rfc822' }, query: { unseen: 'true' } });
    const uid = (up.message as { id: number }).id;
    const client = new ImapFlow({ host: '127.0.0.1', port: h.t.port('imap'), secure: false, auth: { user: 'imapuser', pass: 'secret-pass' }, logger: false, tls: { rejectUnauthorized: false } });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const fetched = await client.fetchOne(String(uid), { source: true }, { uid: true });
      assert.ok(fetched && fetched.source);
      const apiBytes = (await h.api.get(`/users/${user}/mailboxes/${inbox}/messages/${uid}/message.eml`)).bytes;
      assert.deepEqual(fetched.source, apiBytes);
      assert.deepEqual(fetched.source, raw);
      const flagged = new Promise<Set<string>>((resolve) => {
        client.on('flags', (ev: { uid?: number; flags: Set<string> }) => {
          if (ev.flags.has('\\Flagged')) resolve(ev.flags);
        });
      });
      void client.idle();
      await h.api.ok('PUT', `/users/${user}/mailboxes/${inbox}/messages/${uid}`, { body: { flagged: true } });
      assert.ok((await flagged).has('\\Flagged'));
    } finally {
      await client.logout().catch(() => client.close());
    }
  });
});

describe('2FA and app passwords enforced by the protocol servers', () => {
  let h: ApiHarness;
  let asp = '';
  before(async () => {
    const services: Array<'api' | 'imap' | 'pop3'> = ['api'];
    if (!noImap) services.push('imap');
    if (!noPop3) services.push('pop3');
    h = await startApi({}, services);
    const user = await h.createUser('twofa', { address: 'twofa@example.com' });
    const setup = await h.api.ok('POST', `/users/${user}/2fa/totp/setup`, { body: {} });
    await h.api.ok('POST', `/users/${user}/2fa/totp/enable`, { body: { token: totp(base32Decode(String(setup.seed)), Date.now()) } });
    asp = String((await h.api.ok('POST', `/users/${user}/asps`, { body: { description: 'client', scopes: ['imap', 'pop3'] } })).password);
  });
  after(async () => h?.stop());

  it('IMAP: the master password is refused with a clear AUTHENTICATIONFAILED text; the app password logs in', { skip: noImap }, async () => {
    const t = await Transcript.connect(h.t.port('imap'));
    try {
      await t.expect(/^\* OK/);
      t.send('a1 LOGIN twofa secret-pass');
      const refused = (await t.until(/^a1 /)).pop()!;
      assert.match(refused, /^a1 NO \[AUTHENTICATIONFAILED\]/);
      assert.match(refused, /app(lication)?[- ]specific password|app password/i);
      t.send(`a2 LOGIN twofa "${asp.replace(/(....)/g, '$1 ').trim()}"`);
      assert.match((await t.until(/^a2 /)).pop()!, /^a2 OK/);
    } finally {
      t.close();
    }
  });

  it('POP3: the master password is refused with -ERR [AUTH]; the app password logs in', { skip: noPop3 }, async () => {
    const t = await Transcript.connect(h.t.port('pop3'));
    try {
      await t.expect(/^\+OK/);
      t.send('USER twofa');
      await t.expect(/^\+OK/);
      t.send('PASS secret-pass');
      const refused = await t.expect(/^-ERR/);
      assert.match(refused, /^-ERR \[AUTH\]/);
      t.send('USER twofa');
      await t.expect(/^\+OK/);
      t.send(`PASS ${asp}`);
      await t.expect(/^\+OK/);
    } finally {
      t.close();
    }
  });
});
