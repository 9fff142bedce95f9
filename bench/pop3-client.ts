/**
 * A minimal POP3 client for the RETR benchmark: it only frames responses
 * (single line, or multi-line up to CRLF "." CRLF) and counts bytes, so the
 * client costs both servers the same. Commands may be pipelined.
 */
import { connect, type Socket } from 'node:net';

const TERMINATOR = Buffer.from('\r\n.\r\n');

interface Pending {
  multiline: boolean;
  resolve: (r: Pop3Response) => void;
  reject: (e: Error) => void;
}

export interface Pop3Response {
  ok: boolean;
  first: string;
  /** Bytes of the whole response on the wire (first line and terminator included). */
  bytes: number;
  /** The body (multi-line responses, when asked to keep it), still dot-stuffed. */
  body: Buffer | null;
}

export class BenchPop3Client {
  private queue: Pending[] = [];
  private closed: Error | null = null;
  /** Keep multi-line bodies (LIST/UIDL); RETR bodies are only counted. */
  keepBodies = false;
  // The response being read: its first line so far, then (multi-line) the body scan.
  private line: Buffer[] = [];
  private first: string | null = null;
  private bytes = 0;
  private tail = Buffer.alloc(0);
  private body: Buffer[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => {
      this.closed = new Error('connection closed');
      for (const p of this.queue.splice(0)) p.reject(this.closed);
    });
    socket.on('error', () => undefined);
  }

  static async connect(host: string, port: number): Promise<BenchPop3Client> {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
    const c = new BenchPop3Client(socket);
    const greeting = await c.expect(false);
    if (!greeting.ok) throw new Error(`greeting: ${greeting.first}`);
    return c;
  }

  private expect(multiline: boolean): Promise<Pop3Response> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => this.queue.push({ multiline, resolve, reject }));
  }

  /** Sends one command; resolves with its response. Several may be outstanding (pipelining). */
  command(line: string, multiline: boolean): Promise<Pop3Response> {
    const p = this.expect(multiline);
    this.socket.write(`${line}\r\n`);
    return p;
  }

  /** Streams through the bytes: no buffering of whole messages, one scan per byte. */
  private onData(chunk: Buffer): void {
    let d = chunk;
    while (d.length > 0) {
      const p = this.queue[0];
      if (!p) return;
      if (this.first === null) {
        const lf = d.indexOf(0x0a);
        if (lf < 0) {
          this.line.push(d);
          return;
        }
        this.line.push(d.subarray(0, lf + 1));
        const raw = Buffer.concat(this.line);
        this.line = [];
        this.first = raw.toString('latin1').replace(/\r?\n$/, '');
        this.bytes = raw.length;
        d = d.subarray(lf + 1);
        if (!(p.multiline && this.first.startsWith('+OK'))) {
          this.finish(p, null);
          continue;
        }
        this.tail = Buffer.from('\r\n');
        this.body = [];
      }
      // Multi-line: find CRLF "." CRLF, which may straddle chunks (the tail keeps the last 4 bytes).
      const joined = Buffer.concat([this.tail, d.subarray(0, 4)]);
      let end = -1;
      const atJoin = joined.indexOf(TERMINATOR);
      if (atJoin >= 0 && atJoin < this.tail.length) end = atJoin + TERMINATOR.length - this.tail.length;
      else {
        const t = d.indexOf(TERMINATOR);
        if (t >= 0) end = t + TERMINATOR.length;
      }
      if (end < 0) {
        this.bytes += d.length;
        if (this.keepBodies) this.body.push(Buffer.from(d));
        this.tail = d.length >= 4 ? Buffer.from(d.subarray(d.length - 4)) : Buffer.concat([this.tail, d]).subarray(-4);
        return;
      }
      this.bytes += end;
      if (this.keepBodies) this.body.push(Buffer.from(d.subarray(0, end)));
      d = d.subarray(end);
      this.finish(p, this.keepBodies ? Buffer.concat(this.body) : null);
    }
  }

  private finish(p: Pending, body: Buffer | null): void {
    this.queue.shift();
    const first = this.first ?? '';
    this.first = null;
    p.resolve({ ok: first.startsWith('+OK'), first, bytes: this.bytes, body });
  }

  async login(user: string, pass: string): Promise<void> {
    for (const [line, what] of [
      [`USER ${user}`, 'USER'],
      [`PASS ${pass}`, 'PASS'],
    ] as const) {
      const r = await this.command(line, false);
      if (!r.ok) throw new Error(`${what}: ${r.first}`);
    }
  }

  async quit(): Promise<void> {
    await this.command('QUIT', false).catch(() => undefined);
    this.socket.destroy();
  }
}
