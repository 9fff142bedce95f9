/** Outbound sinks for delivery tests: an SMTP server (smtp-server) and an HTTP server that keep what they receive. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

class Waiters<T> {
  readonly items: T[] = [];
  private waiting: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f();
  }

  /** Resolves once `count` items arrived; rejects after timeoutMs (a hang becomes a readable failure). */
  async wait(count: number, timeoutMs = 10_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} items, have ${this.items.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.items.slice(0, count);
  }
}

export async function startSmtpSink(): Promise<{ port: number; mail: Waiters<Received>; stop(): Promise<void> }> {
  const mail = new Waiters<Received>();
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mail.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mail, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function startHttpSink(status = 200): Promise<{ url: string; posts: Waiters<{ path: string; type: string; body: string }>; stop(): Promise<void> }> {
  const posts = new Waiters<{ path: string; type: string; body: string }>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.statusCode = status;
      res.end('ok');
      posts.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
