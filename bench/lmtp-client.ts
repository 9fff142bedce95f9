/**
 * A minimal pipelining LMTP client for the delivery benchmark: MAIL, the
 * RCPTs and DATA go in one write (RFC 2920), the body after 354, then one
 * reply per accepted recipient (RFC 2033 §4.2). Tiny on purpose, so the
 * client costs both servers the same.
 */
import { connect, type Socket } from 'node:net';

export class BenchLmtpClient {
  private buffer = '';
  private lines: string[] = [];
  private waiter: (() => void) | null = null;
  private closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      let i;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 2);
      }
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = new Error('connection closed');
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static async connect(host: string, port: number): Promise<BenchLmtpClient> {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
    const c = new BenchLmtpClient(socket);
    await c.reply();
    socket.write('LHLO bench.example\r\n');
    await c.reply();
    return c;
  }

  /** Next complete reply (multi-line replies joined); returns its last line. */
  private async reply(): Promise<string> {
    for (;;) {
      while (this.lines.length > 0) {
        const l = this.lines.shift()!;
        if (!/^\d{3}-/.test(l)) return l;
      }
      if (this.closed) throw this.closed;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  /** Delivers one message; returns the number of recipients answered 250 after DATA. */
  async deliver(from: string, rcpts: string[], body: Buffer): Promise<number> {
    this.socket.write(`MAIL FROM:<${from}>\r\n${rcpts.map((r) => `RCPT TO:<${r}>\r\n`).join('')}DATA\r\n`);
    const mail = await this.reply();
    if (!mail.startsWith('250')) throw new Error(`MAIL: ${mail}`);
    let accepted = 0;
    for (let i = 0; i < rcpts.length; i++) if ((await this.reply()).startsWith('250')) accepted++;
    const data = await this.reply();
    if (!data.startsWith('354')) throw new Error(`DATA: ${data}`);
    this.socket.write(body);
    let ok = 0;
    for (let i = 0; i < accepted; i++) if ((await this.reply()).startsWith('250')) ok++;
    return ok;
  }

  async quit(): Promise<void> {
    this.socket.write('QUIT\r\n');
    await this.reply().catch(() => undefined);
    this.socket.destroy();
  }
}

/** A ~size-byte text message, dot-stuffed and terminated, ready to send after 354. */
export function benchMessage(size: number, seq: number): Buffer {
  const head = [
    'From: Bench Sender <sender@example.net>',
    'To: Bench Users <users@localhost>',
    `Subject: benchmark message ${seq}`,
    `Message-ID: <bench-${seq}-${process.pid}@example.net>`,
    'Date: Tue, 01 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
  ].join('\r\n');
  const words = 'the quick brown fox jumps over the lazy dog while the mail server keeps every byte safe and sound';
  const lines: string[] = [];
  let n = head.length;
  for (let i = 0; n < size; i++) {
    const line = `${i} ${words}`.slice(0, 76);
    lines.push(line);
    n += line.length + 2;
  }
  return Buffer.from(`${head}\r\n${lines.join('\r\n')}\r\n.\r\n`);
}
