/**
 * POP3 benchmark (issue #5): RETR throughput on a 10,000-message maildrop,
 * Eider and Dovecot side by side in the same run. Run by hand:
 *
 *   ANCHOR_PERF=1 ../shared/tools/dovecot-up.sh
 *   npm run build && node dist/bench/pop3.js [--count 10000] [--rounds 3] [--no-dovecot]
 *
 * The maildrop comes from ../shared/tools/make-mbox.py (cached under /tmp):
 * Eider's is filled through the storage API in a persistent data directory,
 * Dovecot's through its LMTP; later runs reuse both. Each round logs in
 * (snapshot of the whole maildrop), lists UIDL, RETRs every message one at a
 * time and then with 8 in flight (PIPELINING), then QUITs without DELE.
 * The two servers take turns round by round.
 * Prints a Markdown table for docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { openStore } from '../src/storage/index.js';
import { spoolBuffer } from '../src/storage/ingest.js';
import { startEider } from './lib/eider.js';
import { readMbox } from './lib/mbox.js';
import { fmt, ms, table, type Row } from './lib/report.js';
import { BenchPop3Client } from './pop3-client.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    window: { type: 'string', default: '8' },
    mbox: { type: 'string' },
    'no-dovecot': { type: 'boolean', default: false },
    'dovecot-port': { type: 'string', default: '10110' },
    'dovecot-lmtp-port': { type: 'string', default: '10024' },
    'dovecot-user': { type: 'string', default: 'testuser49' },
    'data-dir': { type: 'string' },
  },
});
const COUNT = Number(values.count);
const ROUNDS = Number(values.rounds);
const WINDOW = Number(values.window);
const MBOX = values.mbox ?? `/tmp/eider-bench-pop3-${COUNT}.mbox`;
const DATA_DIR = values['data-dir'] ?? `/tmp/eider-bench-pop3-${COUNT}`;
const USER = 'pop3bench';
const PASS = 'pass';

function ensureMbox(): void {
  if (existsSync(MBOX)) return;
  console.error(`bench: generating ${COUNT} messages into ${MBOX} (make-mbox.py)`);
  const tool = join(packageRoot(), '..', 'shared', 'tools', 'make-mbox.py');
  const r = spawnSync('python3', [tool, String(COUNT), MBOX], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('make-mbox.py failed');
}

async function statCount(port: number, user: string): Promise<number> {
  const c = await BenchPop3Client.connect('127.0.0.1', port);
  await c.login(user, PASS);
  const r = await c.command('STAT', false);
  await c.quit();
  return Number(r.first.split(' ')[1]);
}

/** Fills Eider's INBOX through the storage API (the data directory is shared with the running server). */
async function fillEider(port: number): Promise<void> {
  const have = await statCount(port, USER);
  if (have === COUNT) return;
  if (have !== 0) throw new Error(`Eider maildrop has ${have} messages, expected 0 or ${COUNT}: remove ${DATA_DIR}`);
  console.error(`bench: storing ${COUNT} messages in Eider`);
  const store = openStore(configSchema.parse({ storage: { dataDir: DATA_DIR } }).storage);
  try {
    const user = await store.accounts.getUserByUsername(USER);
    const inbox = user && (await store.mailboxes.getMailbox(user.id, 'INBOX'));
    if (!inbox) throw new Error('bench user or INBOX missing');
    let n = 0;
    for await (const raw of readMbox(MBOX)) {
      const spooled = await spoolBuffer(store.blobs, raw);
      try {
        await store.messages.append(inbox.id, { blob: spooled.blob, parsed: spooled.parsed });
      } finally {
        await store.blobs.release(spooled.blob);
      }
      if (++n % 2000 === 0) console.error(`bench: eider ${n}`);
    }
  } finally {
    await store.close();
  }
}

/** A tiny LMTP client (RFC 2033): one message per transaction, dot-stuffed. */
async function fillDovecot(pop3Port: number, lmtpPort: number, user: string): Promise<void> {
  const have = await statCount(pop3Port, user);
  if (have === COUNT) return;
  if (have !== 0) {
    console.error(`bench: Dovecot maildrop has ${have} messages; deleting them`);
    const c = await BenchPop3Client.connect('127.0.0.1', pop3Port);
    await c.login(user, PASS);
    await Promise.all(Array.from({ length: have }, (_, i) => c.command(`DELE ${i + 1}`, false)));
    await c.quit();
  }
  console.error(`bench: delivering ${COUNT} messages to Dovecot over LMTP`);
  const socket = connect({ host: '127.0.0.1', port: lmtpPort });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
  let buf = '';
  const lines: string[] = [];
  let waiter: (() => void) | null = null;
  socket.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (!/^\d{3}-/.test(line)) lines.push(line);
    }
    waiter?.();
  });
  const reply = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>((resolve) => (waiter = resolve));
    return lines.shift()!;
  };
  const expect = async (code: string) => {
    const l = await reply();
    if (!l.startsWith(code)) throw new Error(`LMTP: ${l}`);
  };
  await expect('220');
  socket.write('LHLO bench.example\r\n');
  await expect('250');
  let n = 0;
  for await (const raw of readMbox(MBOX)) {
    socket.write(`MAIL FROM:<bench@example.net>\r\nRCPT TO:<${user}@localhost>\r\nDATA\r\n`);
    await expect('250');
    await expect('250');
    await expect('354');
    const stuffed = raw.toString('latin1').replace(/^\./gm, '..');
    socket.write(Buffer.from(`${stuffed}.\r\n`, 'latin1'));
    await expect('250');
    if (++n % 2000 === 0) console.error(`bench: dovecot ${n}`);
  }
  socket.write('QUIT\r\n');
  socket.end();
}

interface RoundResult {
  /** Server CPU (user + system) over both RETR passes, ms. */
  cpuMs: number;
  loginMs: number;
  uidlMs: number;
  seqMsgs: number;
  seqBytes: number;
  seqMs: number;
  pipeMsgs: number;
  pipeBytes: number;
  pipeMs: number;
  quitMs: number;
}

/** CPU time (user + system) of these processes so far, ms (Linux /proc). */
function cpuMs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const CLOCK_TICKS = 100;

/** Dovecot's pop3 worker processes (the one serving the bench connection among them). */
function dovecotPop3Pids(): number[] {
  const r = spawnSync('pgrep', ['-f', 'dovecot-anchor/pop3$'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

async function round(port: number, user: string, pids: () => number[]): Promise<RoundResult> {
  const c = await BenchPop3Client.connect('127.0.0.1', port);
  let t = process.hrtime.bigint();
  await c.login(user, PASS);
  const stat = await c.command('STAT', false);
  const loginMs = ms(t);
  const count = Number(stat.first.split(' ')[1]);
  if (count !== COUNT) throw new Error(`expected ${COUNT} messages, STAT says ${stat.first}`);
  t = process.hrtime.bigint();
  const uidl = await c.command('UIDL', true);
  if (!uidl.ok) throw new Error(`UIDL: ${uidl.first}`);
  const uidlMs = ms(t);

  const servers = pids();
  const cpuBefore = cpuMs(servers);
  t = process.hrtime.bigint();
  let seqBytes = 0;
  for (let i = 1; i <= count; i++) {
    const r = await c.command(`RETR ${i}`, true);
    if (!r.ok) throw new Error(`RETR ${i}: ${r.first}`);
    seqBytes += r.bytes;
  }
  const seqMs = ms(t);

  t = process.hrtime.bigint();
  let pipeBytes = 0;
  let next = 1;
  const worker = async () => {
    while (next <= count) {
      const i = next++;
      const r = await c.command(`RETR ${i}`, true);
      if (!r.ok) throw new Error(`RETR ${i}: ${r.first}`);
      pipeBytes += r.bytes;
    }
  };
  // Responses come back in order, so WINDOW workers keep WINDOW commands in flight.
  await Promise.all(Array.from({ length: WINDOW }, worker));
  const pipeMs = ms(t);
  const cpu = cpuMs(servers) - cpuBefore;

  t = process.hrtime.bigint();
  await c.quit();
  const quitMs = ms(t);
  return { cpuMs: cpu, loginMs, uidlMs, seqMsgs: count, seqBytes, seqMs, pipeMsgs: count, pipeBytes, pipeMs, quitMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Summary {
  loginMs: number;
  uidlMs: number;
  seqRate: number;
  seqMBs: number;
  pipeRate: number;
  pipeMBs: number;
  quitMs: number;
  mb: number;
  cpuPerRetrUs: number;
}

function summarize(rounds: RoundResult[]): Summary {
  return {
    loginMs: median(rounds.map((r) => r.loginMs)),
    uidlMs: median(rounds.map((r) => r.uidlMs)),
    seqRate: median(rounds.map((r) => r.seqMsgs / (r.seqMs / 1000))),
    seqMBs: median(rounds.map((r) => r.seqBytes / 1e6 / (r.seqMs / 1000))),
    pipeRate: median(rounds.map((r) => r.pipeMsgs / (r.pipeMs / 1000))),
    pipeMBs: median(rounds.map((r) => r.pipeBytes / 1e6 / (r.pipeMs / 1000))),
    quitMs: median(rounds.map((r) => r.quitMs)),
    mb: rounds[0]!.seqBytes / 1e6,
    cpuPerRetrUs: median(rounds.map((r) => (r.cpuMs * 1000) / (r.seqMsgs + r.pipeMsgs))),
  };
}

interface Target {
  name: string;
  port: number;
  user: string;
  pids: () => number[];
  rounds: RoundResult[];
}

/** A warm-up round each, then the servers take turns, so background load on the machine hits both alike. */
async function measure(targets: Target[]): Promise<void> {
  for (const t of targets) {
    console.error(`bench: ${t.name}: warm-up round`);
    await round(t.port, t.user, t.pids);
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const t of targets) {
      const r = await round(t.port, t.user, t.pids);
      console.error(
        `bench: ${t.name} round ${i + 1}: login+STAT ${fmt(r.loginMs)} ms, UIDL ${fmt(r.uidlMs)} ms, ` +
          `RETR ${fmt(r.seqMsgs / (r.seqMs / 1000))} msg/s, pipelined ${fmt(r.pipeMsgs / (r.pipeMs / 1000))} msg/s, ` +
          `server CPU ${fmt((r.cpuMs * 1000) / (r.seqMsgs + r.pipeMsgs))} µs/RETR`,
      );
      t.rounds.push(r);
    }
  }
}

async function main(): Promise<void> {
  ensureMbox();
  const eider = await startEider({
    dataDir: DATA_DIR,
    user: USER,
    pass: PASS,
    env: { EIDER_IMAP_ENABLED: 'false', EIDER_LMTP_ENABLED: 'false', EIDER_API_ENABLED: 'false' },
  });
  try {
    await fillEider(eider.pop3Port);
    const targets: Target[] = [{ name: 'eider', port: eider.pop3Port, user: USER, pids: () => [eider.pid], rounds: [] }];
    if (!values['no-dovecot']) {
      const port = Number(values['dovecot-port']);
      await fillDovecot(port, Number(values['dovecot-lmtp-port']), values['dovecot-user']);
      targets.push({ name: 'dovecot', port, user: values['dovecot-user'], pids: dovecotPop3Pids, rounds: [] });
    }
    await measure(targets);
    const e = summarize(targets[0]!.rounds);
    const d = targets[1] ? summarize(targets[1].rounds) : null;
    const rows: Row[] = [
      { operation: 'USER/PASS + STAT (maildrop snapshot)', eider: e.loginMs, dovecot: d?.loginMs ?? null, unit: 'ms', higherIsBetter: false },
      { operation: 'UIDL (all messages)', eider: e.uidlMs, dovecot: d?.uidlMs ?? null, unit: 'ms', higherIsBetter: false },
      { operation: 'RETR, one at a time', eider: e.seqRate, dovecot: d?.seqRate ?? null, unit: 'msg/s', higherIsBetter: true },
      { operation: 'RETR, one at a time', eider: e.seqMBs, dovecot: d?.seqMBs ?? null, unit: 'MB/s', higherIsBetter: true },
      { operation: `RETR, ${WINDOW} pipelined`, eider: e.pipeRate, dovecot: d?.pipeRate ?? null, unit: 'msg/s', higherIsBetter: true },
      { operation: `RETR, ${WINDOW} pipelined`, eider: e.pipeMBs, dovecot: d?.pipeMBs ?? null, unit: 'MB/s', higherIsBetter: true },
      { operation: 'server CPU per RETR', eider: e.cpuPerRetrUs, dovecot: d?.cpuPerRetrUs ?? null, unit: 'µs', higherIsBetter: false },
      { operation: 'QUIT (no DELE)', eider: e.quitMs, dovecot: d?.quitMs ?? null, unit: 'ms', higherIsBetter: false },
    ];
    console.log(
      `\n${COUNT.toLocaleString('en-US')} messages, ${fmt(e.mb)} MB on the wire per pass (Eider; Dovecot ${d ? fmt(d.mb) : 'n/a'} MB); ` +
        `median of ${ROUNDS} alternating rounds after a warm-up; ${cpus().length} cores, Node ${process.versions.node}\n`,
    );
    console.log(table(rows));
  } finally {
    await eider.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
