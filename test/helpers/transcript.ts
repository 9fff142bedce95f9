import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * A line-protocol client for transcript tests: send lines, wait for a line
 * matching a pattern. Waits on data, never on a timer, except for the
 * overall timeout that turns a hang into a readable failure.
 */
export class Transcript {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private closed = false;
  /** Every line received, for failure messages. */
  readonly received: string[] = [];

  private constructor(private socket: Socket | TLSSocket, readonly timeoutMs: number) {
    this.attach(socket);
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static async connect(port: number, options: { host?: string; tls?: boolean; timeoutMs?: number } = {}): Promise<Transcript> {
    const host = options.host ?? '127.0.0.1';
    const socket = options.tls
      ? tlsConnect({ host, port, rejectUnauthorized: false })
      : connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new Transcript(socket, options.timeoutMs ?? 10_000);
  }

  /** Upgrades the connection in place (STARTTLS / STLS), after the server said go ahead. */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  get encrypted(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends one line, adding CRLF. */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  private async waitForData(deadline: number): Promise<void> {
    if (this.closed) throw new Error(`connection closed; received:\n${this.received.join('\n')}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out; received:\n${this.received.slice(-20).join('\n')}`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Next CRLF- (or LF-) terminated line, without the terminator. */
  async line(deadline = Date.now() + this.timeoutMs): Promise<string> {
    for (;;) {
      const i = this.buffer.indexOf(0x0a);
      if (i >= 0) {
        const raw = this.buffer.subarray(0, i);
        this.buffer = this.buffer.subarray(i + 1);
        const text = raw.toString('latin1').replace(/\r$/, '');
        this.received.push(text);
        return text;
      }
      await this.waitForData(deadline);
    }
  }

  /** Exactly n raw bytes (a literal's body). */
  async bytes(n: number, deadline = Date.now() + this.timeoutMs): Promise<Buffer> {
    while (this.buffer.length < n) await this.waitForData(deadline);
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return Buffer.from(out);
  }

  /** Reads lines until one matches; returns all lines read (the match last). */
  async until(pattern: RegExp, deadline = Date.now() + this.timeoutMs): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.line(deadline);
      lines.push(l);
      if (pattern.test(l)) return lines;
    }
  }

  /** Reads one line and asserts it matches. */
  async expect(pattern: RegExp): Promise<string> {
    const l = await this.line();
    if (!pattern.test(l)) throw new Error(`expected ${pattern}, got ${JSON.stringify(l)}; earlier:\n${this.received.slice(-10).join('\n')}`);
    return l;
  }

  /** Resolves when the server closes the connection. */
  async closedByServer(deadline = Date.now() + this.timeoutMs): Promise<void> {
    while (!this.closed) await this.waitForData(deadline).catch((e: Error) => {
      if (!this.closed) throw e;
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
