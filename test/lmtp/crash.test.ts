/**
 * Crash safety: the server runs as a child process (`eider start`), takes a
 * stream of deliveries and is killed with SIGKILL in the middle of one.
 * After a restart every copy that was answered 250 is present exactly once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { storageSchema } from '../../src/config/sections/storage.js';
import { SqliteStore } from '../../src/storage/sqlite/engine.js';
import { textMessage } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { Transcript } from '../helpers/transcript.js';
import { dataBlock, mailboxMessages } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dirs: Array<{ cleanup(): void }> = [];
after(() => dirs.forEach((d) => d.cleanup()));

/** Starts `eider start` on a free port; resolves with the child and its LMTP port once it logs eider.ready. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [main, 'start'], {
    env: {
      ...process.env,
      EIDER_STORAGE_DATADIR: dataDir,
      EIDER_LMTP_PORT: '0',
      EIDER_IMAP_ENABLED: 'false',
      EIDER_POP3_ENABLED: 'false',
      EIDER_API_ENABLED: 'false',
      EIDER_LOG_LEVEL: 'info',
      EIDER_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"event":"eider\.ready".*?lmtp=[^:"]+:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${err}`));
    });
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('LMTP crash safety', () => {
  it('every copy answered 250 survives SIGKILL exactly once', async () => {
    const dir = tempDir('eider-lmtp-crash-');
    dirs.push(dir);
    const cfg = storageSchema.parse({ dataDir: dir.path });
    let store = new SqliteStore(cfg);
    const a = await store.accounts.createUser({ username: 'crasha', passwordHash: null, address: 'crasha@example.com' });
    const b = await store.accounts.createUser({ username: 'crashb', passwordHash: null, address: 'crashb@example.com' });
    await store.close();

    const { child, port } = await startServer(dir.path);
    const acked = { a: new Set<number>(), b: new Set<number>() };
    const t = await Transcript.connect(port, { timeoutMs: 20_000 });
    await t.expect(/^220 /);
    t.send('LHLO crash.example');
    await t.until(/^250 /);
    const killAt = 40;
    let killed = false;
    for (let i = 0; !killed; i++) {
      // Pipelined, as an MTA does: the whole transaction in one write.
      t.write(Buffer.concat([Buffer.from('MAIL FROM:<s@example.net>\r\nRCPT TO:<crasha@example.com>\r\nRCPT TO:<crashb@example.com>\r\nDATA\r\n'), dataBlock(textMessage({ subject: `crash ${i}`, body: `message ${i} `.repeat(200) }))]));
      for (const re of [/^250 /, /^250 /, /^250 /, /^354 /]) await t.expect(re);
      if (i === killAt) {
        // The body is on its way and the delivery under way: kill before its answers are read.
        child.kill('SIGKILL');
        killed = true;
        break;
      }
      if (/^250 /.test(await t.line())) acked.a.add(i);
      if (/^250 /.test(await t.line())) acked.b.add(i);
    }
    t.close();
    await exited(child);
    assert.equal(child.signalCode, 'SIGKILL');
    assert.equal(acked.a.size, killAt);

    // It starts again over the crashed data directory and keeps delivering.
    const again = await startServer(dir.path);
    const t2 = await Transcript.connect(again.port);
    await t2.expect(/^220 /);
    t2.send('LHLO crash.example');
    await t2.until(/^250 /);
    t2.write(Buffer.concat([Buffer.from('MAIL FROM:<s@example.net>\r\nRCPT TO:<crasha@example.com>\r\nDATA\r\n'), dataBlock(textMessage({ subject: 'after restart' }))]));
    for (const re of [/^250 /, /^250 /, /^354 /, /^250 2\.0\.0 /]) await t2.expect(re);
    t2.close();
    again.child.kill('SIGTERM');
    await exited(again.child);

    store = new SqliteStore(cfg);
    try {
      for (const [user, set] of [
        [a.id, acked.a],
        [b.id, acked.b],
      ] as const) {
        const subjects = (await mailboxMessages(store, user, 'INBOX')).map((m) => m.subject);
        for (const i of set) assert.equal(subjects.filter((s) => s === `crash ${i}`).length, 1, `crash ${i} exactly once`);
        const crashCopies = subjects.filter((s) => s.startsWith('crash '));
        // At most the delivery in flight at the kill may have committed without its answer.
        assert.ok(crashCopies.length <= set.size + 1, `${crashCopies.length} copies for ${set.size} answers`);
        assert.equal(new Set(crashCopies).size, crashCopies.length, 'no duplicates');
      }
      assert.ok((await mailboxMessages(store, a.id, 'INBOX')).some((m) => m.subject === 'after restart'));
    } finally {
      await store.close();
    }
  });
});
