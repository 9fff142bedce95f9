/**
 * A minimal pipelining IMAP client for benchmarks: sends tagged commands and
 * collects the untagged data up to the tagged completion, parsing literals in
 * responses so byte counts are exact. Deliberately tiny: the point is to put
 * as little client overhead as possible between the two servers measured.
 */
import { connect, type Socket } from 'node:net';

export interface Completion {
  status: string;
  text: string;
  /** Untagged response lines (literal bodies elided), in order. */
  untagged: string[];
  /** Bytes received for this command. */
  bytes: number;
}

export class BenchImapClient {
  private buf: Buffer = Buffer.alloc(0);
  private pending = new Map<string, { resolve: (c: Completion) => void; reject: (e: Error) => void }>();
  private order: string[] = [];
  private untagged: string[] = [];
  private bytes = 0;
  private seq = 0;
  private literalLeft = 0;
  private greeting: ((line: string) => void) | null = null;
  private continuation: (() => void) | null = null;
  private closedErr: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.fail(new Error('connection closed')));
    socket.on('error', (e) => this.fail(e));
  }

  static async connect(host: string, port: number): Promise<BenchImapClient> {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const client = new BenchImapClient(socket);
    await new Promise<void>((resolve, reject) => {
      client.greeting = () => resolve();
      socket.once('error', reject);
    });
    return client;
  }

  private fail(e: Error): void {
    this.closedErr = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    this.bytes += d.length;
    for (;;) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, this.buf.length);
        this.literalLeft -= take;
        this.buf = this.buf.subarray(take);
        if (this.literalLeft > 0) return;
      }
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) return;
      const line = this.buf.subarray(0, nl + 1).toString('latin1').replace(/\r?\n$/, '');
      this.buf = this.buf.subarray(nl + 1);
      const lit = /\{(\d+)\}$/.exec(line);
      if (lit) this.literalLeft = Number(lit[1]);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.greeting) {
      const g = this.greeting;
      this.greeting = null;
      g(line);
      return;
    }
    if (line.startsWith('+')) {
      const c = this.continuation;
      this.continuation = null;
      c?.();
      return;
    }
    if (line.startsWith('* ') || this.literalLeft > 0 || !/^[A-Za-z0-9]+ (OK|NO|BAD)\b/.test(line)) {
      this.untagged.push(line);
      return;
    }
    const sp = line.indexOf(' ');
    const tag = line.slice(0, sp);
    const rest = line.slice(sp + 1);
    const p = this.pending.get(tag);
    if (!p) return;
    this.pending.delete(tag);
    const status = rest.split(' ')[0]!;
    const c: Completion = { status, text: rest.slice(status.length + 1), untagged: this.untagged, bytes: this.bytes };
    this.untagged = [];
    this.bytes = 0;
    if (status === 'OK') p.resolve(c);
    else p.reject(new Error(`${tag} ${rest}`));
  }

  /** Sends one command (without tag) and resolves on its tagged OK. */
  command(text: string): Promise<Completion> {
    if (this.closedErr) return Promise.reject(this.closedErr);
    const tag = `b${++this.seq}`;
    const done = new Promise<Completion>((resolve, reject) => this.pending.set(tag, { resolve, reject }));
    this.socket.write(`${tag} ${text}\r\n`);
    return done;
  }

  /** APPEND with a non-synchronizing literal (LITERAL+), so many can be pipelined. */
  append(mailbox: string, message: Buffer, flags = ''): Promise<Completion> {
    if (this.closedErr) return Promise.reject(this.closedErr);
    const tag = `b${++this.seq}`;
    const done = new Promise<Completion>((resolve, reject) => this.pending.set(tag, { resolve, reject }));
    this.socket.write(`${tag} APPEND ${mailbox}${flags ? ` (${flags})` : ''} {${message.length}+}\r\n`);
    this.socket.write(message);
    this.socket.write('\r\n');
    return done;
  }

  async close(): Promise<void> {
    await this.command('LOGOUT').catch(() => undefined);
    this.socket.destroy();
  }
}
