/** The admin API as a Service: a Koa app on its own HTTP listener. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Koa from 'koa';
import { isLoopback } from '../auth/transport.js';
import type { Logger } from '../log/logger.js';
import { securityFor } from '../security/install.js';
import type { AppContext, ListenAddress, Service } from '../server/context.js';
import { corsMiddleware } from './cors.js';
import { createDispatcher } from './dispatch.js';
import { HealthChecker } from './health-check.js';
import { RouteTable, type ApiDeps } from './router.js';
import { allRoutes } from './routes/index.js';
import { StreamRegistry } from './streams.js';

function loopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host);
}

export class ApiService implements Service {
  readonly name = 'api';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly deps: ApiDeps;
  private readonly logger: Logger;

  constructor(ctx: AppContext) {
    const config = ctx.config.api;
    // Refuse to start rather than expose an unauthenticated admin API to the network.
    if (!config.accessToken && !loopbackHost(config.host)) {
      throw new Error(`api.accessToken must be set when api.host (${config.host}) is not a loopback address`);
    }
    this.logger = ctx.logger.child({ module: 'api' });
    this.deps = { app: ctx, config, security: securityFor(ctx), streams: new StreamRegistry(), health: new HealthChecker(ctx.store, ctx.config.redis) };
  }

  async start(): Promise<ListenAddress[]> {
    const koa = new Koa();
    koa.silent = true;
    koa.on('error', (err: unknown) => this.logger.debug('api.koa_error', { err }));
    koa.use(corsMiddleware(this.deps.config.corsOrigins));
    koa.use(createDispatcher(this.deps, new RouteTable(allRoutes()), this.logger));
    const server = createServer(koa.callback());
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    const { host, port } = this.deps.config;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.logger.info('api.listening', { address: addr.address, port: addr.port, token: this.deps.config.accessToken ? 'required' : 'none' });
    return [{ service: 'api', address: addr.address, port: addr.port }];
  }

  async stop(deadline: number): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Live-update streams never finish on their own; end them so their connections can close.
      this.deps.streams.closeAll();
      // Connections turn idle as their last responses finish; close them then rather than after keepAliveTimeout.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
      await Promise.race([closed, late]);
      clearTimeout(timer);
      clearInterval(sweep);
      for (const s of this.sockets) s.destroy();
      await closed;
    }
    await this.deps.health.close();
  }
}
