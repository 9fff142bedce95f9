import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base32Decode, totp } from '../../src/security/totp.js';
import { hasRedis, redisSkip, startRedis } from '../helpers/redis.js';
import { NO_USER, startApi, type ApiHarness } from './helpers.js';

describe('api: authentication, app passwords, 2FA, auth log', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi({ api: { totpMaxFailures: 3 }, auth: { maxFailuresPerUser: 4, maxFailuresPerIp: 1000 } });
  });
  after(async () => h.stop());

  const auth = (username: string, password: string, scope = 'master', extra: Record<string, unknown> = {}) =>
    h.api.post('/authenticate', { username, password, scope, ...extra });

  it('authenticates by username or address and reports WildDuck fields', async () => {
    const id = await h.createUser('una', { address: 'una@example.com' });
    for (const name of ['una', 'UNA@example.com']) {
      const r = await auth(name, 'secret-pass');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { success: true, id, username: 'una', scope: 'master', require2fa: false, requirePasswordChange: false });
    }
    const bad = await auth('una', 'nope');
    assert.equal(bad.status, 403);
    assert.equal(bad.json.code, 'AuthFailed');
    const unknown = await auth('nobody', 'nope');
    assert.equal(unknown.status, 403);
    const badScope = await auth('una', 'secret-pass', 'root');
    assert.equal(badScope.status, 400);
    assert.ok((badScope.json.details as Record<string, string>).scope);
  });

  it('rate-limits failed logins per user', async () => {
    await h.createUser('vic');
    for (let i = 0; i < 4; i++) assert.equal((await auth('vic', 'wrong')).status, 403);
    const blocked = await auth('vic', 'secret-pass');
    assert.equal(blocked.status, 429);
    assert.equal(blocked.json.code, 'RateLimitedError');
  });

  it('creates app passwords (shown once), lists them without secrets, deletes them', async () => {
    const id = await h.createUser('walt', { address: 'walt@example.com', name: 'Walt W' });
    const r = await h.api.ok('POST', `/users/${id}/asps`, { body: { description: 'Thunderbird', scopes: ['imap', 'smtp'], sess: 'web-1', ip: '192.0.2.50' } });
    assert.match(String(r.password), /^[a-z]{16}$/);
    assert.match(String(r.id), /^[0-9a-f]{24}$/);
    const list = await h.api.ok('GET', `/users/${id}/asps`);
    assert.equal(list.results!.length, 1);
    const item = list.results![0]!;
    assert.deepEqual([item.id, item.description, item.scopes, item.expires], [r.id, 'Thunderbird', ['imap', 'smtp'], false]);
    assert.ok(!JSON.stringify(list).includes(String(r.password)), 'the password is never listed');
    assert.equal((await h.api.ok('GET', `/users/${id}/asps/${r.id}`)).description, 'Thunderbird');

    const spaced = String(r.password).toUpperCase().replace(/(....)/g, '$1 ');
    assert.equal((await auth('walt', spaced, 'imap')).status, 200);
    assert.equal((await auth('walt', spaced, 'pop3')).status, 403, 'outside its scopes');
    assert.equal((await auth('walt', String(r.password), 'master')).status, 403, 'never the master scope');
    const used = await h.api.ok('GET', `/users/${id}/asps/${r.id}`);
    assert.equal(typeof (used.lastUse as { time: unknown }).time, 'string');

    const log = await h.api.ok('GET', `/users/${id}/authlog`, { query: { action: 'create asp' } });
    assert.deepEqual([log.results![0]!.sess, log.results![0]!.ip, log.results![0]!.asp], ['web-1', '192.0.2.50', r.id]);

    await h.api.ok('DELETE', `/users/${id}/asps/${r.id}`);
    assert.equal((await auth('walt', String(r.password), 'imap')).status, 403);
    assert.equal((await h.api.del(`/users/${id}/asps/${r.id}`)).json.code, 'AspNotFound');
    const temp = await h.api.post(`/users/${id}/asps`, { description: 'old', expires: '2001-01-01T00:00:00Z' });
    assert.equal(temp.status, 400);
  });

  it('generates an Apple configuration profile for the new app password', async () => {
    const id = await h.createUser('xena', { address: 'xena@example.com' });
    const r = await h.api.ok('POST', `/users/${id}/asps`, { body: { description: 'iPhone', scopes: ['*'], generateMobileconfig: true } });
    const plist = Buffer.from(String(r.mobileconfig), 'base64').toString('utf8');
    assert.match(plist, /^<\?xml/);
    assert.match(plist, /<string>com\.apple\.mail\.managed<\/string>/);
    assert.match(plist, new RegExp(`<string>${r.password}</string>`));
    assert.match(plist, /<string>xena@example\.com<\/string>/);
    assert.match(plist, /<key>IncomingMailServerHostName<\/key>\s*<string>localhost<\/string>/);
    const noImap = await h.api.post(`/users/${id}/asps`, { description: 'x', scopes: ['pop3'], generateMobileconfig: true });
    assert.equal(noImap.status, 400);
  });

  it('sets up, enables, checks and removes TOTP; enforces it on /authenticate scopes', async () => {
    const id = await h.createUser('yuri', { address: 'yuri@example.com' });
    const setup = await h.api.ok('POST', `/users/${id}/2fa/totp/setup`, { body: { issuer: 'Eider Test' } });
    assert.match(String(setup.seed), /^[A-Z2-7]{32}$/);
    assert.match(String(setup.qrcode), /^data:image\/png;base64,/);
    assert.match(String(setup.uri), /^otpauth:\/\/totp\/Eider%20Test:yuri%40example\.com\?secret=/);
    assert.equal((await h.api.ok('POST', `/users/${id}/2fa/totp/setup`, { body: {} })).seed, setup.seed, 'pending seed shown again');
    const fresh = await h.api.ok('POST', `/users/${id}/2fa/totp/setup`, { body: { fresh: true } });
    assert.notEqual(fresh.seed, setup.seed);
    const key = base32Decode(String(fresh.seed));

    const check = await h.api.post(`/users/${id}/2fa/totp/check`, { token: '123456' });
    assert.equal(check.status, 400, 'not enabled yet');
    assert.equal(check.json.code, 'TotpDisabled');
    const wrong = await h.api.post(`/users/${id}/2fa/totp/enable`, { token: totp(key, Date.now()) === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.code, 'InvalidToken');
    const code = totp(key, Date.now());
    await h.api.ok('POST', `/users/${id}/2fa/totp/enable`, { body: { token: code } });
    assert.deepEqual((await h.api.ok('GET', `/users/${id}`)).enabled2fa, ['totp']);
    assert.equal((await h.api.post(`/users/${id}/2fa/totp/setup`, {})).status, 409);

    const replay = await h.api.post(`/users/${id}/2fa/totp/check`, { token: code });
    assert.equal(replay.status, 403, 'a used code cannot be reused');
    await h.api.ok('POST', `/users/${id}/2fa/totp/check`, { body: { token: totp(key, Date.now() + 30_000) } });

    const master = await auth('yuri', 'secret-pass');
    assert.deepEqual(master.json.require2fa, ['totp']);
    const imap = await auth('yuri', 'secret-pass', 'imap');
    assert.equal(imap.status, 403);
    assert.match(String(imap.json.error), /application-specific password/);
    const asp = await h.api.ok('POST', `/users/${id}/asps`, { body: { description: 'mail', scopes: ['imap'] } });
    assert.equal((await auth('yuri', String(asp.password), 'imap')).status, 200);

    await h.api.ok('DELETE', `/users/${id}/2fa/totp`);
    assert.deepEqual((await h.api.ok('GET', `/users/${id}`)).enabled2fa, []);
    assert.equal((await auth('yuri', 'secret-pass', 'imap')).status, 200);

    await h.api.ok('POST', `/users/${id}/2fa/totp/setup`, { body: { fresh: true } });
    await h.api.ok('DELETE', `/users/${id}/2fa`);
    const log = await h.api.ok('GET', `/users/${id}/authlog`, { query: { limit: 250 } });
    const actions = new Set(log.results!.map((e) => e.action));
    for (const a of ['account created', 'setup 2fa totp', 'enable 2fa totp', 'check 2fa totp', 'disable 2fa totp', 'disable 2fa', 'create asp', 'authentication']) assert.ok(actions.has(a), a);
  });

  it('rate-limits failed TOTP checks with 429', async () => {
    const id = await h.createUser('zed');
    const setup = await h.api.ok('POST', `/users/${id}/2fa/totp/setup`, { body: {} });
    const key = base32Decode(String(setup.seed));
    await h.api.ok('POST', `/users/${id}/2fa/totp/enable`, { body: { token: totp(key, Date.now()) } });
    const bad = totp(key, Date.now() + 30_000) === '999999' ? '999998' : '999999';
    for (let i = 0; i < 3; i++) assert.equal((await h.api.post(`/users/${id}/2fa/totp/check`, { token: bad })).status, 403);
    const limited = await h.api.post(`/users/${id}/2fa/totp/check`, { token: totp(key, Date.now() + 30_000) });
    assert.equal(limited.status, 429);
    assert.equal(limited.json.code, 'RateLimitedError');
  });

  it('PUT /users/:user with disable2fa turns 2FA off', async () => {
    const id = await h.createUser('amos');
    const setup = await h.api.ok('POST', `/users/${id}/2fa/totp/setup`, { body: {} });
    await h.api.ok('POST', `/users/${id}/2fa/totp/enable`, { body: { token: totp(base32Decode(String(setup.seed)), Date.now()) } });
    await h.api.ok('PUT', `/users/${id}`, { body: { disable2fa: true } });
    assert.deepEqual((await h.api.ok('GET', `/users/${id}`)).enabled2fa, []);
  });

  it('filters and pages the auth log; sess and ip are recorded', async () => {
    const id = await h.createUser('bea');
    await auth('bea', 'secret-pass', 'master', { sess: 'sess-A', ip: '192.0.2.1' });
    await auth('bea', 'bad', 'master', { sess: 'sess-B', ip: '192.0.2.2' });
    await auth('bea', 'secret-pass', 'imap', { protocol: 'IMAP', sess: 'sess-C', ip: '2001:db8::1' });
    const all = await h.api.ok('GET', `/users/${id}/authlog`, { query: { action: 'authentication' } });
    assert.equal(all.total, 3);
    assert.deepEqual(all.results!.map((e) => e.sess), ['sess-C', 'sess-B', 'sess-A']);
    const first = all.results![0]!;
    assert.deepEqual([first.result, first.protocol, first.scope, first.ip], ['success', 'IMAP', 'imap', '2001:db8::1']);
    assert.ok(Date.parse(String(first.expires)) - Date.parse(String(first.created)) === 30 * 86400_000);
    assert.deepEqual((await h.api.ok('GET', `/users/${id}/authlog`, { query: { ip: '192.0.2.2' } })).results!.map((e) => e.result), ['fail']);
    assert.equal((await h.api.ok('GET', `/users/${id}/authlog`, { query: { filterip: '192.0.2.2' } })).total, 1);
    assert.equal((await h.api.ok('GET', `/users/${id}/authlog`, { query: { sess: 'sess-A' } })).total, 1);
    const page = await h.api.ok('GET', `/users/${id}/authlog`, { query: { limit: 2 } });
    const next = await h.api.ok('GET', `/users/${id}/authlog`, { query: { limit: 2, next: String(page.nextCursor) } });
    assert.equal(page.results!.length + next.results!.length, page.total as number);
    const one = await h.api.ok('GET', `/users/${id}/authlog/${first.id}`);
    assert.equal(one.sess, 'sess-C');
    assert.equal((await h.api.get(`/users/${id}/authlog/${NO_USER}`)).json.code, 'EventNotFound');
  });
});

describe('api: failed-login limits shared through Redis', () => {
  const skip = redisSkip();
  it('a user blocked in one process is blocked in another', { skip }, async () => {
    if (!hasRedis()) return;
    const redis = await startRedis();
    const opts = { redis: { url: redis.url }, auth: { maxFailuresPerUser: 3, maxFailuresPerIp: 1000 } };
    const a = await startApi(opts);
    const b = await startApi(opts);
    try {
      await a.createUser('shared');
      await b.createUser('shared');
      for (let i = 0; i < 3; i++) assert.equal((await a.api.post('/authenticate', { username: 'shared', password: 'wrong' })).status, 403);
      const r = await b.api.post('/authenticate', { username: 'shared', password: 'secret-pass' });
      assert.equal(r.status, 429, 'the other process sees the failures');
      const health = await b.api.ok('GET', '/health');
      assert.equal(health.redis, 'ok');
    } finally {
      await a.stop();
      await b.stop();
      await redis.stop();
    }
  });
});
