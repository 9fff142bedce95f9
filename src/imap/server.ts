/**
 * The IMAP service: a plain listener (STARTTLS available) and, when
 * `imap.tlsPort` is set, an implicit-TLS listener (RFC 8314 §3.3). It
 * enforces the per-IP connection limit, owns the live sessions, and stops
 * gracefully: no new connections, running commands may finish until the
 * deadline, then every session gets `* BYE` and is closed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AppContext, ListenAddress, Service } from '../server/context.js';
import { Session, type SessionShared } from './session.js';
import { UidLists } from './uid-lists.js';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export class ImapService implements Service {
  readonly name = 'imap';
  private readonly servers: Server[] = [];
  private readonly sessions = new Set<Session>();
  private readonly perIp = new Map<string, number>();
  private stopping = false;
  private readonly shared: SessionShared;

  constructor(private readonly ctx: AppContext) {
    this.shared = { uidLists: new UidLists(ctx.store) };
  }

  async start(): Promise<ListenAddress[]> {
    const config = this.ctx.config.imap;
    const bound: ListenAddress[] = [];
    const plain = createServer((socket) => this.accept(socket, false));
    this.servers.push(plain);
    bound.push({ service: 'imap', address: config.host, port: await listen(plain, config.port, config.host) });
    if (config.tlsPort > 0) {
      const { key, cert, minVersion } = this.ctx.tls;
      const secure = createTlsServer({ key, cert, minVersion }, (socket) => this.accept(socket, true));
      secure.on('tlsClientError', (err: Error) => this.ctx.logger.debug('imap.tls_client_error', { err: err.message }));
      this.servers.push(secure);
      bound.push({ service: 'imap', address: config.host, port: await listen(secure, config.tlsPort, config.host), tls: true });
    }
    return bound;
  }

  private accept(socket: Socket, secure: boolean): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const ip = socket.remoteAddress ?? '';
    const count = this.perIp.get(ip) ?? 0;
    if (count >= this.ctx.config.imap.maxConnectionsPerIp) {
      this.ctx.logger.info('imap.ip_limit', { ip, count });
      socket.on('error', () => undefined);
      socket.end('* BYE [LIMIT] Too many connections from your address\r\n');
      return;
    }
    this.perIp.set(ip, count + 1);
    const session = new Session(this.ctx, socket, secure, {
      onEnd: (ended) => {
        this.sessions.delete(ended);
        const left = (this.perIp.get(ip) ?? 1) - 1;
        if (left > 0) this.perIp.set(ip, left);
        else this.perIp.delete(ip);
      },
    }, this.shared);
    this.sessions.add(session);
    void session.run();
  }

  async stop(deadline: number): Promise<void> {
    this.stopping = true;
    for (const server of this.servers) server.close();
    for (const session of this.sessions) session.requestStop();
    const all = Promise.all([...this.sessions].map((s) => s.whenEnded()));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    await Promise.race([all, late]);
    clearTimeout(timer);
    for (const session of this.sessions) session.terminate('Server shutting down');
    await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
  }
}
