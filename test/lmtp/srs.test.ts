/**
 * SRS end to end (src/filters/srs.ts): a forward leaves with a rewritten
 * envelope sender in the SRS domain; a bounce to that address, delivered over
 * LMTP, is relayed to the original sender; forged addresses are refused at
 * RCPT. Outbound mail is checked at a sink SMTP server started here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { connectLmtp, lmtpApp, mailboxMessages, transaction } from './helpers.js';
import { startSmtpSink } from './sinks.js';

describe('SRS for forwards', () => {
  let app: TestApp;
  let port: number;
  let user: string;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  before(async () => {
    smtp = await startSmtpSink();
    app = await lmtpApp({ relay: { host: '127.0.0.1', port: smtp.port, interval: 1 }, delivery: { srsDomain: 'srs.example.com' } });
    port = app.port('lmtp');
    user = await app.addUser('fwd', 'pw');
    await app.app.ctx.store.accounts.updateUser(user, { settings: { forwards: ['far@example.net'] } });
  });
  after(async () => {
    await app.stop();
    await smtp.stop();
  });

  it('rewrites the forward\'s envelope sender, and relays a bounce to it back to the original sender', async () => {
    const { t } = await connectLmtp(port);
    const raw = textMessage({ from: 'Alice <alice@example.org>', to: 'fwd@example.com', subject: 'forward me' });
    const r = await transaction(t, 'alice@example.org', ['fwd@example.com'], raw);
    assert.match(r.data[0]!, /^250 /);
    const [forward] = await smtp.mail.wait(1);
    assert.match(forward!.from, /^SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=example\.org=alice@srs\.example\.com$/);
    assert.deepEqual(forward!.to, ['far@example.net']);
    assert.equal((await mailboxMessages(app.app.ctx.store, user, 'INBOX')).length, 1, 'the user still gets its copy');

    // The far side bounces to the rewritten sender; the MTA routes srs.example.com to us.
    const bounce = textMessage({ from: 'MAILER-DAEMON@example.net', to: forward!.from, subject: 'Undelivered Mail Returned to Sender' });
    const b = await transaction(t, '', [forward!.from], bounce);
    assert.match(b.rcpt[0]!, /^250 /);
    assert.match(b.data[0]!, /^250 2\.0\.0 .*Relayed/);
    const relayed = (await smtp.mail.wait(2))[1]!;
    assert.equal(relayed.from, '', 'a bounce keeps the null sender');
    assert.deepEqual(relayed.to, ['alice@example.org']);
    assert.ok(relayed.raw.endsWith(bounce.toString()), 'the bounce as it came, after our trace field');
  });

  it('refuses forged and altered SRS addresses at RCPT, and still delivers to real users of the SRS domain', async () => {
    const { t } = await connectLmtp(port);
    t.send('MAIL FROM:<>');
    await t.expect(/^250 /);
    t.send('RCPT TO:<SRS0=abcd=AB=example.org=alice@srs.example.com>');
    assert.match(await t.line(), /^550 5\.1\.1 .*Invalid or expired SRS address/);
    t.send('RCPT TO:<SRS0=broken@srs.example.com>');
    assert.match(await t.line(), /^550 5\.1\.1 /);
    t.send('RCPT TO:<nobody@srs.example.com>');
    assert.match(await t.line(), /^550 5\.1\.1 .*No such user/, 'not SRS: an ordinary lookup');
    t.send('QUIT');
  });
});
