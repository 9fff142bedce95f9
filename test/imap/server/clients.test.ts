/** Real clients against the server: Python imaplib, curl, mbsync (both sync directions). */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../../../src/config/load.js';
import { textMessage } from '../../helpers/messages.js';
import { tempDir } from '../../helpers/tmp.js';
import { imapFixture, PASSWORD, type ImapFixture } from './helpers.js';

/** The .py helper lives with the sources, not in the build directory. */
const pythonScript = join(packageRoot(), 'test', 'imap', 'server', 'clients', 'imaplib_session.py');

function available(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Runs a client without blocking the event loop (the server lives in this process). */
function run(cmd: string, args: string[], input?: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

function skipUnless(ok: boolean, what: string, t: { skip(msg: string): void }): boolean {
  if (ok) return false;
  process.emitWarning(`${what} is not installed: its IMAP interop test is skipped`);
  t.skip(`${what} not installed`);
  return true;
}

describe('real clients', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('Python imaplib: STARTTLS, LOGIN, LIST, CREATE, APPEND, SELECT, SEARCH, FETCH, STORE, COPY, EXPUNGE, STATUS', async (t) => {
    if (skipUnless(available('python3', ['--version']), 'python3', t)) return;
    const u = await fx.user();
    const r = await run('python3', [pythonScript, '127.0.0.1', String(fx.app.port('imap')), u.name, PASSWORD]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.ok((out.capabilities as string[]).includes('STARTTLS'));
    assert.equal(out.starttls, 'OK');
    assert.equal(out.login, 'OK');
    assert.ok((out.list as string[]).some((l) => l.endsWith('"/" INBOX')));
    const append = out.append as [string, string];
    assert.equal(append[0], 'OK');
    assert.match(append[1], /^\[APPENDUID \d+ 1\]/);
    // RFC822 sets \\Seen implicitly, and the FLAGS in the same response already show it.
    assert.match(out.fetch_flags as string, /FLAGS \(\\Seen \\Flagged \\Recent\)/);
    assert.match(out.fetch_body as string, /Hello from imaplib/);
    assert.equal(out.search, '1');
    assert.equal(out.uid_search, '1');
    assert.deepEqual(out.expunge, ['1']);
    assert.match(out.status as string, /"?Python\/Sub"? \(MESSAGES 1 UIDNEXT 2\)/);
    assert.equal(out.logout, 'BYE');
  });

  it('curl imap://: LIST, fetch by UID, SEARCH, upload', async (t) => {
    if (skipUnless(available('curl', ['--version']), 'curl', t)) return;
    const u = await fx.user();
    const body = textMessage({ subject: 'for curl', body: 'curl reads this' });
    await u.deliver('INBOX', body);
    const base = `imap://127.0.0.1:${fx.app.port('imap')}`;
    const auth = ['--user', `${u.name}:${PASSWORD}`, '-s', '-S'];
    const list = await run('curl', [...auth, `${base}/`]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /\* LIST \(\\HasNoChildren\) "\/" INBOX/);
    const fetched = await run('curl', [...auth, `${base}/INBOX;UID=1`]);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.equal(fetched.stdout, body.toString());
    const search = await run('curl', [...auth, `${base}/INBOX`, '-X', 'UID SEARCH SUBJECT curl']);
    assert.match(search.stdout, /\* SEARCH 1/);
    const dir = tempDir('eider-curl-');
    try {
      const file = join(dir.path, 'upload.eml');
      writeFileSync(file, textMessage({ subject: 'uploaded' }));
      const upload = await run('curl', [...auth, `${base}/Drafts`, '-T', file]);
      assert.equal(upload.code, 0, upload.stderr);
    } finally {
      dir.cleanup();
    }
    const drafts = await fx.store.messages.getRecords(await u.mailboxId('Drafts'), [1]);
    assert.equal(drafts[0]?.subject, 'uploaded');
  });

  it('mbsync: a full sync down, then local changes up (new message, flag, new folder), then a server expunge down', async (t) => {
    if (skipUnless(available('mbsync', ['--version']), 'mbsync (isync)', t)) return;
    const u = await fx.user();
    await u.deliver('INBOX', textMessage({ subject: 'one' }), ['\\Flagged']);
    await u.deliver('INBOX', textMessage({ subject: 'two' }));
    const dir = tempDir('eider-mbsync-');
    try {
      const mail = join(dir.path, 'mail');
      mkdirSync(mail);
      const rc = join(dir.path, 'mbsyncrc');
      writeFileSync(
        rc,
        [
          'IMAPAccount eider',
          'Host 127.0.0.1',
          `Port ${fx.app.port('imap')}`,
          `User ${u.name}`,
          `Pass "${PASSWORD}"`,
          'SSLType None',
          'AuthMechs LOGIN',
          '',
          'IMAPStore remote',
          'Account eider',
          '',
          'MaildirStore local',
          `Path ${mail}/`,
          `Inbox ${mail}/INBOX`,
          'SubFolders Verbatim',
          '',
          'Channel sync',
          'Far :remote:',
          'Near :local:',
          'Patterns *',
          'Create Both',
          'Expunge Both',
          'SyncState *',
          '',
        ].join('\n'),
      );
      const sync = async (): Promise<void> => {
        const r = await run('mbsync', ['-c', rc, '-a']);
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      };
      await sync();
      const inboxCur = join(mail, 'INBOX', 'cur');
      const inboxNew = join(mail, 'INBOX', 'new');
      const localFiles = (): string[] => [...readdirSync(inboxCur), ...readdirSync(inboxNew)].sort();
      const local = localFiles();
      assert.equal(local.length, 2, local.join());
      assert.ok(local.some((f) => /,U=1:2,F$/.test(f)), local.join());
      assert.ok(readdirSync(mail).includes('Trash'));

      // Local changes: mark "two" seen (maildir: move to cur/ with the S flag), add a message, add a folder.
      const two = local.find((f) => /,U=2:2,$/.test(f))!;
      const twoDir = readdirSync(inboxCur).includes(two) ? inboxCur : inboxNew;
      renameSync(join(twoDir, two), join(inboxCur, `${two}S`));
      writeFileSync(join(mail, 'INBOX', 'new', `${Date.now()}.local1.host`), textMessage({ subject: 'written locally' }));
      mkdirSync(join(mail, 'Local', 'new'), { recursive: true });
      mkdirSync(join(mail, 'Local', 'cur'));
      mkdirSync(join(mail, 'Local', 'tmp'));
      writeFileSync(join(mail, 'Local', 'new', `${Date.now()}.local2.host`), textMessage({ subject: 'in a local folder' }));
      await sync();
      const inbox = await fx.store.messages.list(await u.mailboxId('INBOX'), { limit: 10 });
      assert.deepEqual(inbox.map((m) => m.uid), [1, 2, 3]);
      assert.ok(inbox[1]?.flags.includes('\\Seen'));
      const records = await fx.store.messages.getRecords(await u.mailboxId('INBOX'), [3]);
      assert.equal(records[0]?.subject, 'written locally');
      assert.equal((await fx.store.messages.list(await u.mailboxId('Local'), { limit: 10 })).length, 1);

      // Server side: expunge "one"; the next sync removes it locally.
      await fx.store.messages.updateFlags(await u.mailboxId('INBOX'), [[1, 1]], { mode: 'add', flags: ['\\Deleted'] });
      await fx.store.messages.expunge(await u.mailboxId('INBOX'), { onlyDeleted: true });
      await sync();
      const after = localFiles();
      assert.equal(after.length, 2, after.join());
      assert.ok(!after.some((f) => /,U=1:/.test(f)));
    } finally {
      dir.cleanup();
    }
  });
});
