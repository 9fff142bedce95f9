/**
 * A 20 MB message streams through LMTP into storage without being held in
 * memory. The client runs in a child process, so what is measured here is
 * the server's live memory (after forced collections) while the message
 * streams in: it stays far below the message size.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { liveMemory } from '../helpers/memory.js';
import { lmtpApp, mailboxMessages, runProcess } from './helpers.js';

const live = liveMemory;

/** Streams a generated message of about `total` bytes, honouring backpressure; prints the DATA reply and the sha256. */
const CLIENT = `
const net = require('node:net');
const crypto = require('node:crypto');
const [port, total] = process.argv.slice(1).map(Number);
const s = net.connect({ host: '127.0.0.1', port });
let buf = '';
const waiters = [];
s.on('data', (d) => { buf += d.toString('latin1'); while (waiters.length) waiters.shift()(); });
async function line() {
  for (;;) {
    const i = buf.indexOf('\\r\\n');
    if (i >= 0) { const l = buf.slice(0, i); buf = buf.slice(i + 2); if (!/^\\d{3}-/.test(l)) return l; continue; }
    await new Promise((r) => waiters.push(r));
  }
}
(async () => {
  await line();
  for (const c of ['LHLO big.example', 'MAIL FROM:<s@example.net>', 'RCPT TO:<big@example.com>', 'DATA']) { s.write(c + '\\r\\n'); await line(); }
  const hash = crypto.createHash('sha256');
  const header = Buffer.from('From: s@example.net\\r\\nTo: big@example.com\\r\\nSubject: twenty megabytes\\r\\n\\r\\n');
  const chunk = Buffer.from(('x'.repeat(76) + '\\r\\n').repeat(800));
  let sent = header.length;
  hash.update(header);
  s.write(header);
  while (sent < total) {
    hash.update(chunk);
    sent += chunk.length;
    if (!s.write(chunk)) await new Promise((r) => s.once('drain', r));
  }
  s.write('.\\r\\n');
  const reply = await line();
  console.log(JSON.stringify({ reply, sent, hash: hash.digest('hex') }));
  s.destroy();
})();
`;

describe('large messages', () => {
  let app: TestApp;
  let user: string;
  before(async () => {
    app = await lmtpApp();
    user = await app.addUser('big', 'pw');
  });
  after(async () => app.stop());

  it('delivers a 20 MB message with bounded memory, byte-exact', async () => {
    const baseline = live();
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(live() - baseline), 50);
    let result;
    try {
      result = await runProcess(process.execPath, ['-e', CLIENT, String(app.port('lmtp')), String(20 * 1024 * 1024)], 120_000);
    } finally {
      clearInterval(sampler);
    }
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { reply: string; sent: number; hash: string };
    assert.match(out.reply, /^250 2\.0\.0 /);
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    // Freed buffers are released lazily, so single samples spike; a message held whole would stay above its size.
    samples.sort((a, b) => a - b);
    const p90 = samples[Math.floor(samples.length * 0.9)] ?? 0;
    const max = samples[samples.length - 1] ?? 0;
    assert.ok(samples.length >= 5, `only ${samples.length} samples`);
    assert.ok(p90 < 8 * 1024 * 1024, `server live memory (90th percentile) grew by ${mb(p90)} while a ${mb(out.sent)} message streamed in`);
    assert.ok(max < out.sent, `server live memory peaked ${mb(max)} above baseline for a ${mb(out.sent)} message`);
    const [rec] = await mailboxMessages(app.app.ctx.store, user, 'INBOX');
    assert.ok(rec);
    assert.equal(rec.size, rec.prefix.length + out.sent);
    assert.equal(rec.blob, out.hash);
  });
});
