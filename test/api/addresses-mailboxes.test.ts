import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NO_USER, startApi, type ApiHarness } from './helpers.js';

describe('api: addresses', () => {
  let h: ApiHarness;
  let user: string;
  before(async () => {
    h = await startApi();
    user = await h.createUser('addr', { address: 'addr@example.com' });
  });
  after(async () => h.stop());

  it('adds aliases, normalising IDN domains, and lists them main first', async () => {
    const alias = await h.api.ok('POST', `/users/${user}/addresses`, { body: { address: 'Addr.Alias@XN--MLLER-KVA.Example' } });
    const list = await h.api.ok('GET', `/users/${user}/addresses`);
    assert.deepEqual(
      list.results!.map((a) => [a.address, a.main]),
      [
        ['addr@example.com', true],
        ['Addr.Alias@müller.example', false],
      ],
    );
    const one = await h.api.ok('GET', `/users/${user}/addresses/${alias.id}`);
    assert.equal(one.address, 'Addr.Alias@müller.example');
    assert.equal(typeof one.created, 'string');
    const login = await h.api.ok('POST', '/authenticate', { body: { username: 'addr.alias@müller.example', password: 'secret-pass' } });
    assert.equal(login.id, user);
  });

  it('moves the main flag, refuses to unset or delete the main address', async () => {
    const alias = await h.api.ok('POST', `/users/${user}/addresses`, { body: { address: 'second@example.com' } });
    await h.api.ok('PUT', `/users/${user}/addresses/${alias.id}`, { body: { main: true } });
    assert.equal((await h.api.ok('GET', `/users/${user}`)).address, 'second@example.com');
    const unset = await h.api.put(`/users/${user}/addresses/${alias.id}`, { main: false });
    assert.equal(unset.status, 403);
    const del = await h.api.del(`/users/${user}/addresses/${alias.id}`);
    assert.equal(del.status, 403);
    assert.equal(del.json.code, 'NotPermitted');
    await h.api.ok('PUT', `/users/${user}/addresses/${alias.id}`, { body: { address: 'renamed@example.com' } });
    assert.equal((await h.api.ok('GET', `/users/${user}`)).address, 'renamed@example.com');
  });

  it('deletes aliases; duplicates are 409; + and * are refused', async () => {
    const alias = await h.api.ok('POST', `/users/${user}/addresses`, { body: { address: 'gone@example.com' } });
    await h.api.ok('DELETE', `/users/${user}/addresses/${alias.id}`);
    assert.equal((await h.api.get(`/users/${user}/addresses/${alias.id}`)).json.code, 'AddressNotFound');
    const other = await h.createUser('other', { address: 'taken@example.com' });
    assert.ok(other);
    const dup = await h.api.post(`/users/${user}/addresses`, { address: 'TAKEN@example.com' });
    assert.equal(dup.status, 409);
    for (const bad of ['a+b@example.com', '*@example.com']) {
      const r = await h.api.post(`/users/${user}/addresses`, { address: bad });
      assert.equal(r.status, 400, bad);
      assert.equal(r.json.code, 'InputValidationError');
      assert.ok((r.json.details as Record<string, string>).address);
    }
    const malformed = await h.api.post(`/users/${user}/addresses`, { address: 'no-at-sign' });
    assert.equal(malformed.status, 400);
    assert.ok((malformed.json.details as Record<string, string>).address);
  });

  it('lists every address with a query and paging', async () => {
    const all = await h.api.ok('GET', '/addresses', { query: { query: 'example.com', limit: 1 } });
    assert.ok((all.total as number) >= 2);
    assert.equal(all.results!.length, 1);
    assert.ok(all.results![0]!.user);
    assert.equal(typeof all.nextCursor, 'string');
    const next = await h.api.ok('GET', '/addresses', { query: { query: 'example.com', limit: 1, next: String(all.nextCursor) } });
    assert.notEqual(next.results![0]!.id, all.results![0]!.id);
  });

  it('answers 404 for unknown users and addresses', async () => {
    assert.equal((await h.api.get(`/users/${NO_USER}/addresses`)).json.code, 'UserNotFound');
    assert.equal((await h.api.get(`/users/${user}/addresses/${NO_USER}`)).json.code, 'AddressNotFound');
    assert.equal((await h.api.put(`/users/${user}/addresses/${NO_USER}`, { main: true })).status, 404);
    assert.equal((await h.api.del(`/users/${user}/addresses/${NO_USER}`)).status, 404);
  });
});

describe('api: mailboxes', () => {
  let h: ApiHarness;
  let user: string;
  const byPath = async (path: string) => (await h.api.ok('GET', `/users/${user}/mailboxes`)).results!.find((b) => b.path === path);
  before(async () => {
    h = await startApi();
    user = await h.createUser('boxes');
  });
  after(async () => h.stop());

  it('lists mailboxes INBOX first with counters and special use', async () => {
    const list = await h.api.ok('GET', `/users/${user}/mailboxes`, { query: { counters: true } });
    const inbox = list.results![0]!;
    assert.equal(inbox.path, 'INBOX');
    assert.deepEqual([inbox.total, inbox.unseen, inbox.size], [0, 0, 0]);
    assert.equal((await byPath('Sent'))!.specialUse, '\\Sent');
    const special = await h.api.ok('GET', `/users/${user}/mailboxes`, { query: { specialUse: true } });
    assert.ok(special.results!.every((b) => b.path === 'INBOX' || b.specialUse));
  });

  it('creates mailboxes with missing parents, gets and resolves them', async () => {
    const r = await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Projects/2026/Q1', retention: 3600000 } });
    assert.ok(await byPath('Projects'));
    assert.ok(await byPath('Projects/2026'));
    const box = await h.api.ok('GET', `/users/${user}/mailboxes/${r.id}`);
    assert.deepEqual([box.name, box.path, box.retention, box.total], ['Q1', 'Projects/2026/Q1', 3600000, 0]);
    const resolved = await h.api.ok('GET', `/users/${user}/mailboxes/resolve`, { query: { path: 'Projects/2026/Q1' } });
    assert.equal(resolved.id, r.id);
    const dup = await h.api.post(`/users/${user}/mailboxes`, { path: 'Projects/2026/Q1' });
    assert.equal(dup.status, 409);
  });

  it('renames with children and updates retention and subscription', async () => {
    const parent = await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Old' } });
    await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Old/Child' } });
    await h.api.ok('PUT', `/users/${user}/mailboxes/${parent.id}`, { body: { path: 'New/Place', subscribed: false, retention: 5000 } });
    assert.ok(await byPath('New/Place/Child'));
    assert.equal(await byPath('Old/Child'), undefined);
    const moved = await h.api.ok('GET', `/users/${user}/mailboxes/${parent.id}`);
    assert.deepEqual([moved.path, moved.subscribed, moved.retention], ['New/Place', false, 5000]);
  });

  it('enforces INBOX and special-use rules', async () => {
    const inbox = (await byPath('INBOX'))!;
    const trash = (await byPath('Trash'))!;
    assert.equal((await h.api.put(`/users/${user}/mailboxes/${inbox.id}`, { path: 'Elsewhere' })).status, 403);
    assert.equal((await h.api.del(`/users/${user}/mailboxes/${inbox.id}`)).status, 403);
    const delTrash = await h.api.del(`/users/${user}/mailboxes/${trash.id}`);
    assert.equal(delTrash.status, 403);
    assert.equal(delTrash.json.code, 'NotPermitted');
    const other = await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Temp' } });
    const intoInbox = await h.api.put(`/users/${user}/mailboxes/${other.id}`, { path: 'inbox' });
    assert.equal(intoInbox.status, 409);
    const intoSelf = await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Temp/Sub' } });
    assert.ok(intoSelf);
    assert.equal((await h.api.put(`/users/${user}/mailboxes/${other.id}`, { path: 'Temp/Sub/Deeper' })).status, 403);
  });

  it('deletes a mailbox', async () => {
    const r = await h.api.ok('POST', `/users/${user}/mailboxes`, { body: { path: 'Doomed' } });
    await h.api.ok('DELETE', `/users/${user}/mailboxes/${r.id}`);
    const gone = await h.api.get(`/users/${user}/mailboxes/${r.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.code, 'MailboxNotFound');
  });

  it('rejects bad paths with 400 naming path', async () => {
    for (const path of ['', '/lead', 'trail/', 'a//b', 'has\x00nul', 'x'.repeat(1025), 'wild*card']) {
      const r = await h.api.post(`/users/${user}/mailboxes`, { path });
      assert.equal(r.status, 400, JSON.stringify(path));
      assert.ok((r.json.details as Record<string, string>).path, r.text);
    }
  });
});
