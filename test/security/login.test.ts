/**
 * The single login path with the security extensions plugged in: what IMAP,
 * POP3 and /authenticate all go through.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LoginError, LoginService } from '../../src/auth/login.js';
import { createHasher } from '../../src/auth/passwords.js';
import { LoginLimiter, storeCounters } from '../../src/auth/ratelimit.js';
import { authSchema } from '../../src/config/sections/auth.js';
import { storageSchema } from '../../src/config/sections/storage.js';
import { silentLogger } from '../../src/log/logger.js';
import { SecurityService } from '../../src/security/service.js';
import { base32Decode, totp } from '../../src/security/totp.js';
import { SqliteStore } from '../../src/storage/sqlite/engine.js';
import type { User } from '../../src/storage/types.js';
import { tempDir } from '../helpers/tmp.js';

describe('login path with app passwords and 2FA', () => {
  const dir = tempDir('eider-login-');
  let store: SqliteStore;
  let login: LoginService;
  let security: SecurityService;
  let user: User;
  let clock = Date.now();
  const meta = { sess: 'test-session', ip: '198.51.100.4', protocol: 'API' };
  const attempt = (password: string, scope: 'master' | 'imap' | 'pop3' | 'smtp', username = 'mallory') =>
    login.login({ username, password, scope, protocol: scope === 'master' ? 'api' : scope, ip: '203.0.113.9', session: 'sess-1' });

  before(async () => {
    store = new SqliteStore(storageSchema.parse({ dataDir: dir.path }));
    const config = authSchema.parse({ argonMemory: 1024, argonTime: 1, failureDelay: 0, maxFailuresPerUser: 50, maxFailuresPerIp: 100 });
    const hasher = createHasher(config);
    login = new LoginService(store, hasher, new LoginLimiter(storeCounters(store.coordination), config), config, silentLogger);
    security = new SecurityService(store, login, randomBytes(32), silentLogger, { totpMaxFailures: 3, totpFailureWindowMs: 60_000, issuer: 'Test' }, () => clock);
    login.setExtensions(security.loginExtensions());
    user = await store.accounts.createUser({ username: 'mallory', passwordHash: await login.hash('master-pw'), address: 'mallory@example.com' });
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  it('app passwords log in within their scopes, with any spacing and case, never as master', async () => {
    const { asp, password } = await security.createAsp(user, { description: 'mail app', scopes: ['imap', 'pop3'] }, meta);
    const spaced = password.toUpperCase().replace(/(....)/g, '$1 ').trim();
    const ok = await attempt(spaced, 'imap');
    assert.deepEqual([ok.method, ok.aspId], ['asp', asp.id]);
    assert.equal((await attempt(password, 'pop3')).method, 'asp');
    await assert.rejects(attempt(password, 'smtp'), (e: unknown) => e instanceof LoginError && e.reason === 'invalid');
    await assert.rejects(attempt(password, 'master'), (e: unknown) => e instanceof LoginError && e.reason === 'invalid');
    assert.equal((await attempt('master-pw', 'imap')).method, 'password', 'no 2FA yet: the master password still works');
    const touched = await store.asps.get(user.id, asp.id);
    assert.equal(touched?.lastIp, '203.0.113.9');
    await security.deleteAsp(user.id, asp.id, meta);
    await assert.rejects(attempt(password, 'imap'), LoginError);
  });

  it('with TOTP on, the master password works only for master (require2fa); IMAP/POP3 need an app password', async () => {
    const { seed } = await security.setupTotp(user, {}, meta);
    const key = base32Decode(seed);
    assert.equal(await security.enableTotp(user, '000000' === totp(key, clock) ? '111111' : '000000', meta), false);
    assert.equal(await security.enableTotp(user, totp(key, clock), meta), true);
    const master = await attempt('master-pw', 'master');
    assert.equal(master.require2fa, true);
    for (const scope of ['imap', 'pop3'] as const) {
      await assert.rejects(attempt('master-pw', scope), (e: unknown) => e instanceof LoginError && e.reason === 'second-factor');
    }
    const { password } = await security.createAsp(user, { description: 'phone', scopes: ['*'] }, meta);
    assert.equal((await attempt(password, 'imap')).method, 'asp');
    assert.equal((await attempt(password, 'pop3')).method, 'asp');
    await assert.rejects(attempt(password, 'master'), LoginError);

    // Each code once: the code that enabled TOTP cannot be replayed; the next step's code works once.
    assert.equal(await security.checkTotp(user, totp(key, clock), meta), false);
    assert.equal(await security.checkTotp(user, totp(key, clock + 30_000), meta), true);
    assert.equal(await security.checkTotp(user, totp(key, clock + 30_000), meta), false);
    clock += 60_000;
    assert.equal(await security.checkTotp(user, totp(key, clock), meta), true);
  });

  it('rate-limits failed TOTP checks', async () => {
    const u = await store.accounts.createUser({ username: 'limited', passwordHash: null });
    const { seed } = await security.setupTotp(u, {}, meta);
    const key = base32Decode(seed);
    assert.equal(await security.enableTotp(u, totp(key, clock), meta), true);
    clock += 30_000;
    const wrong = totp(key, clock) === '123456' ? '654321' : '123456';
    for (let i = 0; i < 3; i++) assert.equal(await security.checkTotp(u, wrong, meta), false);
    await assert.rejects(security.checkTotp(u, totp(key, clock), meta), { name: 'SecurityError', reason: 'rate-limited' });
    const log = await store.authLog.list(u.id, { action: 'check 2fa totp' });
    assert.deepEqual(log.results.map((e) => e.data.reason ?? e.result), ['rate-limited', 'invalid-token', 'invalid-token', 'invalid-token']);
  });

  it('records every attempt, with the reported session and address, in the auth log', async () => {
    await assert.rejects(attempt('wrong', 'imap'), LoginError);
    const page = await store.authLog.list(user.id, { action: 'authentication', limit: 250 });
    const last = page.results[0]!;
    assert.deepEqual([last.result, last.sess, last.ip, last.data.protocol, last.data.scope, last.data.reason], ['fail', 'sess-1', '203.0.113.9', 'imap', 'imap', 'invalid']);
    const secondFactor = page.results.find((e) => e.data.reason === 'second-factor');
    assert.ok(secondFactor, 'refused master password on IMAP is logged');
    const asp = page.results.find((e) => e.result === 'success' && e.data.source === 'asp');
    assert.ok(asp?.data.asp);
    const actions = new Set((await store.authLog.list(user.id, { limit: 250 })).results.map((e) => e.action));
    for (const a of ['authentication', 'create asp', 'delete asp', 'setup 2fa totp', 'enable 2fa totp', 'check 2fa totp']) assert.ok(actions.has(a), a);
    assert.ok(last.expires.getTime() - last.created.getTime() === 30 * 24 * 3600 * 1000, '30-day expiry');
  });
});
