import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { textMessage } from '../helpers/messages.js';
import { NO_USER, startApi, type ApiHarness } from './helpers.js';

describe('api: filters', () => {
  let h: ApiHarness;
  let user: string;
  let junk: string;
  before(async () => {
    h = await startApi();
    user = await h.createUser('filterer');
    junk = String((await h.api.ok('GET', `/users/${user}/mailboxes`)).results!.find((b) => b.path === 'Junk')!.id);
  });
  after(async () => h.stop());

  it('creates filters from nested query/action objects and reads them back', async () => {
    const r = await h.api.ok('POST', `/users/${user}/filters`, {
      body: {
        name: 'Newsletters',
        query: { from: 'news@  shop.example', listId: 'news.shop', ha: false, size: -50000 },
        action: { seen: true, mailbox: junk, targets: ['archive@example.org', 'https://hooks.example.org/mail'] },
      },
    });
    const f = await h.api.ok('GET', `/users/${user}/filters/${r.id}`);
    assert.equal(f.name, 'Newsletters');
    assert.deepEqual(f.query, { from: 'news@ shop.example', listId: 'news.shop', ha: false, size: -50000 });
    assert.deepEqual(f.action, { seen: true, mailbox: junk, targets: ['archive@example.org', 'https://hooks.example.org/mail'] });
    assert.equal(f.disabled, false);
    const stored = await h.t.app.ctx.store.filters.get(user, String(r.id));
    assert.deepEqual(stored?.action.mailbox, junk, 'the delivery pipeline sees the same rule');
  });

  it('accepts the flat query_*/action_* fields, also form-encoded', async () => {
    const r = await h.api.request('POST', `/users/${user}/filters`, {
      form: { query_subject: 'invoice', query_ha: 'true', action_flag: 'true', action_spam: 'false', action_forward: 'copy@example.org' },
    });
    assert.equal(r.status, 200, r.text);
    const f = await h.api.ok('GET', `/users/${user}/filters/${r.json.id}`);
    assert.deepEqual(f.query, { subject: 'invoice', ha: true });
    assert.deepEqual(f.action, { flag: true, spam: false, targets: ['copy@example.org'] });
  });

  it('lists filters with readable descriptions', async () => {
    const list = await h.api.ok('GET', `/users/${user}/filters`);
    const news = list.results!.find((f) => f.name === 'Newsletters')!;
    assert.deepEqual(news.query, [['from', '(news@ shop.example)'], ['listId', '(news.shop)'], ['no attachments'], ['smaller', '48.8 kB']]);
    assert.deepEqual(news.action, [['mark as read'], ['move to folder', 'Junk'], ['forward to', 'archive@example.org, https://hooks.example.org/mail']]);
  });

  it('updates filters; empty strings unset conditions and actions', async () => {
    const r = await h.api.ok('POST', `/users/${user}/filters`, { body: { query: { from: 'a', subject: 'b' }, action: { seen: true, flag: true } } });
    await h.api.ok('PUT', `/users/${user}/filters/${r.id}`, { body: { name: 'renamed', query: { subject: '' }, action: { seen: '', delete: true }, disabled: true } });
    const f = await h.api.ok('GET', `/users/${user}/filters/${r.id}`);
    assert.deepEqual([f.name, f.query, f.action, f.disabled], ['renamed', { from: 'a' }, { flag: true, delete: true }, true]);
    const emptied = await h.api.put(`/users/${user}/filters/${r.id}`, { query_from: '' });
    assert.equal(emptied.status, 400, 'a filter keeps at least one condition');
    assert.ok((emptied.json.details as Record<string, string>).query);
  });

  it('deletes filters; validates mailbox and targets', async () => {
    const r = await h.api.ok('POST', `/users/${user}/filters`, { body: { query: { text: 'x' } } });
    await h.api.ok('DELETE', `/users/${user}/filters/${r.id}`);
    assert.equal((await h.api.get(`/users/${user}/filters/${r.id}`)).json.code, 'FilterNotFound');
    assert.equal((await h.api.del(`/users/${user}/filters/${r.id}`)).status, 404);
    const badBox = await h.api.post(`/users/${user}/filters`, { query: { text: 'x' }, action: { mailbox: NO_USER } });
    assert.equal(badBox.json.code, 'MailboxNotFound');
    const badTarget = await h.api.post(`/users/${user}/filters`, { query: { text: 'x' }, action: { targets: ['ftp://nope'] } });
    assert.equal(badTarget.status, 400);
    assert.ok((badTarget.json.details as Record<string, string>)['action.targets.0']);
    const noQuery = await h.api.post(`/users/${user}/filters`, { action: { seen: true } });
    assert.equal(noQuery.status, 400);
  });
});

describe('api: autoreply', () => {
  let h: ApiHarness;
  let user: string;
  before(async () => {
    h = await startApi();
    user = await h.createUser('vacation');
  });
  after(async () => h.stop());

  it('is off until set; PUT merges; GET shows it; DELETE removes it', async () => {
    const empty = await h.api.ok('GET', `/users/${user}/autoreply`);
    assert.deepEqual([empty.status, empty.subject, empty.start, empty.end], [false, '', false, false]);
    await h.api.ok('PUT', `/users/${user}/autoreply`, {
      body: { status: true, name: 'Away', subject: 'Out of office', text: 'Back in May', start: '2026-04-01T00:00:00Z', end: '2026-05-01T00:00:00Z' },
    });
    await h.api.ok('PUT', `/users/${user}/autoreply`, { body: { html: '<p>Back in May</p>' } });
    const a = await h.api.ok('GET', `/users/${user}/autoreply`);
    assert.deepEqual(
      [a.status, a.name, a.subject, a.text, a.message, a.html, a.start, a.end],
      [true, 'Away', 'Out of office', 'Back in May', 'Back in May', '<p>Back in May</p>', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
    );
    assert.equal((await h.api.ok('GET', `/users/${user}`)).autoreply, true);
    await h.api.ok('PUT', `/users/${user}/autoreply`, { body: { end: false, message: 'old field name' } });
    const b = await h.api.ok('GET', `/users/${user}/autoreply`);
    assert.deepEqual([b.end, b.text], [false, 'old field name']);
    const reversed = await h.api.put(`/users/${user}/autoreply`, { start: '2026-06-01', end: '2026-05-01' });
    assert.equal(reversed.status, 400);
    await h.api.ok('DELETE', `/users/${user}/autoreply`);
    assert.equal((await h.api.ok('GET', `/users/${user}/autoreply`)).status, false);
    assert.equal((await h.api.get(`/users/${NO_USER}/autoreply`)).status, 404);
  });
});

describe('api: archive', () => {
  let h: ApiHarness;
  let user: string;
  let inbox: string;
  let sent: string;
  before(async () => {
    h = await startApi();
    user = await h.createUser('archivist');
    const boxes = (await h.api.ok('GET', `/users/${user}/mailboxes`)).results!;
    inbox = String(boxes.find((b) => b.path === 'INBOX')!.id);
    sent = String(boxes.find((b) => b.path === 'Sent')!.id);
  });
  after(async () => h.stop());

  it('lists deleted messages and restores them with a new UID, under either path', async () => {
    const path = `/users/${user}/mailboxes/${inbox}/messages`;
    const ids: number[] = [];
    for (const subject of ['first gone', 'second gone']) {
      const r = await h.api.ok('POST', path, { raw: { data: textMessage({ subject, from: 'Eve <eve@example.com>' }), type: 'message/rfc822' }, query: { unseen: 'true' } });
      ids.push((r.message as { id: number }).id);
    }
    for (const id of ids) await h.api.ok('DELETE', `${path}/${id}`);
    const list = await h.api.ok('GET', `/users/${user}/archived/messages`);
    assert.equal(list.total, 2);
    assert.deepEqual(list.results!.map((m) => m.subject), ['second gone', 'first gone']);
    const entry = list.results![0]!;
    assert.deepEqual([entry.mailbox, entry.uid, entry.from], [inbox, ids[1], { name: 'Eve', address: 'eve@example.com' }]);
    assert.equal((await h.api.ok('GET', `/users/${user}/archived`, { query: { limit: 1 } })).results!.length, 1);

    const back = await h.api.ok('POST', `/users/${user}/archived/messages/${entry.id}/restore`, { body: {} });
    assert.equal(back.mailbox, inbox);
    assert.ok((back.id as number) > ids[1]!, 'restored with a new UID');
    assert.equal((await h.api.ok('GET', `${path}/${back.id}`)).subject, 'second gone');

    const other = list.results![1]!;
    const toSent = await h.api.ok('POST', `/users/${user}/archived/${other.id}/restore`, { body: { mailbox: sent } });
    assert.equal(toSent.mailbox, sent);
    assert.equal((await h.api.ok('GET', `/users/${user}/archived/messages`)).total, 0);
    const again = await h.api.post(`/users/${user}/archived/${other.id}/restore`, {});
    assert.equal(again.status, 404);
    assert.equal(again.json.code, 'MessageNotFound');
    const badBox = await h.api.post(`/users/${user}/archived/${other.id}/restore`, { mailbox: NO_USER });
    assert.equal(badBox.json.code, 'MailboxNotFound');
  });
});
