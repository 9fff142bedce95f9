/**
 * Encryption at delivery: users with an OpenPGP key and encryptMessages /
 * encryptForwarded get PGP/MIME (RFC 3156) copies that decrypt, with the
 * private key generated here, to exactly the bytes that were delivered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decrypt, generateKey, readMessage as readPgpMessage, readPrivateKey } from 'openpgp';
import { parseMessageBuffer } from '../../src/mime/scanner.js';
import type { MessageRecord } from '../../src/storage/types.js';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { connectLmtp, lmtpApp, mailboxMessages, transaction } from './helpers.js';
import { startSmtpSink } from './sinks.js';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n');

/** The armoured OpenPGP message inside a PGP/MIME message. */
function armoredPart(mime: string): string {
  const m = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(mime);
  assert.ok(m, 'an armoured OpenPGP message');
  return m[0];
}

describe('encryption to the user key at delivery', () => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let privateKey: string;
  let sealed: string;
  let keyOnly: string;
  before(async () => {
    smtp = await startSmtpSink();
    app = await lmtpApp({ relay: { host: '127.0.0.1', port: smtp.port, interval: 1 } });
    const pair = await generateKey({ userIDs: [{ name: 'Sealed', email: 'sealed@example.com' }], format: 'armored' });
    privateKey = pair.privateKey;
    const store = app.app.ctx.store;
    sealed = await app.addUser('sealed', 'pw');
    await store.accounts.updateUser(sealed, {
      settings: { pubKey: pair.publicKey, encryptMessages: true, encryptForwarded: true, forwards: ['outside@example.net'] },
    });
    keyOnly = await app.addUser('keyonly', 'pw');
    await store.accounts.updateUser(keyOnly, { settings: { pubKey: pair.publicKey } });
  });
  after(async () => {
    await app.stop();
    await smtp.stop();
  });

  async function deliver(rcpt: string, raw: Buffer): Promise<string> {
    const { t } = await connectLmtp(app.port('lmtp'));
    const r = await transaction(t, 'sender@example.net', [rcpt], raw);
    t.close();
    return r.data[0]!;
  }

  async function open(armored: string): Promise<Buffer> {
    const key = await readPrivateKey({ armoredKey: privateKey });
    const { data } = await decrypt({ message: await readPgpMessage({ armoredMessage: armored }), decryptionKeys: key, format: 'binary' });
    return Buffer.from(data);
  }

  async function stored(userId: string, subject: string): Promise<{ record: MessageRecord; bytes: Buffer }> {
    const records = await mailboxMessages(app.app.ctx.store, userId, 'INBOX');
    const record = records.find((r) => r.subject === subject);
    assert.ok(record, `stored: ${subject}`);
    return { record, bytes: await app.app.ctx.store.messages.read(record) };
  }

  it('stores PGP/MIME with readable routing headers, and the encrypted part is the message byte for byte', async () => {
    const raw = textMessage({ from: 'Alice <alice@example.net>', to: 'sealed@example.com', subject: 'Salary review', body: 'The figure is 71,400.' });
    assert.match(await deliver('sealed@example.com', raw), /^250 /);
    const { record, bytes } = await stored(sealed, 'Salary review');
    const text = bytes.toString('latin1');
    assert.doesNotMatch(text, /71,400/, 'no plaintext body at rest');
    assert.match(text, /^Delivered-To: sealed@example\.com\r$/m, 'the per-copy trace stays in front');
    assert.match(text, /^From: Alice <alice@example\.net>\r$/m);
    const parsed = parseMessageBuffer(bytes);
    assert.equal(`${parsed.root.type}/${parsed.root.subtype}`, 'multipart/encrypted');
    assert.equal(record.subject, 'Salary review', 'listed by its subject');
    assert.deepEqual(await open(armoredPart(text)), raw);
  });

  it('forwards the encrypted copy when encryptForwarded is set', async () => {
    const raw = textMessage({ to: 'sealed@example.com', subject: 'Forward me', body: 'secret forwarded words' });
    assert.match(await deliver('sealed@example.com', raw), /^250 /);
    // The message of the test before was forwarded too (the user forwards everything).
    const mails = await smtp.mail.wait(2);
    const forward = mails.find((m) => m.raw.includes('Subject: Forward me'));
    assert.ok(forward);
    assert.deepEqual(forward.to, ['outside@example.net']);
    assert.doesNotMatch(forward.raw, /secret forwarded words/);
    assert.deepEqual(await open(armoredPart(forward.raw)), raw);
  });

  it('leaves messages that are already encrypted as they are', async () => {
    const pgp = crlf(
      'From: bob@example.net',
      'To: sealed@example.com',
      'Subject: already sealed',
      'MIME-Version: 1.0',
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=x',
      '',
      '--x',
      'Content-Type: application/pgp-encrypted',
      '',
      'Version: 1',
      '--x',
      'Content-Type: application/octet-stream',
      '',
      '-----BEGIN PGP MESSAGE-----',
      'AAAA',
      '-----END PGP MESSAGE-----',
      '--x--',
    );
    assert.match(await deliver('sealed@example.com', pgp), /^250 /);
    const { record, bytes } = await stored(sealed, 'already sealed');
    assert.deepEqual(bytes.subarray(record.prefix?.length ?? 0), pgp);
  });

  it('a key without encryptMessages changes nothing', async () => {
    const raw = textMessage({ to: 'keyonly@example.com', subject: 'plain as ever', body: 'readable' });
    assert.match(await deliver('keyonly@example.com', raw), /^250 /);
    const { record, bytes } = await stored(keyOnly, 'plain as ever');
    assert.deepEqual(bytes.subarray(record.prefix?.length ?? 0), raw);
  });
});
