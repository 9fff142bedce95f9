/** LMTP STARTTLS (RFC 3207), offered only when configured; checked with Python's smtplib.LMTP. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { lmtpApp, mailboxMessages, runProcess } from './helpers.js';

const CLIENT = `
import json, smtplib, ssl, sys
c = smtplib.LMTP('127.0.0.1', int(sys.argv[1]))
c.ehlo('py.example')
before = sorted(c.esmtp_features.keys())
out = {'before': before}
if 'starttls' in before:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    code, _ = c.starttls(context=ctx)
    out['starttls'] = code
    c.ehlo('py.example')
    out['after'] = sorted(c.esmtp_features.keys())
    out['cipher'] = c.sock.version()
    c.mail('tls@example.net')
    c.rcpt(sys.argv[2])
    code, text = c.data(b'From: tls@example.net\\r\\nSubject: over tls\\r\\n\\r\\nsecret\\r\\n')
    out['data'] = code
c.quit()
print(json.dumps(out))
`;

const hasPython = spawnSync('python3', ['-c', 'import smtplib, ssl'], { stdio: 'ignore' }).status === 0;

describe('LMTP STARTTLS', { skip: hasPython ? false : 'python3 with smtplib/ssl is not installed' }, () => {
  let on: TestApp;
  let off: TestApp;
  let user: string;
  before(async () => {
    on = await lmtpApp({ lmtp: { starttls: true } });
    off = await lmtpApp();
    user = await on.addUser('tlsuser', 'pw');
  });
  after(async () => {
    await on.stop();
    await off.stop();
  });

  it('is not offered by default', async () => {
    const r = await runProcess('python3', ['-c', CLIENT, String(off.port('lmtp')), 'nobody@example.com']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!(JSON.parse(r.stdout) as { before: string[] }).before.includes('starttls'));
  });

  it('when configured, upgrades and delivers over TLS', async () => {
    const r = await runProcess('python3', ['-c', CLIENT, String(on.port('lmtp')), 'tlsuser@example.com']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { before: string[]; starttls: number; after: string[]; cipher: string; data: number };
    assert.equal(out.starttls, 220);
    assert.ok(!out.after.includes('starttls'), 'not offered again inside TLS');
    assert.match(out.cipher, /^TLSv1\.[23]$/);
    assert.equal(out.data, 250);
    const [m] = await mailboxMessages(on.app.ctx.store, user, 'INBOX');
    assert.equal(m?.subject, 'over tls');
  });
});
