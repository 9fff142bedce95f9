/** A real client: imapflow 2.1.2 (STARTTLS, list, append, fetch, search, idle, move, quota). */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import { multipartMessage, textMessage } from '../../helpers/messages.js';
import { imapFixture, PASSWORD, type ImapFixture, type ImapUser } from './helpers.js';

function client(fx: ImapFixture, u: ImapUser): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: fx.app.port('imap'),
    secure: false,
    auth: { user: u.name, pass: PASSWORD },
    // Upgrades with STARTTLS (advertised); the test certificate is self-signed.
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}

describe('imapflow', () => {
  let fx: ImapFixture;
  let u: ImapUser;
  let flow: ImapFlow;
  before(async () => {
    fx = await imapFixture();
    u = await fx.user({ quota: 50 * 1024 * 1024 });
    flow = client(fx, u);
    await flow.connect();
  });
  after(async () => {
    await flow.logout().catch(() => undefined);
    await fx.stop();
  });

  it('connects over STARTTLS and lists mailboxes with special uses', async () => {
    assert.equal(flow.secureConnection, true);
    const boxes = await flow.list();
    const byPath = new Map(boxes.map((b) => [b.path, b]));
    assert.ok(byPath.has('INBOX'));
    assert.equal(byPath.get('Sent')?.specialUse, '\\Sent');
    assert.equal(byPath.get('Trash')?.specialUse, '\\Trash');
  });

  it('appends and fetches envelope, flags, structure and source', async () => {
    const raw = multipartMessage({ subject: 'imapflow test', body: 'see attachment' });
    const appended = await flow.append('INBOX', raw, ['\\Seen', '$Label1'], new Date('2026-05-01T12:00:00Z'));
    assert.ok(appended && appended.uid === 1 && appended.uidValidity !== undefined);
    const mailbox = await flow.mailboxOpen('INBOX');
    assert.equal(mailbox.exists, 1);
    const [msg] = await flow.fetchAll('1:*', { uid: true, flags: true, envelope: true, bodyStructure: true, source: true, internalDate: true });
    assert.equal(msg?.envelope?.subject, 'imapflow test');
    assert.ok(msg?.flags?.has('\\Seen') && msg.flags.has('$Label1'));
    assert.equal(msg?.bodyStructure?.type, 'multipart/mixed');
    assert.equal(msg?.bodyStructure?.childNodes?.length, 2);
    assert.ok(msg?.source?.equals(raw));
    assert.equal(new Date(msg?.internalDate ?? 0).toISOString(), '2026-05-01T12:00:00.000Z');
  });

  it('searches', async () => {
    await flow.append('INBOX', textMessage({ subject: 'second one', body: 'needle in a haystack' }));
    await flow.mailboxOpen('INBOX');
    assert.deepEqual(await flow.search({ seen: false }, { uid: true }), [2]);
    assert.deepEqual(await flow.search({ body: 'needle' }), [2]);
    assert.deepEqual(await flow.search({ subject: 'IMAPFLOW' }), [1]);
  });

  it('idles and hears a delivery as "exists"', async () => {
    await flow.mailboxOpen('INBOX');
    const exists = once(flow, 'exists');
    const idling = flow.idle();
    await u.deliver('INBOX', textMessage({ subject: 'while idling' }));
    const [event] = (await exists) as [{ count: number; prevCount: number }];
    assert.equal(event.count, event.prevCount + 1);
    await flow.noop();
    await idling;
  });

  it('moves messages and gets the UID mapping', async () => {
    await flow.mailboxOpen('INBOX');
    const moved = await flow.messageMove('1:2', 'Archive', { uid: true });
    assert.ok(moved);
    assert.deepEqual([...(moved.uidMap ?? new Map()).entries()], [[1, 1], [2, 2]]);
    const status = await flow.status('Archive', { messages: true, unseen: true });
    assert.equal(status && status.messages, 2);
  });

  it('reads the quota', async () => {
    const quota = await flow.getQuota('INBOX');
    assert.ok(quota && quota.storage && quota.storage.limit === 50 * 1024 * 1024);
  });
});
