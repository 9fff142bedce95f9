/**
 * LMTP delivery throughput, Eider and Dovecot side by side in one run:
 * 50 KB messages, 1 and 10 concurrent connections, 1 and 5 recipients per
 * message, recipients rotating over testuser1..50@localhost.
 *
 *   npm run build && ANCHOR_PERF=1 ../shared/tools/dovecot-up.sh && node dist/bench/lmtp.js
 *
 * Env: BENCH_SECONDS (per case and server, default 10), BENCH_ROUNDS (default
 * 5: each case alternates the servers in rounds of BENCH_SECONDS / rounds, so
 * load from elsewhere on the machine falls on both alike), DOVECOT_LMTP (host:port, default
 * 127.0.0.1:10024; "off" skips it). Eider runs as its own process
 * (`eider start`, LMTP only) on a fresh data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storageSchema } from '../src/config/sections/storage.js';
import { SqliteStore } from '../src/storage/sqlite/engine.js';
import { waitForTextIndex } from './lib/eider.js';
import { benchMessage, BenchLmtpClient } from './lmtp-client.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const USERS = 50;
const SIZE = 50 * 1024;
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

interface Target {
  name: string;
  host: string;
  port: number;
  /**
   * Background work the deliveries left (Eider's full-text indexer), waited
   * for inside the timed span: the rate is what the server sustains, and
   * none of it spills into the other server's round.
   */
  settle?: () => Promise<void>;
}

async function startEider(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const store = new SqliteStore(storageSchema.parse({ dataDir }));
  for (let i = 1; i <= USERS; i++) {
    await store.accounts.createUser({ username: `testuser${i}`, passwordHash: null, address: `testuser${i}@localhost` });
  }
  await store.close();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('EIDER_')) env[k] = v;
  Object.assign(env, {
    EIDER_STORAGE_DATADIR: dataDir,
    EIDER_LMTP_PORT: '0',
    EIDER_IMAP_ENABLED: 'false',
    EIDER_POP3_ENABLED: 'false',
    EIDER_API_ENABLED: 'false',
    EIDER_LOG_LEVEL: 'info',
    EIDER_LOG_FORMAT: 'json',
  });
  const child = spawn(process.execPath, [cli, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    let done = false;
    child.stderr!.on('data', (d: Buffer) => {
      if (done) return;
      log += d.toString();
      const m = /lmtp=[^:"\s]+:(\d+)/.exec(log);
      if (m) {
        done = true;
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`eider exited ${code}: ${log}`)));
  });
}

interface Tally {
  messages: number;
  copies: number;
  seconds: number;
}

/** Runs `connections` clients for `seconds`; returns what they delivered. */
async function run(target: Target, connections: number, rcpts: number, seconds: number): Promise<Tally> {
  const clients = await Promise.all(Array.from({ length: connections }, () => BenchLmtpClient.connect(target.host, target.port)));
  let seq = 0;
  const recipients = (n: number) => Array.from({ length: rcpts }, (_, j) => `testuser${((n * rcpts + j) % USERS) + 1}@localhost`);
  // Warm up: a few deliveries per connection, not counted.
  await Promise.all(clients.map((c) => c.deliver('sender@example.net', recipients(seq++), benchMessage(SIZE, seq))));
  let messages = 0;
  let copies = 0;
  const start = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (Date.now() < end) {
        const n = seq++;
        const ok = await c.deliver('sender@example.net', recipients(n), benchMessage(SIZE, n));
        if (ok !== rcpts) throw new Error(`${target.name}: ${ok}/${rcpts} recipients accepted`);
        messages++;
        copies += ok;
      }
    }),
  );
  if (target.settle) await target.settle();
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(clients.map((c) => c.quit()));
  return { messages, copies, seconds: secs };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eider-bench-lmtp-'));
  const eider = await startEider(dataDir);
  const targets: Target[] = [{ name: 'eider', host: '127.0.0.1', port: eider.port, settle: () => waitForTextIndex(dataDir, 20) }];
  const dovecot = process.env.DOVECOT_LMTP ?? '127.0.0.1:10024';
  if (dovecot !== 'off') {
    const [host, port] = dovecot.split(':');
    targets.push({ name: 'dovecot', host: host!, port: Number(port) });
  }
  const rows: string[] = [];
  try {
    for (const [connections, rcpts] of [
      [1, 1],
      [1, 5],
      [10, 1],
      [10, 5],
    ] as const) {
      const tally: Record<string, Tally> = {};
      for (const t of targets) tally[t.name] = { messages: 0, copies: 0, seconds: 0 };
      // Alternating rounds (order flipped each round), so both servers see the same machine state.
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const t of order) {
          const r = await run(t, connections, rcpts, SECONDS / ROUNDS);
          const sum = tally[t.name]!;
          sum.messages += r.messages;
          sum.copies += r.copies;
          sum.seconds += r.seconds;
        }
      }
      const rate = (t: Tally | undefined) => (t ? { messages: t.messages / t.seconds, copies: t.copies / t.seconds } : undefined);
      const e = rate(tally.eider)!;
      const d = rate(tally.dovecot);
      const ratio = d ? (e.messages / d.messages).toFixed(2) : 'n/a';
      const row = `| ${connections} | ${rcpts} | ${e.messages.toFixed(0)} (${e.copies.toFixed(0)}) | ${d ? `${d.messages.toFixed(0)} (${d.copies.toFixed(0)})` : 'n/a'} | ${ratio} |`;
      rows.push(row);
      console.error(row);
    }
  } finally {
    eider.child.kill('SIGTERM');
    await new Promise((r) => eider.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('| connections | recipients/message | Eider msg/s (copies/s) | Dovecot msg/s (copies/s) | ratio |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
