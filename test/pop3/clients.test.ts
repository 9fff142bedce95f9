/**
 * Real POP3 clients against the real server: Python's poplib, curl,
 * fetchmail and getmail6. A client that is not installed is skipped with a
 * visible warning. Clients run asynchronously: the server lives in this process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { freePort } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';
import { seedUser, startPop3App, type Seeded } from './helpers.js';

function installed(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status !== null;
}

function skipUnless(cmd: string, args: string[], what: string): string | false {
  if (installed(cmd, args)) return false;
  const reason = `${cmd} is not installed: skipping the ${what} tests`;
  process.emitWarning(reason);
  return reason;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms without exiting]\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const messages = () => [
  textMessage({ subject: 'client one', body: '.starts with a dot\r\nsecond line' }),
  textMessage({ subject: 'client two' }),
  textMessage({ subject: 'client three', body: 'x\r\n'.repeat(500) }),
];

describe('pop3 real clients', () => {
  let app: TestApp;
  const dir = tempDir('eider-pop3-clients-');
  before(async () => {
    app = await startPop3App({ pop3: { tlsPort: await freePort() } });
  });
  after(async () => {
    await app.stop();
    dir.cleanup();
  });

  const subjects = async (u: Seeded) => {
    const store = app.app.ctx.store;
    const records = await store.messages.getRecords(u.inboxId, [...(await store.messages.uids(u.inboxId))]);
    return records.map((r) => r.subject);
  };

  it('Python poplib: CAPA, STLS, USER/PASS, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP, QUIT; POP3_SSL', { skip: skipUnless('python3', ['-c', 'import poplib'], 'poplib') }, async () => {
    const u = await seedUser(app, messages());
    const script = `
import json, poplib, ssl, sys
port, tls_port, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
out = {}
p = poplib.POP3('127.0.0.1', port, timeout=20)
out['capa'] = sorted(p.capa().keys())
p.stls(ctx)
p.user(user); p.pass_(password)
out['stat'] = list(p.stat())
out['list'] = [l.decode() for l in p.list()[1]]
out['uidl'] = [l.decode() for l in p.uidl()[1]]
out['retr'] = [l.decode() for l in p.retr(1)[1]]
out['top'] = [l.decode() for l in p.top(3, 0)[1]]
p.dele(2); out['stat_after_dele'] = list(p.stat())
p.rset(); p.noop(); p.dele(2)
out['quit'] = p.quit().decode()
s = poplib.POP3_SSL('127.0.0.1', tls_port, context=ctx, timeout=20)
s.user(user); s.pass_(password)
out['ssl_stat'] = list(s.stat())
s.quit()
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script, String(app.port('pop3')), String(app.port('pop3', true)), u.name, u.password]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    const msgs = messages();
    const total = msgs.reduce((n, m) => n + m.length, 0);
    assert.ok((out.capa as string[]).includes('STLS') && (out.capa as string[]).includes('UIDL'));
    assert.deepEqual(out.stat, [3, total]);
    assert.equal((out.list as string[]).length, 3);
    assert.equal((out.uidl as string[]).length, 3);
    // poplib removes the stuffing: the body line is the original ".starts with a dot".
    assert.ok((out.retr as string[]).includes('.starts with a dot'));
    assert.ok((out.retr as string[]).includes('Subject: client one'));
    assert.equal((out.top as string[]).at(-1), '');
    assert.ok(!(out.top as string[]).includes('x'));
    assert.deepEqual(out.stat_after_dele, [2, total - msgs[1]!.length]);
    assert.match(out.quit as string, /^\+OK/);
    assert.deepEqual(out.ssl_stat, [2, total - msgs[1]!.length]);
    assert.deepEqual(await subjects(u), ['client one', 'client three']);
  });

  it('curl pop3:// and pop3s://: listing, RETR, UIDL, TOP, STLS, AUTH LOGIN', { skip: skipUnless('curl', ['--version'], 'curl pop3://') }, async () => {
    const u = await seedUser(app, messages());
    const base = `pop3://${u.name}:${u.password}@127.0.0.1:${app.port('pop3')}`;
    const listing = await run('curl', ['-sS', `${base}/`]);
    assert.equal(listing.code, 0, listing.stderr);
    assert.deepEqual(listing.stdout.trim().split(/\r?\n/).map((l) => l.split(' ')[0]), ['1', '2', '3']);
    const retr = await run('curl', ['-sS', `${base}/1`]);
    assert.equal(retr.code, 0, retr.stderr);
    assert.ok(retr.stdout.includes('\r\n.starts with a dot\r\nsecond line\r\n'), JSON.stringify(retr.stdout));
    const uidl = await run('curl', ['-sS', '--ssl-reqd', '-k', `${base}/`, '-X', 'UIDL']);
    assert.equal(uidl.code, 0, uidl.stderr);
    assert.equal(uidl.stdout.trim().split(/\r?\n/).length, 3);
    const top = await run('curl', ['-sS', '--login-options', 'AUTH=LOGIN', `${base}/`, '-X', 'TOP 3 0']);
    assert.equal(top.code, 0, top.stderr);
    assert.ok(top.stdout.includes('Subject: client three') && !top.stdout.includes('\r\nx\r\n'));
    const secure = await run('curl', ['-sS', '-k', `pop3s://${u.name}:${u.password}@127.0.0.1:${app.port('pop3', true)}/2`]);
    assert.equal(secure.code, 0, secure.stderr);
    assert.ok(secure.stdout.includes('Subject: client two'));
    const bad = await run('curl', ['-sS', `pop3://${u.name}:wrong@127.0.0.1:${app.port('pop3')}/`]);
    assert.notEqual(bad.code, 0, 'a wrong password fails');
  });

  it('fetchmail: STLS, UIDL tracking with keep, then fetch-and-delete', { skip: skipUnless('fetchmail', ['--version'], 'fetchmail') }, async () => {
    const u = await seedUser(app, messages());
    const home = join(dir.path, `fetchmail-${u.name}`);
    mkdirSync(home);
    const mbox = join(home, 'out.mbox');
    const rc = (keep: boolean) => {
      const file = join(home, keep ? 'rc-keep' : 'rc-flush');
      writeFileSync(
        file,
        [
          'set no syslog',
          `poll 127.0.0.1 service ${app.port('pop3')} protocol pop3 uidl:`,
          `  user "${u.name}" password "${u.password}" is "${userInfo().username}" here`,
          keep ? '  keep' : '  nokeep fetchall',
          '  sslproto "tls1.2+" no sslcertck',
          `  mda "/bin/sh -c 'cat >> ${mbox}'"`,
          '',
        ].join('\n'),
      );
      chmodSync(file, 0o600);
      return file;
    };
    const env = { HOME: home, FETCHMAILHOME: home };
    const first = await run('fetchmail', ['-f', rc(true), '--nodetach', '-v'], { env });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout + first.stderr, /POP3> STLS/);
    assert.equal(readFileSync(mbox, 'latin1').match(/^Subject: client /gm)?.length, 3);
    // Second poll: every UIDL is known, nothing new (fetchmail's exit code 1 means "no mail").
    const second = await run('fetchmail', ['-f', rc(true), '--nodetach'], { env });
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.equal(readFileSync(mbox, 'latin1').match(/^Subject: client /gm)?.length, 3);
    assert.equal((await subjects(u)).length, 3);
    const third = await run('fetchmail', ['-f', rc(false), '--nodetach'], { env });
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.equal(readFileSync(mbox, 'latin1').match(/^Subject: client /gm)?.length, 6);
    assert.deepEqual(await subjects(u), []);
    assert.equal((await app.app.ctx.store.archive.list(u.userId, { limit: 10 })).results.length, 3);
  });

  it('getmail6: UIDL-based "new only" twice, then fetch-and-delete', { skip: skipUnless('getmail', ['--version'], 'getmail6') }, async () => {
    const u = await seedUser(app, messages());
    const home = join(dir.path, `getmail-${u.name}`);
    const maildir = join(home, 'Maildir');
    for (const d of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, d), { recursive: true });
    // getmail refuses to deliver as root; deliver as nobody into a directory it may write.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      for (const d of [dir.path, home]) chmodSync(d, 0o755);
      for (const d of [maildir, ...['new', 'cur', 'tmp'].map((x) => join(maildir, x))]) chmodSync(d, 0o777);
    }
    const rc = (name: string, readAll: boolean, del: boolean) => {
      writeFileSync(
        join(home, name),
        [
          '[retriever]',
          'type = SimplePOP3Retriever',
          'server = 127.0.0.1',
          `port = ${app.port('pop3')}`,
          `username = ${u.name}`,
          `password = ${u.password}`,
          '',
          '[destination]',
          'type = Maildir',
          `path = ${maildir}/`,
          ...(asRoot ? ['user = nobody'] : []),
          '',
          '[options]',
          `read_all = ${readAll}`,
          `delete = ${del}`,
          'verbose = 1',
          '',
        ].join('\n'),
      );
      return name;
    };
    const count = () => readdirSync(join(maildir, 'new')).length;
    const slow = { timeoutMs: 150_000 };
    const first = await run('getmail', [`--getmaildir=${home}`, `--rcfile=${rc('rc-new', false, false)}`], slow);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(count(), 3, first.stdout + first.stderr);
    const second = await run('getmail', [`--getmaildir=${home}`, `--rcfile=rc-new`], slow);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(count(), 3, 'nothing new the second time');
    const third = await run('getmail', [`--getmaildir=${home}`, `--rcfile=${rc('rc-all', true, true)}`], slow);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.equal(count(), 6);
    assert.deepEqual(await subjects(u), []);
    const delivered = readdirSync(join(maildir, 'new')).map((f) => readFileSync(join(maildir, 'new', f), 'latin1'));
    assert.ok(delivered.some((m) => m.includes('\n.starts with a dot\n')), 'stuffing undone by the client');
  });
});
