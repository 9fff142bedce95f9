/** LMTP on a Unix socket (the usual way Postfix reaches a local delivery agent), with nodemailer's LMTP transport. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { lmtpApp, mailboxMessages } from './helpers.js';

describe('LMTP on a Unix socket', () => {
  const dir = tempDir('eider-lmtp-sock-');
  const path = join(dir.path, 'lmtp.sock');
  let app: TestApp;
  let user: string;
  before(async () => {
    app = await lmtpApp({ lmtp: { socket: path } });
    user = await app.addUser('sock', 'pw');
  });
  after(async () => {
    await app.stop();
    dir.cleanup();
  });

  it('listens on the path and delivers', async () => {
    assert.deepEqual(app.bound.find((b) => b.service === 'lmtp')?.path, path);
    assert.ok(existsSync(path));
    const socket = connect({ path });
    await once(socket, 'connect');
    const transport = nodemailer.createTransport({ connection: socket, lmtp: true, ignoreTLS: true });
    const info = await transport.sendMail({ envelope: { from: 's@example.net', to: ['sock@example.com'] }, raw: textMessage({ subject: 'over the socket' }) });
    transport.close();
    assert.deepEqual(info.accepted, ['sock@example.com']);
    assert.ok((await mailboxMessages(app.app.ctx.store, user, 'INBOX')).some((m) => m.subject === 'over the socket'));
  });
});
