import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChangeEvent } from '../../src/storage/types.js';
import { textMessage } from '../helpers/messages.js';
import { NO_USER, startApi, type ApiHarness } from './helpers.js';

const HEX24 = /^[0-9a-f]{24}$/;

describe('api: users', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi();
  });
  after(async () => h.stop());

  it('creates a user with WildDuck fields and shows them back', async () => {
    const r = await h.api.ok('POST', '/users', {
      body: {
        username: 'Alice',
        password: 'correct horse',
        name: 'Alice Liddell',
        address: 'alice@example.com',
        quota: 1048576,
        retention: 86400000,
        language: 'en',
        tags: ['Green', 'blue'],
        targets: ['forward@example.org', 'https://hooks.example.org/in'],
        recipients: 500,
        forwards: 100,
        encryptMessages: true,
        spamLevel: 80,
        disabledScopes: ['pop3'],
        metaData: { plan: 'gold' },
      },
    });
    assert.match(String(r.id), HEX24);
    const u = await h.api.ok('GET', `/users/${r.id}`);
    assert.equal(u.id, r.id);
    assert.equal(u.username, 'alice');
    assert.equal(u.name, 'Alice Liddell');
    assert.equal(u.address, 'alice@example.com');
    assert.equal(u.language, 'en');
    assert.equal(u.retention, 86400000);
    assert.deepEqual(u.tags, ['Green', 'blue']);
    assert.deepEqual(u.targets, ['forward@example.org', 'https://hooks.example.org/in']);
    assert.deepEqual(u.enabled2fa, []);
    assert.equal(u.autoreply, false);
    assert.equal(u.encryptMessages, true);
    assert.equal(u.encryptForwarded, false);
    assert.equal(u.spamLevel, 80);
    assert.deepEqual(u.disabledScopes, ['pop3']);
    assert.deepEqual(u.metaData, { plan: 'gold' });
    assert.equal(u.hasPasswordSet, true);
    assert.equal(u.activated, true);
    assert.equal(u.disabled, false);
    assert.equal(u.keyInfo, false);
    const limits = u.limits as Record<string, Record<string, unknown>>;
    assert.deepEqual(limits.quota, { allowed: 1048576, used: 0 });
    assert.equal(limits.recipients!.allowed, 500);
    assert.equal(limits.forwards!.allowed, 100);
    const boxes = await h.api.ok('GET', `/users/${r.id}/mailboxes`);
    assert.deepEqual(boxes.results!.map((b) => b.path), ['INBOX', 'Archive', 'Drafts', 'Junk', 'Sent', 'Trash']);
  });

  it('generates the main address unless emptyAddress; password false means none', async () => {
    const a = await h.createUser('bob');
    assert.equal((await h.api.ok('GET', `/users/${a}`)).address, 'bob@localhost');
    const b = await h.createUser('carol@example.net', { password: false });
    const carol = await h.api.ok('GET', `/users/${b}`);
    assert.equal(carol.address, 'carol@example.net');
    assert.equal(carol.hasPasswordSet, false);
    const c = await h.createUser('dave', { emptyAddress: true });
    assert.equal((await h.api.ok('GET', `/users/${c}`)).address, null);
  });

  it('accepts form-encoded bodies', async () => {
    const r = await h.api.request('POST', '/users', { form: { username: 'formuser', password: 'pw-form-1', quota: '2048', encryptMessages: 'true', 'tags[]': 'x' } });
    assert.equal(r.status, 200, r.text);
    const u = await h.api.ok('GET', `/users/${r.json.id}`);
    assert.equal((u.limits as Record<string, Record<string, number>>).quota!.allowed, 2048);
    assert.equal(u.encryptMessages, true);
    assert.deepEqual(u.tags, ['x']);
  });

  it('refuses taken usernames and addresses with 409 AlreadyExists', async () => {
    await h.createUser('erin');
    const r = await h.api.post('/users', { username: 'ERIN', password: 'x' });
    assert.equal(r.status, 409);
    assert.equal(r.json.code, 'AlreadyExists');
    const r2 = await h.api.post('/users', { username: 'erin2', password: 'x', address: 'erin@localhost' });
    assert.equal(r2.status, 409);
  });

  it('lists users with query, tags, requiredTags and cursor paging', async () => {
    for (const [name, tags] of [
      ['page1', ['t-a']],
      ['page2', ['t-a', 't-b']],
      ['page3', ['t-b']],
    ] as const) {
      await h.createUser(name, { tags: [...tags] });
    }
    const first = await h.api.ok('GET', '/users', { query: { query: 'page', limit: 2 } });
    assert.equal(first.total, 3);
    assert.equal(first.page, 1);
    assert.equal(first.previousCursor, false);
    assert.deepEqual(first.results!.map((u) => u.username), ['page1', 'page2']);
    assert.equal(typeof first.nextCursor, 'string');
    const second = await h.api.ok('GET', '/users', { query: { query: 'page', limit: 2, next: String(first.nextCursor), page: 2 } });
    assert.deepEqual(second.results!.map((u) => u.username), ['page3']);
    assert.equal(second.page, 2);
    assert.equal(second.nextCursor, false);
    const back = await h.api.ok('GET', '/users', { query: { query: 'page', limit: 2, previous: String(second.previousCursor) } });
    assert.deepEqual(back.results!.map((u) => u.username), ['page1', 'page2']);
    const anyTag = await h.api.ok('GET', '/users', { query: { tags: 't-a' } });
    assert.deepEqual(anyTag.results!.map((u) => u.username).sort(), ['page1', 'page2']);
    const allTags = await h.api.ok('GET', '/users', { query: { requiredTags: 't-a,t-b' } });
    assert.deepEqual(allTags.results!.map((u) => u.username), ['page2']);
    const item = anyTag.results![0]!;
    for (const key of ['id', 'username', 'name', 'address', 'tags', 'targets', 'enabled2fa', 'autoreply', 'quota', 'hasPasswordSet', 'activated', 'disabled', 'suspended']) {
      assert.ok(key in item, `listing has ${key}`);
    }
  });

  it('resolves usernames and addresses to ids', async () => {
    const id = await h.createUser('frank', { address: 'frank@example.com' });
    assert.equal((await h.api.ok('GET', '/users/resolve/frank')).id, id);
    assert.equal((await h.api.ok('GET', '/users/resolve/frank@example.com')).id, id);
    const r = await h.api.get('/users/resolve/nobody-here');
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'UserNotFound');
  });

  it('updates fields; a password change checks existingPassword when given', async () => {
    const id = await h.createUser('gina');
    await h.api.ok('PUT', `/users/${id}`, { body: { name: 'Gina', quota: 4096, tags: ['vip'], suspended: true, language: 'et' } });
    const u = await h.api.ok('GET', `/users/${id}`);
    assert.deepEqual([u.name, u.tags, u.suspended, u.language], ['Gina', ['vip'], true, 'et']);
    const wrong = await h.api.put(`/users/${id}`, { existingPassword: 'not it', password: 'new-pass-1' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json.code, 'AuthFailed');
    await h.api.ok('PUT', `/users/${id}`, { body: { existingPassword: 'secret-pass', password: 'new-pass-1', suspended: false } });
    const login = await h.api.ok('POST', '/authenticate', { body: { username: 'gina', password: 'new-pass-1' } });
    assert.equal(login.id, id);
    const old = await h.api.post('/authenticate', { username: 'gina', password: 'secret-pass' });
    assert.equal(old.status, 403);
    const log = await h.api.ok('GET', `/users/${id}/authlog`, { query: { action: 'password change' } });
    assert.deepEqual(log.results!.map((e) => e.result), ['success', 'fail']);
  });

  it('resets the password to a generated one that must be changed', async () => {
    const id = await h.createUser('hank');
    const r = await h.api.ok('POST', `/users/${id}/password/reset`, { body: { ip: '192.0.2.7' } });
    assert.match(String(r.password), /^[a-z]{16}$/);
    const login = await h.api.ok('POST', '/authenticate', { body: { username: 'hank', password: String(r.password) } });
    assert.equal(login.requirePasswordChange, true);
    const log = await h.api.ok('GET', `/users/${id}/authlog`, { query: { action: 'password reset' } });
    assert.equal(log.results![0]!.ip, '192.0.2.7');
  });

  it('recalculates quota usage', async () => {
    const id = await h.createUser('ivan');
    const inbox = (await h.api.ok('GET', `/users/${id}/mailboxes`)).results!.find((b) => b.path === 'INBOX')!;
    const raw = textMessage();
    await h.api.ok('POST', `/users/${id}/mailboxes/${inbox.id}/messages`, { raw: { data: raw, type: 'message/rfc822' } });
    const r = await h.api.ok('POST', `/users/${id}/quota/reset`, { body: {} });
    assert.equal(r.storageUsed, raw.length);
    assert.equal(r.previousStorageUsed, raw.length);
  });

  it('logs a user out of local sessions and tells other processes', async () => {
    const id = await h.createUser('judy');
    const closed: string[] = [];
    h.t.app.ctx.sessions.add({ id: 's1', protocol: 'imap', userId: id, close: (reason) => closed.push(reason) });
    const heard = new Promise<ChangeEvent>((resolve) => {
      const off = h.t.app.ctx.notifier.subscribe(id, (ev) => {
        if (ev.kind === 'logout') {
          off();
          resolve(ev);
        }
      });
    });
    await h.api.ok('PUT', `/users/${id}/logout`, { body: { reason: 'Maintenance' } });
    assert.deepEqual(closed, ['Maintenance']);
    assert.equal((await heard).userId, id);
  });

  it('deletes a user and everything it owns', async () => {
    const id = await h.createUser('kate');
    await h.api.ok('POST', `/users/${id}/asps`, { body: { description: 'phone' } });
    await h.api.ok('DELETE', `/users/${id}`);
    for (const path of [`/users/${id}`, `/users/${id}/mailboxes`, `/users/${id}/asps`, `/users/${id}/addresses`]) {
      const r = await h.api.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.code, 'UserNotFound');
    }
    assert.equal((await h.api.get('/users/resolve/kate')).status, 404);
    assert.equal((await h.api.del(`/users/${id}`)).status, 404);
  });

  it('answers 404 UserNotFound for unknown ids on every user route', async () => {
    for (const [method, path] of [
      ['GET', `/users/${NO_USER}`],
      ['PUT', `/users/${NO_USER}`],
      ['PUT', `/users/${NO_USER}/logout`],
      ['POST', `/users/${NO_USER}/password/reset`],
      ['POST', `/users/${NO_USER}/quota/reset`],
    ] as const) {
      const r = await h.api.request(method, path, { body: method === 'GET' ? undefined : {} });
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.json.code, 'UserNotFound');
    }
  });
});
