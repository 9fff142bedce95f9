import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spoolBuffer } from '../../src/storage/ingest.js';
import { multipartMessage, textMessage } from '../helpers/messages.js';
import { NO_USER, startApi, type ApiHarness } from './helpers.js';

const htmlMessage = (subject: string) =>
  Buffer.from(
    [
      'From: =?UTF-8?Q?J=C3=B5geva_Kool?= <school@example.ee>',
      'To: Pupil <pupil@example.com>, other@example.com',
      'Cc: teacher@example.com',
      `Subject: ${subject}`,
      'Date: Thu, 03 Dec 2026 09:00:00 +0200',
      'Message-ID: <html-1@example.ee>',
      'References: <a@x> <b@y>',
      'List-Id: Class news <news.example.ee>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Plain version with ümlauts',
      '--alt',
      'Content-Type: text/html; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>HTML version with =FCmlauts</p>',
      '--alt--',
      '',
    ].join('\r\n'),
  );

describe('api: messages', () => {
  let h: ApiHarness;
  let user: string;
  let inbox: string;
  let archive: string;
  const base = () => `/users/${user}/mailboxes/${inbox}/messages`;
  const upload = async (raw: Buffer, query: Record<string, string> = {}) =>
    Number(((await h.api.ok('POST', base(), { raw: { data: raw, type: 'message/rfc822' }, query })).message as { id: number }).id);

  before(async () => {
    h = await startApi({ api: { maxMessageSize: 200_000 } });
    user = await h.createUser('reader', { address: 'reader@example.com' });
    const boxes = (await h.api.ok('GET', `/users/${user}/mailboxes`)).results!;
    inbox = String(boxes.find((b) => b.path === 'INBOX')!.id);
    archive = String(boxes.find((b) => b.path === 'Archive')!.id);
  });
  after(async () => h.stop());

  it('uploads raw messages and serves them back byte-exact', async () => {
    const raw = textMessage({ subject: 'Exact bytes', body: 'line one\r\nline two\r\n' });
    const id = await upload(raw);
    const eml = await h.api.get(`${base()}/${id}/message.eml`);
    assert.equal(eml.status, 200);
    assert.equal(eml.headers.get('content-type'), 'message/rfc822');
    assert.deepEqual(eml.bytes, raw);
    const json = await h.api.ok('POST', base(), { body: { raw: raw.toString('utf8') } });
    assert.equal((json.message as { size: number }).size, raw.length);
  });

  it('lists messages newest first (or oldest) with cursors and WildDuck fields', async () => {
    const user2 = await h.createUser('lister');
    const box = String((await h.api.ok('GET', `/users/${user2}/mailboxes`)).results![0]!.id);
    const path = `/users/${user2}/mailboxes/${box}/messages`;
    for (let i = 0; i < 3; i++) {
      await h.api.ok('POST', path, { raw: { data: textMessage({ subject: `n${i}` }), type: 'message/rfc822' }, query: { date: new Date(Date.UTC(2026, 0, i + 1)).toISOString(), unseen: i === 2 ? 'true' : 'false' } });
    }
    const first = await h.api.ok('GET', path, { query: { limit: 2 } });
    assert.equal(first.total, 3);
    assert.deepEqual(first.results!.map((m) => m.subject), ['n2', 'n1']);
    const rest = await h.api.ok('GET', path, { query: { limit: 2, next: String(first.nextCursor) } });
    assert.deepEqual(rest.results!.map((m) => m.subject), ['n0']);
    const asc = await h.api.ok('GET', path, { query: { order: 'asc' } });
    assert.deepEqual(asc.results!.map((m) => m.subject), ['n0', 'n1', 'n2']);
    const unseen = await h.api.ok('GET', path, { query: { unseen: true } });
    assert.deepEqual(unseen.results!.map((m) => m.subject), ['n2']);
    const m = asc.results![0]!;
    assert.deepEqual(m.from, { name: 'Alice Example', address: 'alice@example.com' });
    assert.deepEqual(m.to, [{ name: 'Bob', address: 'bob@example.org' }]);
    for (const key of ['id', 'mailbox', 'thread', 'messageId', 'date', 'idate', 'intro', 'attachments', 'size', 'seen', 'deleted', 'flagged', 'draft', 'answered', 'forwarded']) {
      assert.ok(key in m, key);
    }
    assert.equal(m.seen, true, 'uploads are seen unless unseen is set');
    assert.equal(m.idate, '2026-01-01T00:00:00.000Z');
  });

  it('shows a message: decoded addresses, text and HTML bodies, headers, envelope', async () => {
    const store = h.t.app.ctx.store;
    const spooled = await spoolBuffer(store.blobs, htmlMessage('Full view'));
    const appended = await store.messages.append(inbox, {
      blob: spooled.blob,
      parsed: spooled.parsed,
      prefix: Buffer.from('Return-Path: <bounce@example.ee>\r\nDelivered-To: reader@example.com\r\n'),
    });
    await store.blobs.release(spooled.blob);
    const m = await h.api.ok('GET', `${base()}/${appended.uid}`);
    assert.deepEqual(m.from, { name: 'Jõgeva Kool', address: 'school@example.ee' });
    assert.deepEqual(m.to, [
      { name: 'Pupil', address: 'pupil@example.com' },
      { name: '', address: 'other@example.com' },
    ]);
    assert.deepEqual(m.cc, [{ name: '', address: 'teacher@example.com' }]);
    assert.equal(m.subject, 'Full view');
    assert.equal(m.messageId, '<html-1@example.ee>');
    assert.equal(m.date, '2026-12-03T07:00:00.000Z');
    assert.deepEqual(m.references, ['<a@x>', '<b@y>']);
    assert.deepEqual(m.list, { id: 'news.example.ee' });
    assert.match(String(m.text), /Plain version with ümlauts/);
    assert.deepEqual(m.html, ['<p>HTML version with ümlauts</p>']);
    assert.deepEqual(m.envelope, { from: 'bounce@example.ee', rcpt: [{ value: 'reader@example.com', formatted: 'reader@example.com' }] });
    assert.equal(m.user, user);
    assert.equal(m.seen, false);
    const headers = m.headers as Array<{ key: string; value: string }>;
    assert.equal(headers[0]!.key, 'return-path');
    assert.ok(headers.some((x) => x.key === 'list-id'));
    assert.deepEqual(m.contentType, { value: 'multipart/alternative', params: { boundary: 'alt' } });
    await h.api.ok('GET', `${base()}/${appended.uid}`, { query: { markAsSeen: true } });
    assert.equal((await h.api.ok('GET', `${base()}/${appended.uid}`)).seen, true);
  });

  it('lists attachments and downloads them decoded with their content type', async () => {
    const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    const id = await upload(multipartMessage({ attachment: payload, filename: 'données.bin' }));
    const m = await h.api.ok('GET', `${base()}/${id}`);
    const atts = m.attachments as Array<Record<string, unknown>>;
    assert.equal(atts.length, 1);
    assert.equal(atts[0]!.id, 'ATT00001');
    assert.equal(atts[0]!.filename, 'données.bin');
    assert.equal(atts[0]!.contentType, 'application/octet-stream');
    assert.equal(atts[0]!.transferEncoding, 'base64');
    assert.equal(m.attachments && (await h.api.ok('GET', base())).results!.find((x) => x.id === id)!.attachments, true);
    const file = await h.api.get(`${base()}/${id}/attachments/att00001`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/octet-stream');
    assert.match(file.headers.get('content-disposition')!, /filename\*=UTF-8''donn%C3%A9es\.bin/);
    assert.deepEqual(file.bytes, payload);
    const missing = await h.api.get(`${base()}/${id}/attachments/ATT00002`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, 'AttachmentNotFound');
  });

  it('builds a message from JSON fields with MailComposer', async () => {
    const r = await h.api.ok('POST', base(), {
      body: {
        to: [{ name: 'Zoë', address: 'zoe@example.com' }],
        bcc: [{ address: 'hidden@example.com' }],
        subject: 'Built ✓',
        text: 'plain body',
        html: '<b>bold body</b>',
        headers: [{ key: 'X-Campaign', value: 'spring' }],
        attachments: [{ filename: 'hello.txt', contentType: 'text/plain', content: Buffer.from('hello file').toString('base64') }],
        draft: true,
        flagged: true,
      },
    });
    const id = (r.message as { id: number }).id;
    const m = await h.api.ok('GET', `${base()}/${id}`);
    assert.equal(m.subject, 'Built ✓');
    assert.deepEqual(m.from, { name: '', address: 'reader@example.com' });
    assert.deepEqual(m.bcc, [{ name: '', address: 'hidden@example.com' }], 'a stored draft keeps Bcc');
    assert.deepEqual([m.draft, m.flagged, m.seen], [true, true, true]);
    assert.deepEqual(m.html, ['<b>bold body</b>']);
    assert.ok((m.headers as Array<{ key: string; value: string }>).some((x) => x.key === 'x-campaign' && x.value === 'spring'));
    const att = await h.api.get(`${base()}/${id}/attachments/ATT00001`);
    assert.equal(att.text, 'hello file');
    const eml = await h.api.get(`${base()}/${id}/message.eml`);
    assert.ok(!/[^\r]\n/.test(eml.text), 'CRLF line endings throughout');
  });

  it('searches by text, headers, dates, size, flags and attachments', async () => {
    const u = await h.createUser('searcher');
    const box = String((await h.api.ok('GET', `/users/${u}/mailboxes`)).results![0]!.id);
    const put = (raw: Buffer, date: string, extra: Record<string, string> = {}) =>
      h.api.ok('POST', `/users/${u}/mailboxes/${box}/messages`, { raw: { data: raw, type: 'message/rfc822' }, query: { date, ...extra } });
    await put(textMessage({ subject: 'Invoice March', from: 'Billing <billing@shop.example>', body: 'amount due: 42 kroner' }), '2026-03-01T00:00:00Z');
    await put(textMessage({ subject: 'Holiday photos', to: 'family@example.org', body: 'see you soon' }), '2026-04-01T00:00:00Z', { flagged: 'true', unseen: 'true' });
    await put(multipartMessage({ subject: 'Contract attached' }), '2026-05-01T00:00:00Z');
    const search = async (query: Record<string, string>) =>
      (await h.api.ok('GET', `/users/${u}/search`, { query })).results!.map((m) => m.subject).sort();
    assert.deepEqual(await search({ query: 'kroner' }), ['Invoice March']);
    assert.deepEqual(await search({ from: 'billing@shop' }), ['Invoice March']);
    assert.deepEqual(await search({ to: 'family@' }), ['Holiday photos']);
    assert.deepEqual(await search({ subject: 'contract' }), ['Contract attached']);
    assert.deepEqual(await search({ datestart: '2026-03-15T00:00:00Z', dateend: '2026-04-01T00:00:00Z' }), ['Holiday photos']);
    assert.deepEqual(await search({ attachments: 'true' }), ['Contract attached']);
    assert.deepEqual(await search({ flagged: 'true' }), ['Holiday photos']);
    assert.deepEqual(await search({ unseen: 'true' }), ['Holiday photos']);
    assert.deepEqual(await search({ unseen: 'false', attachments: 'false' }), ['Invoice March']);
    assert.deepEqual(await search({ minSize: '400', attachments: 'true' }), ['Contract attached']);
    assert.deepEqual(await search({ maxSize: '10' }), []);
    assert.deepEqual(await search({ mailbox: box, subject: 'holiday' }), ['Holiday photos']);
    assert.deepEqual(await search({ 'or[subject]': 'invoice', 'or[to]': 'family@' }), ['Holiday photos', 'Invoice March']);
    assert.deepEqual(await search({ 'or[subject]': 'invoice', 'or[to]': 'family@', flagged: 'true' }), ['Holiday photos']);
    const page = await h.api.ok('GET', `/users/${u}/search`, { query: { limit: 1 } });
    assert.equal(page.total, 3);
    assert.equal(page.results![0]!.subject, 'Contract attached', 'newest first');
  });

  it('updates flags on one message, a list or a range, sets expiry, and moves', async () => {
    const ids = [await upload(textMessage()), await upload(textMessage()), await upload(textMessage())];
    const [a, b, c] = ids as [number, number, number];
    const r1 = await h.api.ok('PUT', `${base()}/${a}`, { body: { flagged: true, seen: false } });
    assert.equal(r1.updated, 1);
    let m = await h.api.ok('GET', `${base()}/${a}`);
    assert.deepEqual([m.flagged, m.seen], [true, false]);
    const r2 = await h.api.ok('PUT', `${base()}/${a},${c}`, { body: { deleted: true, draft: true } });
    assert.equal(r2.updated, 2);
    assert.equal((await h.api.ok('GET', `${base()}/${b}`)).deleted, false);
    const r3 = await h.api.ok('PUT', `${base()}/${a}:${c}`, { body: { deleted: false, expires: '2030-01-01T00:00:00Z' } });
    assert.equal(r3.updated, 3);
    m = await h.api.ok('GET', `${base()}/${c}`);
    assert.deepEqual([m.deleted, m.draft, m.expires], [false, true, '2030-01-01T00:00:00.000Z']);
    await h.api.ok('PUT', `${base()}/${c}`, { body: { expires: false } });
    assert.equal((await h.api.ok('GET', `${base()}/${c}`)).expires, undefined);
    const moved = await h.api.ok('PUT', `${base()}/${b}:${c}`, { body: { moveTo: archive } });
    assert.equal(moved.mailbox, archive);
    const pairs = moved.id as Array<[number, number]>;
    assert.deepEqual(pairs.map((p) => p[0]), [b, c]);
    const inArchive = await h.api.ok('GET', `/users/${user}/mailboxes/${archive}/messages/${pairs[0]![1]}`);
    assert.equal(inArchive.mailbox, archive);
    assert.equal((await h.api.get(`${base()}/${b}`)).status, 404);
    const none = await h.api.put(`${base()}/999999`, { seen: true });
    assert.equal(none.status, 404);
    assert.equal(none.json.code, 'MessageNotFound');
    const badTarget = await h.api.put(`${base()}/${a}`, { moveTo: NO_USER });
    assert.equal(badTarget.json.code, 'MailboxNotFound');
  });

  it('deletes one message into the archive, or all of them', async () => {
    const u = await h.createUser('deleter');
    const box = String((await h.api.ok('GET', `/users/${u}/mailboxes`)).results![0]!.id);
    const path = `/users/${u}/mailboxes/${box}/messages`;
    const up = async () => ((await h.api.ok('POST', path, { raw: { data: textMessage(), type: 'message/rfc822' } })).message as { id: number }).id;
    const first = await up();
    await up();
    await up();
    await h.api.ok('DELETE', `${path}/${first}`);
    assert.equal((await h.api.del(`${path}/${first}`)).status, 404);
    assert.equal((await h.api.ok('GET', `/users/${u}/archived/messages`)).total, 1);
    const all = await h.api.ok('DELETE', path);
    assert.equal(all.deleted, 2);
    assert.equal((await h.api.ok('GET', path)).total, 0);
  });

  it('refuses oversized and empty uploads without storing anything', async () => {
    const big = Buffer.alloc(250_000, 'a');
    const raw = await h.api.request('POST', base(), { raw: { data: Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), big]), type: 'message/rfc822' } });
    assert.equal(raw.status, 413);
    assert.equal(raw.json.code, 'PayloadTooLarge');
    const json = await h.api.post(base(), { raw: 'Subject: big\r\n\r\n' + 'b'.repeat(210_000) });
    assert.equal(json.status, 400);
    const empty = await h.api.post(base(), {});
    assert.equal(empty.status, 400);
    assert.equal(empty.json.code, 'EmptyMessage');
    const emptyRaw = await h.api.post(base(), { raw: '' });
    assert.equal(emptyRaw.status, 400);
  });

  it('answers 404 for unknown mailboxes and messages', async () => {
    const r = await h.api.get(`/users/${user}/mailboxes/${NO_USER}/messages`);
    assert.equal(r.json.code, 'MailboxNotFound');
    assert.equal((await h.api.get(`${base()}/4000000000`)).json.code, 'MessageNotFound');
    assert.equal((await h.api.get(`${base()}/4000000000/message.eml`)).json.code, 'MessageNotFound');
    assert.equal((await h.api.get(`${base()}/4000000000/attachments/ATT00001`)).json.code, 'MessageNotFound');
    assert.equal((await h.api.get(`/users/${NO_USER}/search`)).json.code, 'UserNotFound');
    assert.equal((await h.api.get(`/users/${user}/search`, { query: { mailbox: NO_USER } })).json.code, 'MailboxNotFound');
  });
});
