/** Real LMTP clients against the real app: nodemailer's LMTP transport and Python's smtplib.LMTP. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { lmtpApp, mailboxMessages, runProcess } from './helpers.js';

const PYTHON_CLIENT = `
import json, smtplib, sys
port = int(sys.argv[1])
c = smtplib.LMTP('127.0.0.1', port)
code, _ = c.ehlo('py.example')
out = {'lhlo': code, 'features': sorted(c.esmtp_features.keys()), 'rcpt': [], 'data': []}
c.mail('py@example.net')
accepted = 0
for r in sys.argv[2:]:
    code, msg = c.rcpt(r)
    out['rcpt'].append([code, msg.decode()])
    if code == 250:
        accepted += 1
msg = b'From: py@example.net\\r\\nTo: pyok@example.com\\r\\nSubject: from python\\r\\n\\r\\nHello from smtplib.\\r\\n'
code, text = c.data(msg)
out['data'].append([code, text.decode()])
# smtplib reads the first per-recipient reply; RFC 2033 sends one per accepted recipient.
for _ in range(accepted - 1):
    code, text = c.getreply()
    out['data'].append([code, text.decode()])
c.quit()
print(json.dumps(out))
`;

/** nodemailer lists per-recipient refusals in rejectedErrors, which its type declarations leave out. */
function rejectedErrors(info: object): string[] {
  if (!('rejectedErrors' in info) || !Array.isArray(info.rejectedErrors)) return [];
  return info.rejectedErrors.map((e: unknown) => {
    const r = e as { recipient?: unknown; response?: unknown };
    return `${String(r.recipient)} ${String(r.response)}`;
  });
}

function havePython(): boolean {
  const r = spawnSync('python3', ['-c', 'import smtplib'], { encoding: 'utf8' });
  return r.status === 0;
}

describe('LMTP with real clients', () => {
  let app: TestApp;
  let port: number;
  const ids: Record<string, string> = {};
  before(async () => {
    app = await lmtpApp();
    port = app.port('lmtp');
    ids.ok = await app.addUser('pyok', 'pw');
    ids.tight = await app.addUser('tight', 'pw', { quota: 100 });
    ids.nmok = await app.addUser('nmok', 'pw');
  });
  after(async () => app.stop());

  it('nodemailer (lmtp: true): unknown, over-quota and ok recipients each get their own answer', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, lmtp: true, ignoreTLS: true });
    const info = await transport.sendMail({
      envelope: { from: 'nm@example.net', to: ['nobody@example.com', 'tight@example.com', 'nmok@example.com'] },
      raw: textMessage({ subject: 'from nodemailer', body: 'z'.repeat(500) }),
    });
    transport.close();
    assert.deepEqual(info.accepted, ['nmok@example.com']);
    assert.deepEqual([...info.rejected].sort(), ['nobody@example.com', 'tight@example.com']);
    const errors = rejectedErrors(info).sort();
    assert.match(errors[0]!, /^nobody@example\.com 550 5\.1\.1 /);
    assert.match(errors[1]!, /^tight@example\.com 452 4\.2\.2 /);
    const stored = await mailboxMessages(app.app.ctx.store, ids.nmok!, 'INBOX');
    assert.equal(stored.filter((m) => m.subject === 'from nodemailer').length, 1);
    assert.equal((await mailboxMessages(app.app.ctx.store, ids.tight!, 'INBOX')).length, 0);
  });

  it("Python's smtplib.LMTP: per-recipient replies in RCPT order", async (t) => {
    if (!havePython()) {
      process.emitWarning('python3 with smtplib is not installed: skipping the smtplib.LMTP test');
      t.skip('python3 missing');
      return;
    }
    const r = await runProcess('python3', ['-c', PYTHON_CLIENT, String(port), 'nobody@example.com', 'pyok@example.com', 'tight@example.com']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { lhlo: number; features: string[]; rcpt: Array<[number, string]>; data: Array<[number, string]> };
    assert.equal(out.lhlo, 250);
    for (const f of ['pipelining', '8bitmime', 'enhancedstatuscodes', 'size']) assert.ok(out.features.includes(f), f);
    assert.equal(out.rcpt[0]![0], 550);
    assert.match(out.rcpt[0]![1], /^5\.1\.1 /);
    assert.equal(out.rcpt[1]![0], 250);
    assert.equal(out.rcpt[2]![0], 250, 'the small message still fits at RCPT time');
    assert.equal(out.data.length, 2);
    assert.equal(out.data[0]![0], 250);
    assert.match(out.data[0]![1], /pyok@example\.com/);
    assert.equal(out.data[1]![0], 452);
    assert.match(out.data[1]![1], /^4\.2\.2 /);
    const stored = await mailboxMessages(app.app.ctx.store, ids.ok!, 'INBOX');
    assert.equal(stored.filter((m) => m.subject === 'from python').length, 1);
  });
});
