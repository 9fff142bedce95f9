/**
 * Records the reference Dovecot's exact FETCH answers for the MIME corpus
 * (test/fixtures/mime/*.eml, shared with the MIME scanner tests, plus the
 * IMAP-only additions in test/fixtures/imap/corpus/*.eml) into
 * test/fixtures/imap/dovecot/<name>.json,
 * which test/imap/fetch/dovecot-corpus.test.ts replays against Eider.
 *
 * Run by hand (never part of the test suite), from the repository root:
 *   ANCHOR_PERF=1 ../shared/tools/dovecot-up.sh
 *   npx tsc -p tsconfig.json --outDir .build/x && node .build/x/bench/record-dovecot-answers.js
 * Options (env): DOVECOT_HOST (127.0.0.1), DOVECOT_PORT (10143), DOVECOT_USER
 * (testuser40; its INBOX is wiped), DOVECOT_PASS (pass), CORPUS (a name filter),
 * DOVECOT_VERSION (recorded as the server; e.g. "$(dovecot --version)").
 *
 * One FETCH per item, so that each answer is exactly `(<name> <value>)` with
 * Dovecot's own choice of quoted string, literal or NIL, byte for byte.
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { basename, join } from 'node:path';
import { parseMessageBuffer } from '../src/mime/scanner.js';
import type { MimePart } from '../src/mime/types.js';

const HOST = process.env.DOVECOT_HOST ?? '127.0.0.1';
const PORT = Number(process.env.DOVECOT_PORT ?? '10143');
const USER = process.env.DOVECOT_USER ?? 'testuser40';
const PASS = process.env.DOVECOT_PASS ?? 'pass';
const CORPUS_DIRS = ['test/fixtures/mime', 'test/fixtures/imap/corpus'];
const OUT_DIR = 'test/fixtures/imap/dovecot';

interface Tagged {
  status: string;
  text: string;
  untagged: Buffer[];
}

/** Just enough IMAP client to send commands and collect responses with their literals intact. */
class RawImap {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private closed = false;
  private seq = 0;

  constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static open(): Promise<RawImap> {
    return new Promise((resolve, reject) => {
      const s = connect(PORT, HOST, () => resolve(new RawImap(s)));
      s.once('error', reject);
    });
  }

  private async more(): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
  }

  /** One response: a line plus the literals it announces, without the final CRLF. */
  async response(): Promise<Buffer> {
    let pos = 0;
    for (;;) {
      const eol = this.buf.indexOf('\r\n', pos);
      if (eol < 0) {
        await this.more();
        continue;
      }
      const m = /\{(\d+)\}$/.exec(this.buf.toString('latin1', Math.max(pos, eol - 24), eol));
      if (m === null) {
        const out = this.buf.subarray(0, eol);
        this.buf = this.buf.subarray(eol + 2);
        return Buffer.from(out);
      }
      const need = eol + 2 + Number(m[1]);
      while (this.buf.length < need) await this.more();
      pos = need;
    }
  }

  async command(text: string | Buffer): Promise<Tagged> {
    const tag = `R${++this.seq}`;
    this.socket.write(Buffer.concat([Buffer.from(`${tag} `), Buffer.isBuffer(text) ? text : Buffer.from(text), Buffer.from('\r\n')]));
    const untagged: Buffer[] = [];
    for (;;) {
      const r = await this.response();
      const line = r.toString('latin1');
      if (line.startsWith(`${tag} `)) {
        const [, status = '', rest = ''] = /^\S+ (\S+) ?(.*)$/.exec(line) ?? [];
        return { status, text: rest, untagged };
      }
      untagged.push(r);
    }
  }

  close(): void {
    this.socket.end();
  }
}

/** IMAP part numbers of every part (RFC 3501 §6.4.5), embedded messages included. */
function partNumbers(root: MimePart): Array<{ number: string; part: MimePart }> {
  const out: Array<{ number: string; part: MimePart }> = [];
  const messageContext = (body: MimePart, prefix: string): void => {
    if (body.type === 'multipart') {
      (body.children ?? []).forEach((c, i) => visit(c, prefix === '' ? String(i + 1) : `${prefix}.${i + 1}`));
    } else {
      visit(body, prefix === '' ? '1' : `${prefix}.1`);
    }
  };
  const visit = (part: MimePart, number: string): void => {
    out.push({ number, part });
    if (part.type === 'multipart') {
      (part.children ?? []).forEach((c, i) => visit(c, `${number}.${i + 1}`));
    } else if (part.message !== undefined) {
      messageContext(part.message.root, number);
    }
  };
  messageContext(root, '');
  return out;
}

function itemsFor(raw: Buffer): string[] {
  const parsed = parseMessageBuffer(raw);
  const size = raw.length;
  const items = [
    'ENVELOPE',
    'BODYSTRUCTURE',
    'BODY',
    'RFC822.SIZE',
    'RFC822.HEADER',
    'BODY.PEEK[]',
    'BODY.PEEK[HEADER]',
    'BODY.PEEK[TEXT]',
    'BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]',
    'BODY.PEEK[HEADER.FIELDS (subject from x-missing)]',
    'BODY.PEEK[HEADER.FIELDS.NOT (FROM SUBJECT)]',
    'BODY.PEEK[HEADER.FIELDS (X-NOT-THERE)]',
    'BODY.PEEK[1]',
    'BODY.PEEK[1.MIME]',
    'BODY.PEEK[1.HEADER]',
    'BODY.PEEK[1.TEXT]',
    'BODY.PEEK[99]',
    'BODY.PEEK[99.MIME]',
    'BODY.PEEK[1.99]',
    'BINARY.PEEK[]',
    'BINARY.SIZE[]',
    'BINARY.PEEK[1]',
    'BINARY.SIZE[1]',
    'BINARY.PEEK[99]',
    'BODY.PEEK[]<0.10>',
    `BODY.PEEK[]<${Math.max(0, size - 5)}.10>`,
    `BODY.PEEK[]<${size}.10>`,
    `BODY.PEEK[]<${size + 100}.10>`,
    'BODY.PEEK[HEADER]<0.5>',
    'BODY.PEEK[TEXT]<3.7>',
    'BODY.PEEK[1]<2.1000000>',
    'BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<2.10>',
    'BINARY.PEEK[1]<1.5>',
  ];
  for (const { number, part } of partNumbers(parsed.root)) {
    items.push(`BODY.PEEK[${number}]`, `BODY.PEEK[${number}.MIME]`, `BODY.PEEK[${number}]<1.4>`);
    if (part.message !== undefined) {
      items.push(`BODY.PEEK[${number}.HEADER]`, `BODY.PEEK[${number}.TEXT]`, `BODY.PEEK[${number}.HEADER.FIELDS (FROM SUBJECT)]`);
    }
    items.push(`BINARY.PEEK[${number}]`, `BINARY.SIZE[${number}]`);
  }
  return [...new Set(items)];
}

export interface RecordedAnswer {
  /** The fetch attribute as sent, e.g. `BODY.PEEK[1.MIME]`. */
  item: string;
  /** Tagged status of the FETCH. */
  status: string;
  /** Tagged response text (for NO/BAD: what Dovecot said). */
  text: string;
  /** `(<name> <value>)` as Dovecot sent it after `* n FETCH `, or null when there was none. */
  response: string | null;
  /** How `response` encodes the bytes: `utf8` when they are valid UTF-8, else `base64`. */
  encoding: 'utf8' | 'base64';
}

export interface RecordedMessage {
  message: string;
  server: string;
  recorded: string;
  answers: RecordedAnswer[];
}

function encode(bytes: Buffer): { response: string; encoding: 'utf8' | 'base64' } {
  const utf8 = bytes.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(bytes) ? { response: utf8, encoding: 'utf8' } : { response: bytes.toString('base64'), encoding: 'base64' };
}

async function main(): Promise<void> {
  const filter = process.env.CORPUS ?? '';
  const files = CORPUS_DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.eml') && f.includes(filter)).map((f) => join(dir, f)))
    .sort((a, b) => basename(a).localeCompare(basename(b)));
  const imap = await RawImap.open();
  const greeting = (await imap.response()).toString('latin1');
  const login = await imap.command(`LOGIN ${USER} ${PASS}`);
  if (login.status !== 'OK') throw new Error(`login failed: ${login.text}`);
  // The greeting does not name the version; pass `DOVECOT_VERSION="$(dovecot --version)"` to record it.
  const server = process.env.DOVECOT_VERSION ? `Dovecot ${process.env.DOVECOT_VERSION}` : greeting.replace(/^\* OK /, '');
  await imap.command('SELECT INBOX');
  // Wipe only this user's INBOX (the brief reserves testuser40 for this recording).
  await imap.command('STORE 1:* +FLAGS.SILENT (\\Deleted)');
  await imap.command('EXPUNGE');
  for (const f of files) {
    const raw = readFileSync(f);
    const r = await imap.command(Buffer.concat([Buffer.from(`APPEND INBOX (\\Seen) "05-Mar-2024 10:00:00 +0000" {${raw.length}+}\r\n`), raw]));
    if (r.status !== 'OK') throw new Error(`APPEND ${f}: ${r.text}`);
  }
  await imap.command('SELECT INBOX');
  mkdirSync(OUT_DIR, { recursive: true });
  let seq = 0;
  for (const f of files) {
    seq++;
    const raw = readFileSync(f);
    const name = basename(f);
    const answers: RecordedAnswer[] = [];
    for (const item of itemsFor(raw)) {
      const r = await imap.command(`FETCH ${seq} (${item})`);
      const prefix = `* ${seq} FETCH `;
      const data = r.untagged.find((u) => u.toString('latin1', 0, prefix.length) === prefix);
      // A refused FETCH may still carry `* n FETCH (UID n)`; only the status matters then.
      const body = data === undefined || r.status !== 'OK' ? null : encode(data.subarray(prefix.length));
      // Dovecot appends its timing, e.g. "(0.001 + 0.000 secs)."; drop it so that re-recording changes nothing.
      const text = r.text.replace(/ \([0-9.]+( \+ [0-9.]+)+ secs\)\.$/, '.');
      answers.push({ item, status: r.status, text, response: body?.response ?? null, encoding: body?.encoding ?? 'utf8' });
    }
    const out: RecordedMessage = { message: name, server, recorded: new Date().toISOString().slice(0, 10), answers };
    writeFileSync(join(OUT_DIR, name.replace(/\.eml$/, '.json')), `${JSON.stringify(out, null, 1)}\n`);
    console.log(`${name}: ${answers.length} answers`);
  }
  await imap.command('LOGOUT');
  imap.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
