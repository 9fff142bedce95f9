import { createServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Pop3Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { AppContext, ListenAddress, Service } from '../server/context.js';
import { Pop3Session } from './session.js';
import { acceptTls } from './tls.js';
import { serverVersion } from './version.js';

export interface Pop3ServiceOptions {
  /**
   * Overrides config.pop3.idleTimeout (whose minimum is RFC 1939's ten
   * minutes), in ms. For tests of the autologout only.
   */
  idleTimeoutMs?: number;
}

/**
 * The POP3 service: a plaintext listener (STLS on demand) and, when tlsPort
 * is set, an implicit-TLS one, both with the app's certificate (ctx.tls).
 */
export class Pop3Service implements Service {
  readonly name = 'pop3';
  private readonly servers: Server[] = [];
  /** Live sessions and the promise of each one's end. */
  private readonly sessions = new Map<Pop3Session, Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private readonly perIp = new Map<string, number>();
  private readonly config: Pop3Config;
  private readonly logger: Logger;
  private stopping = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: Pop3ServiceOptions = {},
  ) {
    this.config = ctx.config.pop3;
    this.logger = ctx.logger.child({ module: 'pop3' });
  }

  async start(): Promise<ListenAddress[]> {
    const bound: ListenAddress[] = [];
    bound.push(await this.listen(this.config.port, false));
    if (this.config.tlsPort > 0) bound.push(await this.listen(this.config.tlsPort, true));
    return bound;
  }

  private async listen(port: number, tls: boolean): Promise<ListenAddress> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket, tls));
    server.on('error', (err) => this.logger.error('pop3.listener_error', { err, tls }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.servers.push(server);
    const addr = server.address();
    const actual = addr && typeof addr === 'object' ? addr.port : port;
    this.logger.info('pop3.listening', { host: this.config.host, port: actual, tls });
    return { service: 'pop3', address: this.config.host, port: actual, tls };
  }

  private accept(socket: Socket, tls: boolean): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const ip = socket.remoteAddress ?? '';
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const count = (this.perIp.get(ip) ?? 0) + 1;
    if (count > this.config.maxConnectionsPerIp) {
      // A refused connection does not count: it must not hold a slot while it closes.
      this.logger.warn('pop3.too_many_connections', { ip, count });
      if (tls) {
        socket.destroy();
        return;
      }
      // Read (and drop) whatever the client sends, so its FIN is seen and the socket really closes.
      socket.resume();
      socket.end('-ERR [SYS/TEMP] Too many connections from your address\r\n');
      setTimeout(() => socket.destroy(), 5000).unref();
      return;
    }
    this.perIp.set(ip, count);
    socket.once('close', () => {
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
    if (!tls) {
      this.startSession(socket, false);
      return;
    }
    acceptTls(socket, this.ctx.tls).then(
      (secure) => {
        if (this.stopping) secure.destroy();
        else this.startSession(secure, true);
      },
      (err: unknown) => this.logger.debug('pop3.tls_failed', { ip, err: err instanceof Error ? err.message : String(err) }),
    );
  }

  private startSession(socket: Socket | TLSSocket, secure: boolean): void {
    const session = new Pop3Session(socket, secure, {
      ctx: this.ctx,
      config: this.config,
      logger: this.logger,
      idleTimeoutMs: this.options.idleTimeoutMs ?? this.config.idleTimeout * 1000,
      version: serverVersion(),
    });
    const done = session.run().finally(() => this.sessions.delete(session));
    this.sessions.set(session, done);
  }

  /** Live sessions (for tests and the API). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  async stop(deadline: number): Promise<void> {
    this.stopping = true;
    const closed = Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    // Idle sessions end now, busy ones after their current command; no UPDATE state for either.
    for (const s of this.sessions.keys()) s.terminate('-ERR [SYS/TEMP] Server shutting down');
    let timer: NodeJS.Timeout | null = null;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    await Promise.race([Promise.allSettled(this.sessions.values()), timeout]);
    if (timer) clearTimeout(timer);
    for (const s of this.sessions.keys()) s.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
