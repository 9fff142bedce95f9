/**
 * End to end: LMTP in, the delivery pipeline, storage and the outbox out to
 * sink servers started here. Results are checked through storage and what
 * the sinks received.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relaySchema } from '../../src/config/sections/relay.js';
import { OutboxWorker } from '../../src/filters/outbox-worker.js';
import { createSender } from '../../src/filters/relay.js';
import { silentLogger } from '../../src/log/logger.js';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { connectLmtp, lmtpApp, mailboxMessages, transaction } from './helpers.js';
import { startHttpSink, startSmtpSink } from './sinks.js';

describe('delivery with filters', () => {
  let app: TestApp;
  let port: number;
  let user: string;
  before(async () => {
    app = await lmtpApp();
    port = app.port('lmtp');
    user = await app.addUser('fil', 'pw');
    const store = app.app.ctx.store;
    const reports = await store.mailboxes.createMailbox(user, 'Reports');
    const doomed = await store.mailboxes.createMailbox(user, 'Doomed');
    await store.filters.create(user, { query: { subject: 'report' }, action: { mailbox: reports.id, seen: true } });
    await store.filters.create(user, { query: { from: 'boss@' }, action: { flag: true, seen: false } });
    await store.filters.create(user, { query: { text: 'unsubscribe now' }, action: { delete: true } });
    await store.filters.create(user, { query: { listId: 'news.example.org' }, action: { spam: false } });
    await store.filters.create(user, { query: { subject: 'to doomed' }, action: { mailbox: doomed.id } });
    await store.filters.create(user, { query: { subject: 'off' }, action: { delete: true }, disabled: true });
    await store.mailboxes.deleteMailbox(user, doomed.id);
  });
  after(async () => app.stop());

  async function deliver(raw: Buffer): Promise<string> {
    const { t } = await connectLmtp(port);
    const r = await transaction(t, 'sender@example.net', ['fil@example.com'], raw);
    t.close();
    return r.data[0]!;
  }

  it('routes to the filter mailbox with the first decision per flag', async () => {
    assert.match(await deliver(textMessage({ from: 'Boss <boss@example.net>', subject: 'Monthly report' })), /^250 /);
    const [m] = await mailboxMessages(app.app.ctx.store, user, 'Reports');
    assert.ok(m);
    assert.equal(m.subject, 'Monthly report');
    assert.deepEqual(m.flags, ['\\Seen', '\\Flagged']);
    assert.equal(m.expires, null);
  });

  it('spam goes to Junk with its retention; a filter saying "not spam" wins', async () => {
    assert.match(await deliver(textMessage({ subject: 'cheap pills', headers: { 'X-Spam-Flag': 'YES' } })), /^250 /);
    assert.match(
      await deliver(textMessage({ subject: 'newsletter', headers: { 'X-Spam-Flag': 'YES', 'List-Id': 'News <news.example.org>' } })),
      /^250 /,
    );
    const junk = await mailboxMessages(app.app.ctx.store, user, 'Junk');
    const spam = junk.find((m) => m.subject === 'cheap pills');
    assert.ok(spam);
    assert.ok(spam.expires && spam.expires.getTime() > Date.now(), 'Junk retention applied');
    assert.ok(!junk.some((m) => m.subject === 'newsletter'));
    assert.ok((await mailboxMessages(app.app.ctx.store, user, 'INBOX')).some((m) => m.subject === 'newsletter'));
  });

  it('a delete action drops the message but still answers 250; a disabled filter does nothing', async () => {
    assert.match(await deliver(textMessage({ subject: 'promo', body: 'Click to unsubscribe now.' })), /^250 2\.0\.0 /);
    assert.match(await deliver(textMessage({ subject: 'switched off' })), /^250 /);
    const all = await app.app.ctx.store.messages.searchUser(user, { op: 'all' }, { limit: 100 });
    assert.ok(!all.results.some((m) => m.subject === 'promo'));
    assert.ok(all.results.some((m) => m.subject === 'switched off'));
  });

  it('a missing target mailbox falls back to INBOX', async () => {
    assert.match(await deliver(textMessage({ subject: 'to doomed' })), /^250 /);
    assert.ok((await mailboxMessages(app.app.ctx.store, user, 'INBOX')).some((m) => m.subject === 'to doomed'));
  });
});

describe('autoreply, forwarding and loops', () => {
  let app: TestApp;
  let port: number;
  let vac: string;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let http: Awaited<ReturnType<typeof startHttpSink>>;
  before(async () => {
    smtp = await startSmtpSink();
    http = await startHttpSink();
    app = await lmtpApp({ relay: { host: '127.0.0.1', port: smtp.port, interval: 1 } });
    port = app.port('lmtp');
    vac = await app.addUser('vac', 'pw');
    const store = app.app.ctx.store;
    await store.accounts.updateUser(vac, { name: 'Vera Vacation', settings: { forwards: [`${http.url}/hook`] } });
    await store.autoreplies.set(vac, { status: true, text: 'I am away until Monday.', subject: '' });
    await store.filters.create(vac, { query: { from: 'friend@' }, action: { targets: ['elsewhere@example.net'] } });
  });
  after(async () => {
    await app.stop();
    await smtp.stop();
    await http.stop();
  });

  it('sends one autoreply per sender and forwards by SMTP and HTTP POST', async () => {
    const { t } = await connectLmtp(port);
    const raw = textMessage({ from: 'Friend <friend@example.net>', to: 'vac@example.com', subject: 'Lunch?', messageId: '<lunch-1@example.net>' });
    const r = await transaction(t, 'friend@example.net', ['vac@example.com'], raw);
    assert.match(r.data[0]!, /^250 /);
    const mails = await smtp.mail.wait(2);
    const reply = mails.find((m) => m.from === '');
    const forward = mails.find((m) => m.from === 'friend@example.net');
    assert.ok(reply, 'autoreply with the null envelope sender');
    assert.deepEqual(reply.to, ['friend@example.net']);
    assert.match(reply.raw, /^Auto-Submitted: auto-replied\r?$/im);
    assert.match(reply.raw, /^In-Reply-To: <lunch-1@example\.net>\r?$/im);
    assert.match(reply.raw, /^References: <lunch-1@example\.net>\r?$/im);
    assert.match(reply.raw, /^Subject: Auto: Lunch\?\r?$/im);
    assert.match(reply.raw, /^From: Vera Vacation <vac@example\.com>\r?$/im);
    assert.match(reply.raw, /I am away until Monday\./);
    assert.ok(forward, 'forward keeps the original envelope sender');
    assert.deepEqual(forward.to, ['elsewhere@example.net']);
    assert.match(forward.raw, /^X-Eider-Loop: v=1; u=[0-9a-f]{24}; s=/m);
    assert.ok(forward.raw.endsWith(raw.toString()), 'original bytes after our trace fields');
    const [post] = await http.posts.wait(1);
    assert.equal(post!.path, '/hook');
    assert.equal(post!.type, 'message/rfc822');
    assert.ok(post!.body.endsWith(raw.toString()));
    // The same sender again within the interval: stored and forwarded, no second autoreply.
    const again = await transaction(t, 'friend@example.net', ['vac@example.com'], textMessage({ from: 'friend@example.net', to: 'vac@example.com', subject: 'Lunch!' }));
    assert.match(again.data[0]!, /^250 /);
    await smtp.mail.wait(3);
    await http.posts.wait(2);
    t.close();
    const entries = await app.app.ctx.store.outbox.list({ userId: vac });
    assert.equal(entries.filter((e) => e.kind === 'autoreply').length, 1);
    assert.equal(smtp.mail.items.filter((m) => m.from === '').length, 1);
    assert.equal(entries.filter((e) => e.kind === 'forward').length, 4, 'two messages, each to one address and one URL');
    assert.equal((await mailboxMessages(app.app.ctx.store, vac, 'INBOX')).length, 2);
  });

  it('refuses a message that comes back carrying our loop marker, and one with too many hops', async () => {
    const forwarded = (await smtp.mail.wait(1, 10_000)).concat(smtp.mail.items).find((m) => m.from === 'friend@example.net' && m.raw.includes('X-Eider-Loop'));
    assert.ok(forwarded);
    const { t } = await connectLmtp(port);
    const looped = await transaction(t, 'friend@example.net', ['vac@example.com'], Buffer.from(forwarded.raw));
    assert.match(looped.data[0]!, /^554 5\.4\.6 /);
    const hops = Array.from({ length: 51 }, (_, i) => `Received: from hop${i}.example.net`).join('\r\n');
    const many = await transaction(t, 'x@example.net', ['vac@example.com'], Buffer.concat([Buffer.from(hops + '\r\n'), textMessage({ subject: 'hops' })]));
    assert.match(many.data[0]!, /^554 5\.4\.6 /);
    t.close();
  });

  it('caps forwards per user per day', async () => {
    const store = app.app.ctx.store;
    const capped = await app.addUser('capped', 'pw');
    await store.accounts.updateUser(capped, { settings: { forwardLimit: 1 } });
    await store.filters.create(capped, { query: { subject: 'fwd' }, action: { targets: ['one@example.net', 'two@example.net'] } });
    const { t } = await connectLmtp(port);
    const r = await transaction(t, 's@example.net', ['capped@example.com'], textMessage({ subject: 'fwd me' }));
    assert.match(r.data[0]!, /^250 /);
    t.close();
    const entries = await store.outbox.list({ userId: capped });
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]!.to, ['one@example.net']);
  });
});

describe('outbox without a relay', () => {
  let app: TestApp;
  let port: number;
  before(async () => {
    app = await lmtpApp();
    port = app.port('lmtp');
    const id = await app.addUser('norelay', 'pw');
    await app.app.ctx.store.filters.create(id, { query: { subject: 'keep' }, action: { targets: ['far@example.net'] } });
  });
  after(async () => app.stop());

  it('keeps outbound mail queued, then sends it once a relay is available', async () => {
    const { t } = await connectLmtp(port);
    const r = await transaction(t, 's@example.net', ['norelay@example.com'], textMessage({ subject: 'keep me' }));
    assert.match(r.data[0]!, /^250 /);
    t.close();
    const store = app.app.ctx.store;
    const [queued] = await store.outbox.list({ status: 'queued' });
    assert.ok(queued);
    assert.equal(queued.transport, 'smtp');
    assert.equal(queued.attempts, 0, 'no attempt without a relay');

    const sink = await startSmtpSink();
    try {
      const relay = relaySchema.parse({ host: '127.0.0.1', port: sink.port });
      const worker = new OutboxWorker(store, relay, createSender(relay), silentLogger);
      assert.equal(await worker.runOnce(), 1);
      const [mail] = await sink.mail.wait(1);
      assert.deepEqual(mail!.to, ['far@example.net']);
      assert.match(mail!.raw, /Subject: keep me/);
      assert.equal((await store.outbox.get(queued.id))?.status, 'sent');
      await worker.stop();
    } finally {
      await sink.stop();
    }
  });

  it('reschedules with backoff while the relay is down, and marks permanent refusals failed', async () => {
    const store = app.app.ctx.store;
    const { entry } = await store.outbox.enqueue({ kind: 'forward', userId: null, from: 'a@example.net', to: ['b@example.net'], raw: textMessage() });
    const down = relaySchema.parse({ host: '127.0.0.1', port: 1, retryBase: 60 });
    const worker = new OutboxWorker(store, down, createSender(down), silentLogger);
    await worker.runOnce();
    const after1 = await store.outbox.get(entry.id);
    assert.equal(after1?.status, 'queued');
    assert.equal(after1?.attempts, 1);
    assert.ok(after1!.nextAttempt.getTime() >= Date.now() + 50_000, 'first retry about retryBase later');
    assert.ok(after1?.lastError);
    await worker.stop();

    const http = await startHttpSink(404);
    try {
      const { entry: hook } = await store.outbox.enqueue({ kind: 'forward', userId: null, from: '', to: [], url: `${http.url}/gone`, raw: textMessage() });
      const w2 = new OutboxWorker(store, relaySchema.parse({}), createSender(relaySchema.parse({})), silentLogger);
      await w2.runOnce();
      assert.equal((await store.outbox.get(hook.id))?.status, 'failed');
      await w2.stop();
    } finally {
      await http.stop();
    }
  });
});
