import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { storageSchema } from '../../src/config/sections/storage.js';
import { SqliteStore } from '../../src/storage/sqlite/engine.js';
import type { ChangeEvent } from '../../src/storage/types.js';
import { tempDir } from '../helpers/tmp.js';
import { childMessage } from './child-messages.js';
import { textMessage } from '../helpers/messages.js';
import { inbox, newUser, put, runConformance, type EngineHarness } from './conformance.js';
import { runSyncConformance } from './conformance-sync.js';

const dirs: Array<{ cleanup(): void }> = [];
after(() => dirs.forEach((d) => d.cleanup()));

function config(dataDir: string, extra: Record<string, unknown> = {}) {
  return storageSchema.parse({ dataDir, ...extra });
}

async function harness(options: { archiveRetention?: number } = {}): Promise<EngineHarness> {
  const dir = tempDir('eider-sqlite-');
  dirs.push(dir);
  const events: ChangeEvent[] = [];
  const store = new SqliteStore(config(dir.path, options), { onChange: (e) => events.push(...e) });
  return { store, events, cleanup: async () => store.close(), settle: () => store.textIndexSettled() };
}

runConformance('sqlite', harness);

runSyncConformance('sqlite', async (options = {}) => {
  const dir = tempDir('eider-sqlite-');
  dirs.push(dir);
  const events: ChangeEvent[] = [];
  const store = new SqliteStore(config(dir.path), { onChange: (e) => events.push(...e), renderers: options.renderers });
  return { store, events, cleanup: async () => store.close() };
});

const childScript = join(fileURLToPath(new URL('.', import.meta.url)), 'append-child.js');

interface Acked {
  index: number;
  uid: number;
  modseq: number;
}

function runChild(cfg: object, mailboxId: string, count: number, tag: string, onAck?: (a: Acked, kill: () => void) => void) {
  const child = spawn(process.execPath, [childScript, JSON.stringify(cfg), mailboxId, String(count), tag], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: Acked[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const [, index, uid, modseq] = line.split(' ').map(Number);
    const a = { index: index!, uid: uid!, modseq: modseq! };
    acked.push(a);
    onAck?.(a, () => child.kill('SIGKILL'));
  });
  return new Promise<{ acked: Acked[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ acked, code, signal, stderr }));
  });
}

describe('sqlite engine across processes', () => {
  it('two processes appending 50 messages each to one mailbox get unique, ascending UIDs and MODSEQs', async () => {
    const dir = tempDir('eider-mp-');
    dirs.push(dir);
    const cfg = config(dir.path);
    const store = new SqliteStore(cfg);
    const user = await newUser(store);
    const box = await inbox(store, user);
    const [a, b] = await Promise.all([runChild(cfg, box.id, 50, 'pa'), runChild(cfg, box.id, 50, 'pb')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const all = [...a.acked, ...b.acked];
    assert.equal(new Set(all.map((x) => x.uid)).size, 100, 'no UID handed out twice');
    assert.equal(new Set(all.map((x) => x.modseq)).size, 100, 'no MODSEQ handed out twice');
    for (const list of [a.acked, b.acked]) {
      for (let i = 1; i < list.length; i++) assert.ok(list[i]!.uid > list[i - 1]!.uid && list[i]!.modseq > list[i - 1]!.modseq);
    }
    const uids = [...(await store.messages.uids(box.id))];
    assert.deepEqual(uids, Array.from({ length: 100 }, (_, i) => i + 1));
    const records = await store.messages.getRecords(box.id, uids);
    // UID order and MODSEQ order agree: both are assigned in the inserting transaction.
    for (let i = 1; i < records.length; i++) assert.ok(records[i]!.modseq > records[i - 1]!.modseq);
    for (const [tag, list] of [['pa', a.acked], ['pb', b.acked]] as const) {
      for (const x of list) {
        const rec = records.find((r) => r.uid === x.uid)!;
        assert.deepEqual(await store.messages.read(rec), childMessage(tag, x.index));
      }
    }
    // Bodies the children queued are searchable here whether or not their indexers got to them, and this
    // process's indexer finishes whatever they left.
    const expectB = b.acked.map((x) => x.uid).sort((m, n) => m - n);
    assert.deepEqual(await store.messages.search(box.id, { op: 'body', value: 'PB-' }), expectB);
    await store.textIndexSettled();
    assert.deepEqual(await store.messages.search(box.id, { op: 'body', value: 'pb-' }), expectB);
    assert.deepEqual(await store.messages.search(box.id, { op: 'text', value: 'pa message 7' }), [a.acked.find((x) => x.index === 7)!.uid]);
    await store.close();
  });

  it('a process killed with SIGKILL mid-batch leaves every acknowledged message intact and no dangling blob', async () => {
    const dir = tempDir('eider-crash-');
    dirs.push(dir);
    const cfg = config(dir.path);
    let store = new SqliteStore(cfg);
    const user = await newUser(store);
    const box = await inbox(store, user);
    await store.close();
    const killAfter = 25;
    const run = await runChild(cfg, box.id, 10_000, 'crash', (a, kill) => {
      if (a.index + 1 === killAfter) kill();
    });
    assert.equal(run.signal, 'SIGKILL');
    assert.ok(run.acked.length >= killAfter);

    const db = new Database(join(dir.path, 'eider.sqlite'));
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
    store = new SqliteStore(cfg);
    const uids = [...(await store.messages.uids(box.id))];
    for (const a of run.acked) assert.ok(uids.includes(a.uid), `acknowledged uid ${a.uid} is present`);
    // At most the one append that was in flight may have committed without its ack being read.
    assert.ok(uids.length <= run.acked.length + 1);
    const records = await store.messages.getRecords(box.id, uids);
    for (const rec of records) {
      assert.ok(await store.blobs.exists(rec.blob), `blob of uid ${rec.uid} exists`);
      const index = Number(/crash message (\d+)/.exec(rec.subject)![1]);
      assert.deepEqual(await store.messages.read(rec), childMessage('crash', index), `uid ${rec.uid} byte-exact`);
    }
    const counters = await store.mailboxes.counters(box.id);
    assert.equal(counters.messages, uids.length);
    assert.equal((await store.quota.usage(user.id)).used, counters.size);
    // The killed process's indexer died with it: this one finishes the index.
    await store.textIndexSettled();
    assert.deepEqual(await store.messages.search(box.id, { op: 'body', value: 'crash-' }), uids);
    await store.close();
  });
});

describe('sqlite schema upgrades', () => {
  it('a data directory from before renditions upgrades in place: old bodies have none, new ones do', async () => {
    const dir = tempDir('eider-upgrade-');
    dirs.push(dir);
    const cfg = config(dir.path);
    const renderers = [{ name: 'test.upgrade.1', render: () => Buffer.from('rendered') }];
    let store = new SqliteStore(cfg, { renderers });
    const user = await newUser(store);
    const box = await inbox(store, user);
    await put(store, box, textMessage({ subject: 'old' }), { flags: ['\\Seen'] });
    await store.close();
    // Back to the first core schema, as a data directory written before migrations 2 to 7:
    // the text index was a table of the main database, and there was no text.sqlite.
    const db = new Database(join(dir.path, 'eider.sqlite'));
    db.exec(`ALTER TABLE messages DROP COLUMN saved;
      DROP TABLE text_queue;
      CREATE VIRTUAL TABLE blob_text USING fts5(headers, body, tokenize = 'trigram case_sensitive 0');
      DELETE FROM meta WHERE key = 'text_index_epoch';
      DROP TABLE blob_renditions;
      DROP TRIGGER mailbox_counts_insert;
      DROP TRIGGER mailbox_counts_delete;
      DROP TRIGGER mailbox_counts_update;
      DROP TABLE mailbox_counts;
      DROP TABLE metadata;
      DROP INDEX messages_unseen;
      CREATE INDEX messages_unseen ON messages(mailbox_id, uid) WHERE (sysflags & 1) = 0;
      DELETE FROM schema_migrations WHERE module = 'core' AND version > 1;`);
    db.close();
    rmSync(join(dir.path, 'text.sqlite'));
    store = new SqliteStore(cfg, { renderers });
    await put(store, box, textMessage({ subject: 'new' }));
    const records = await store.messages.getRecords(box.id, [1, 2], { renditions: ['test.upgrade.1'] });
    assert.deepEqual(records.map((r) => r.subject), ['old', 'new']);
    assert.equal(records[0]!.savedDate.getTime(), records[0]!.internalDate.getTime(), 'copies from before the save date answer their internal date');
    assert.deepEqual(records.map((r) => r.rendition('test.upgrade.1')?.toString() ?? null), [null, 'rendered']);
    assert.deepEqual(await store.messages.search(box.id, { op: 'flag', flag: '\\Seen', present: false }), [2]);
    assert.equal(await store.mailboxes.firstUnseen(box.id), 2);
    const counters = await store.mailboxes.counters(box.id);
    assert.deepEqual([counters.messages, counters.unseen], [2, 1], 'counts of messages stored before the upgrade are filled in');
    assert.deepEqual(await store.messages.search(box.id, { op: 'text', value: 'old' }), [1], 'found while its body waits for the new index');
    await store.textIndexSettled();
    assert.deepEqual(await store.messages.search(box.id, { op: 'text', value: 'old' }), [1], 'and found in the rebuilt index');
    assert.deepEqual(await store.messages.search(box.id, { op: 'body', value: 'HELLO, this is' }), [1, 2]);
    // Maintenance renders what the old body lacks, once.
    assert.equal((await store.maintenance.run()).renditionsBackfilled, 1);
    const [old] = await store.messages.getRecords(box.id, [1], { renditions: ['test.upgrade.1'] });
    assert.equal(old?.rendition('test.upgrade.1')?.toString(), 'rendered');
    assert.equal((await store.maintenance.run()).renditionsBackfilled, 0);
    await store.close();
  });

  it('maintenance renders a renderer added later for every stored body, from the stored tree, and skips failures', async () => {
    const dir = tempDir('eider-backfill-');
    dirs.push(dir);
    const cfg = config(dir.path);
    let store = new SqliteStore(cfg);
    const user = await newUser(store);
    const box = await inbox(store, user);
    for (const subject of ['one', 'two', 'skip', 'four']) await put(store, box, textMessage({ subject }));
    await store.close();
    let calls = 0;
    const renderers = [
      {
        name: 'test.later.1',
        render: (parsed: { envelope: { subject: string | null }; root: { type: string } }): Buffer => {
          calls++;
          if (parsed.envelope.subject === 'skip') throw new Error('renderer bug');
          return Buffer.from(`${parsed.root.type}:${parsed.envelope.subject ?? ''}`);
        },
      },
    ];
    store = new SqliteStore(cfg, { renderers });
    const report = await store.maintenance.run();
    assert.equal(report.renditionsBackfilled, 3);
    const records = await store.messages.getRecords(box.id, [1, 2, 3, 4], { renditions: ['test.later.1'] });
    assert.deepEqual(records.map((r) => r.rendition('test.later.1')?.toString() ?? null), ['text:one', 'text:two', null, 'text:four']);
    calls = 0;
    assert.equal((await store.maintenance.run()).renditionsBackfilled, 0);
    assert.equal(calls, 0, 'a body whose render failed is not retried on every run');
    await put(store, box, textMessage({ subject: 'five' }));
    assert.equal(calls, 1, 'rendered at delivery');
    assert.equal((await store.maintenance.run()).renditionsBackfilled, 0);
    await store.close();
  });
});

describe('sqlite full-text index', () => {
  const indexed = (dir: string): number[] => {
    const db = new Database(join(dir, 'text.sqlite'), { readonly: true });
    try {
      return db.prepare<[], { rowid: number }>('SELECT rowid FROM blob_text ORDER BY rowid').all().map((r) => r.rowid);
    } finally {
      db.close();
    }
  };
  const queued = (dir: string): number => {
    const db = new Database(join(dir, 'eider.sqlite'), { readonly: true });
    try {
      return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM text_queue').get()!.n;
    } finally {
      db.close();
    }
  };

  it('is built off the delivery path, loses a body when it is collected, and its applied queue is pruned', async () => {
    const dir = tempDir('eider-text-');
    dirs.push(dir);
    const store = new SqliteStore(config(dir.path));
    const user = await newUser(store);
    const box = await inbox(store, user);
    await put(store, box, textMessage({ body: 'the okapi stays' }));
    await put(store, box, textMessage({ body: 'the okapi leaves' }));
    await store.textIndexSettled();
    const [first, second] = await store.messages.getRecords(box.id, [1, 2]);
    assert.equal(indexed(dir.path).length, 2);
    await store.accounts.deleteUser(user.id);
    await store.maintenance.run(new Date(Date.now() + 2 * 3600 * 1000));
    assert.equal(await store.blobs.exists(first!.blob), false);
    await store.textIndexSettled();
    assert.deepEqual(indexed(dir.path), [], 'collected bodies leave the index');
    await store.maintenance.run(new Date(Date.now() + 2 * 3600 * 1000));
    assert.equal(queued(dir.path), 0, 'applied queue rows are pruned');
    assert.ok(second);
    await store.close();
  });

  it('is rebuilt from the blobs when its file is gone', async () => {
    const dir = tempDir('eider-text-');
    dirs.push(dir);
    const cfg = config(dir.path);
    let store = new SqliteStore(cfg);
    const user = await newUser(store);
    const box = await inbox(store, user);
    for (let i = 0; i < 5; i++) await put(store, box, textMessage({ body: i % 2 ? `odd capybara ${i}` : `even capybara ${i}` }));
    await store.textIndexSettled();
    await store.close();
    for (const f of ['text.sqlite', 'text.sqlite-wal', 'text.sqlite-shm']) rmSync(join(dir.path, f), { force: true });
    store = new SqliteStore(cfg);
    assert.deepEqual(await store.messages.search(box.id, { op: 'body', value: 'ODD CAPYBARA' }), [2, 4], 'exact while the rebuild runs');
    await store.textIndexSettled();
    assert.equal(indexed(dir.path).length, 5);
    assert.deepEqual(await store.messages.search(box.id, { op: 'body', value: 'even capybara' }), [1, 3, 5]);
    await store.close();
  });
});

describe('sqlite blob files', () => {
  it('a file under a body\'s name without a row (a crash before its fsync) is replaced, never trusted', async () => {
    const dir = tempDir('eider-blobname-');
    dirs.push(dir);
    const store = new SqliteStore(config(dir.path));
    const user = await newUser(store);
    const box = await inbox(store, user);
    const raw = textMessage({ body: 'the real bytes' });
    const hash = createHash('sha256').update(raw).digest('hex');
    const path = join(dir.path, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, raw.subarray(0, 10));
    await put(store, box, raw);
    const [rec] = await store.messages.getRecords(box.id, [1]);
    assert.equal(rec!.blob, hash);
    assert.deepEqual(await store.messages.read(rec!), raw, 'the stored bytes are the message, not what was lying there');
    assert.deepEqual(readdirSync(join(dir.path, 'tmp')), [], 'no staging file left');
    await put(store, box, raw);
    assert.equal(await store.blobs.refCount(hash), 2, 'a second copy shares the body');
    await store.close();
  });
});
