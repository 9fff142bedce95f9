/**
 * IMAP benchmark: Eider and Dovecot side by side on one 100,000-message
 * mailbox (issue #4). Run by hand:
 *
 *   ANCHOR_PERF=1 ../shared/tools/dovecot-up.sh
 *   npm run build && node dist/bench/imap.js [--count 100000] [--mbox FILE] [--no-dovecot] [--warmup 10] [--warm-seconds 3] [--rounds 1]
 *
 * --rounds N measures both servers N times, alternating which goes first, and
 * keeps each row's best (peak RSS: the highest), so a slow phase of the
 * machine does not land on one server only.
 *
 * The mailbox is generated with ../shared/tools/make-mbox.py (cached under
 * /tmp) and APPENDed to both servers once; later runs reuse the filled
 * mailboxes. Prints a Markdown table for docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BenchImapClient } from './lib/imap-client.js';
import { readMbox } from './lib/mbox.js';
import { fmt, ms, table, type Row } from './lib/report.js';
import { startEider, type EiderProcess } from './lib/eider.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    mbox: { type: 'string' },
    'no-dovecot': { type: 'boolean', default: false },
    'dovecot-port': { type: 'string', default: '10143' },
    'dovecot-user': { type: 'string', default: 'testuser50' },
    'data-dir': { type: 'string' },
    word: { type: 'string', default: 'invoice' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    'warm-seconds': { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
  },
});
/**
 * Untimed runs before each timed operation, on both servers: at least
 * `--warmup` of them and at least `--warm-seconds` of them, so the figures
 * are steady-state latencies. A freshly started Eider runs its first
 * commands in V8's interpreter, and V8 compiles a function that runs once
 * per command (the reader, the dispatcher) only after a few thousand
 * commands, on its background threads: a 100-message FETCH measured after
 * ten runs was 2-6 times slower, and spent a third of its CPU compiling,
 * which says nothing about a server that has been up for a while.
 */
const WARMUP = Number(values.warmup);
const WARM_MS = Number(values['warm-seconds']) * 1000;
const COUNT = Number(values.count);
const MBOX = values.mbox ?? `/tmp/eider-bench-${COUNT}.mbox`;
/** A mailbox of its own, so other users of the reference server's INBOX do not disturb the figures. */
const BOX = `Bench${COUNT}`;

interface Target {
  name: 'eider' | 'dovecot';
  port: number;
  user: string;
  pass: string;
  /** Peak RSS of the server process(es) in MB, read after the run. */
  rss: () => number;
  /** Peak RSS summed over the server's processes serving IMAP (shared pages counted once per process). */
  rssTotal: () => number;
}

function ensureMbox(): void {
  if (existsSync(MBOX)) return;
  console.error(`bench: generating ${COUNT} messages into ${MBOX} (make-mbox.py)`);
  const r = spawnSync('python3', [new URL('../../../shared/tools/make-mbox.py', import.meta.url).pathname, String(COUNT), MBOX, '--no-large'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('make-mbox.py failed');
}

async function login(t: Target): Promise<BenchImapClient> {
  const c = await BenchImapClient.connect('127.0.0.1', t.port);
  await c.command(`LOGIN ${t.user} ${t.pass}`);
  return c;
}

async function fill(t: Target): Promise<void> {
  const c = await login(t);
  await c.command(`CREATE ${BOX}`).catch(() => undefined);
  const status = await c.command(`STATUS ${BOX} (MESSAGES)`);
  const have = Number(/MESSAGES (\d+)/.exec(status.untagged.join(' '))?.[1] ?? 0);
  if (have >= COUNT) {
    await c.close();
    return;
  }
  if (have > 0) throw new Error(`${t.name}: ${BOX} has ${have} messages, want 0 or ${COUNT}; delete it`);
  console.error(`bench: appending ${COUNT} messages to ${t.name}`);
  const start = process.hrtime.bigint();
  const window: Array<Promise<unknown>> = [];
  let n = 0;
  for await (const msg of readMbox(MBOX)) {
    window.push(c.append(BOX, msg));
    if (window.length >= 32) await window.shift();
    if (++n % 10000 === 0) console.error(`  ${n} (${fmt(n / (ms(start) / 1000), 0)} msg/s)`);
    if (n >= COUNT) break;
  }
  await Promise.all(window);
  console.error(`bench: ${t.name} filled in ${fmt(ms(start) / 1000)} s`);
  await c.close();
}

/** Best of `repeat` after the warm-up runs (`warmup` sets fewer for operations that take seconds on one server). */
async function timed(fn: () => Promise<unknown>, repeat = 5, warmup = WARMUP): Promise<number> {
  const warmUntil = Date.now() + WARM_MS;
  for (let i = 0; i < warmup || Date.now() < warmUntil; i++) await fn();
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    await fn();
    best = Math.min(best, ms(start));
  }
  return best;
}

function randomSeqs(n: number, max: number, seed: number): number[] {
  let x = seed;
  const out = new Set<number>();
  while (out.size < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.add((x % max) + 1);
  }
  return [...out].sort((a, b) => a - b);
}

async function measure(t: Target): Promise<Record<string, number>> {
  const c = await login(t);
  const r: Record<string, number> = {};
  r.select = await timed(() => c.command(`SELECT ${BOX}`));
  r.fetchFlags = await timed(() => c.command('UID FETCH 1:* (UID FLAGS)'));
  const seqs = randomSeqs(100, COUNT, 7).join(',');
  r.bodystructure = await timed(() => c.command(`FETCH ${seqs} (BODYSTRUCTURE)`));
  r.searchText = await timed(() => c.command(`SEARCH TEXT "${values.word}"`), 2, 1);
  const hits = (await c.command(`SEARCH TEXT "${values.word}"`)).untagged.join(' ').split(' ').length - 2;
  r.searchHits = hits;
  r.store = await timed(async () => {
    await c.command('UID STORE 1:10000 +FLAGS.SILENT (\\Flagged)');
    await c.command('UID STORE 1:10000 -FLAGS.SILENT (\\Flagged)');
  }, 2, 2);
  r.store /= 2;
  await c.close();
  r.mixed = await mixed(t, 10, Number(values.seconds));
  r.rss = t.rss();
  r.rssTotal = t.rssTotal();
  return r;
}

/**
 * 10 clients, each looping over a typical MUA mix; returns total commands per
 * second. The clock starts once every client is logged in and has selected
 * the mailbox: LOGIN's password hashing (argon2id for Eider) is not part of
 * the mix being measured.
 */
async function mixed(t: Target, clients: number, seconds: number): Promise<number> {
  const sessions = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = await login(t);
      await c.command(`SELECT ${BOX}`);
      return c;
    }),
  );
  const deadline = Date.now() + seconds * 1000;
  let ops = 0;
  await Promise.all(
    sessions.map(async (c, i) => {
      let k = i * 7919;
      while (Date.now() < deadline) {
        k = (k * 48271) % 2147483647;
        const seq = (k % (COUNT - 20)) + 1;
        await c.command(`FETCH ${seq}:${seq + 19} (UID FLAGS RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS (DATE FROM SUBJECT)])`);
        await c.command(`STORE ${seq} ${k % 2 ? '+' : '-'}FLAGS.SILENT (\\Seen)`);
        await c.command('SEARCH UNSEEN SINCE 1-Jan-2024');
        await c.command(`FETCH ${seq} BODY.PEEK[]`);
        await c.command('NOOP');
        ops += 5;
      }
      await c.close();
    }),
  );
  return ops / seconds;
}

function procHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Dovecot's imap processes ("dovecot/imap", or "<instance>/imap" for a named instance), not imap-login. */
function dovecotImapPids(): number[] {
  const r = spawnSync('pgrep', ['-f', '^dovecot[^ ]*/imap( |$)'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

function dovecotImapHwm(): number {
  return Math.max(0, ...dovecotImapPids().map(procHwm));
}

function dovecotImapHwmSum(): number {
  return dovecotImapPids().reduce((sum, pid) => sum + procHwm(pid), 0);
}

async function main(): Promise<void> {
  ensureMbox();
  const eider: EiderProcess = await startEider({ dataDir: values['data-dir'] ?? `/tmp/eider-bench-imap-${COUNT}`, user: 'bench', pass: 'pass' });
  const targets: Target[] = [{ name: 'eider', port: eider.imapPort, user: 'bench', pass: 'pass', rss: () => procHwm(eider.pid), rssTotal: () => procHwm(eider.pid) }];
  if (!values['no-dovecot']) {
    targets.push({ name: 'dovecot', port: Number(values['dovecot-port']), user: values['dovecot-user'], pass: 'pass', rss: dovecotImapHwm, rssTotal: dovecotImapHwmSum });
  }
  try {
    for (const t of targets) await fill(t);
    const indexWait = process.hrtime.bigint();
    await eider.textIndexSettled();
    console.error(`bench: eider text index settled after ${fmt(ms(indexWait) / 1000)} s`);
    const results: Record<string, Record<string, number>> = {};
    const rounds = Math.max(1, Number(values.rounds));
    for (let round = 0; round < rounds; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        console.error(`bench: measuring ${t.name} (round ${round + 1} of ${rounds})`);
        const r = await measure(t);
        const best = results[t.name];
        if (!best) {
          results[t.name] = r;
          continue;
        }
        for (const [k, v] of Object.entries(r)) {
          const higher = k === 'mixed' || k === 'rss' || k === 'rssTotal' || k === 'searchHits';
          best[k] = higher ? Math.max(best[k] ?? v, v) : Math.min(best[k] ?? v, v);
        }
      }
    }
    const e = results.eider!;
    const d = results.dovecot ?? null;
    const row = (operation: string, key: string, unit: string, higherIsBetter = false): Row => ({
      operation,
      eider: e[key]!,
      dovecot: d ? d[key]! : null,
      unit,
      higherIsBetter,
    });
    console.log(`\n${COUNT.toLocaleString('en-US')} messages in one mailbox; SEARCH TEXT "${values.word}" matches ${e.searchHits} (Eider) / ${d?.searchHits ?? 'n/a'} (Dovecot)\n`);
    console.log(
      table([
        row('SELECT (100k-message mailbox)'.replace('100k', COUNT.toLocaleString('en-US')), 'select', 'ms'),
        row('UID FETCH 1:* (UID FLAGS)', 'fetchFlags', 'ms'),
        row('FETCH 100 × BODYSTRUCTURE', 'bodystructure', 'ms'),
        row(`SEARCH TEXT "${values.word}"`, 'searchText', 'ms'),
        row('UID STORE 10,000 flags', 'store', 'ms'),
        row('10 clients, mixed workload', 'mixed', 'cmd/s', true),
        row('peak RSS (server; Dovecot: largest imap process)', 'rss', 'MB'),
        row('peak RSS (server; Dovecot: sum of imap processes)', 'rssTotal', 'MB'),
      ]),
    );
  } finally {
    await eider.stop();
  }
}

await main();
