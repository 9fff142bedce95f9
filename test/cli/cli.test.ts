import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { storageSchema } from '../../src/config/sections/storage.js';
import { SqliteStore } from '../../src/storage/sqlite/engine.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dirs: Array<{ path: string; cleanup(): void }> = [];
after(() => dirs.forEach((d) => d.cleanup()));
function dataDir() {
  const d = tempDir('eider-cli-');
  dirs.push(d);
  return d.path;
}
const cheap = { EIDER_AUTH_ARGONMEMORY: '1024', EIDER_AUTH_ARGONTIME: '1' };

describe('eider CLI', () => {
  it('check-config prints the effective configuration and exits 0', () => {
    const r = runCli(['check-config'], { EIDER_IMAP_PORT: '1999' });
    assert.equal(r.code, 0, r.stderr);
    const config = JSON.parse(r.stdout) as { imap: { port: number } };
    assert.equal(config.imap.port, 1999);
  });

  it('exits 2 naming the key and the file on an unknown key', () => {
    const file = join(dataDir(), 'bad.toml');
    writeFileSync(file, '[imap]\nbogus = 1\n');
    const r = runCli(['--config', file, 'check-config'], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.toml: unknown key imap\.bogus/);
  });

  it('exits 2 on a bad env value, naming the variable', () => {
    const r = runCli(['check-config'], { EIDER_POP3_PORT: 'none' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /EIDER_POP3_PORT/);
  });

  it('exits 2 on an unknown command', () => {
    assert.equal(runCli(['frobnicate'], {}).code, 2);
  });

  it('user add creates a user with the default mailboxes; list, passwd and del work', async () => {
    const dir = dataDir();
    const env = { EIDER_STORAGE_DATADIR: dir, ...cheap };
    const add = runCli(['user', 'add', 'alice', '--password', 'secret', '--address', 'alice@example.com', '--quota', '10M'], env);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /created user alice .*INBOX, Drafts, Sent, Junk, Trash, Archive|created user alice/);
    assert.equal(runCli(['user', 'add', 'alice', '--password', 'x'], env).code, 2, 'duplicate is a usage error');
    const list = runCli(['user', 'list'], env);
    assert.match(list.stdout, /alice\s+alice@example\.com\s+used=0 quota=10485760/);
    assert.equal(runCli(['user', 'passwd', 'alice', '--password', 'other'], env).code, 0);
    const store = new SqliteStore(storageSchema.parse({ dataDir: dir }));
    const user = await store.accounts.getUserByUsername('alice');
    assert.ok(user);
    const boxes = (await store.mailboxes.listMailboxes(user.id)).map((b) => `${b.path}:${b.specialUse ?? ''}`);
    assert.deepEqual(boxes.sort(), ['Archive:\\Archive', 'Drafts:\\Drafts', 'INBOX:', 'Junk:\\Junk', 'Sent:\\Sent', 'Trash:\\Trash']);
    await store.close();
    assert.equal(runCli(['user', 'del', 'alice'], env).code, 0);
    assert.doesNotMatch(runCli(['user', 'list'], env).stdout, /alice/);
  });

  it('start logs one ready line with every listener and exits 0 on SIGTERM', async () => {
    const dir = dataDir();
    const server = startCli({
      EIDER_STORAGE_DATADIR: dir,
      EIDER_IMAP_PORT: '0',
      EIDER_POP3_PORT: '0',
      EIDER_LMTP_PORT: '0',
      EIDER_API_PORT: '0',
      ...cheap,
    });
    const line = await server.ready;
    assert.match(line, /eider\.ready/);
    server.proc.kill('SIGTERM');
    const exit = await server.exited;
    assert.equal(exit.code, 0, server.log());
    assert.match(server.log(), /eider\.stopped/);
  });
});
