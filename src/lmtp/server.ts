/**
 * The LMTP service (RFC 2033) on smtp-server in LMTP mode: LHLO, MAIL,
 * RCPT, DATA, RSET, NOOP, QUIT with PIPELINING, 8BITMIME,
 * ENHANCEDSTATUSCODES and SIZE. No AUTH and no STARTTLS: it listens on
 * loopback or a Unix socket for the local MTA.
 */
import { existsSync, unlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { OutboxWorker } from '../filters/outbox-worker.js';
import { DeliveryPipeline } from '../filters/pipeline.js';
import { createSender } from '../filters/relay.js';
import { compileSpamRules } from '../filters/spam.js';
import type { Logger } from '../log/logger.js';
import type { AppContext, ListenAddress, Service } from '../server/context.js';
import { SHUTTING_DOWN } from './replies.js';
import { LmtpHandlers } from './session.js';

type Connection = SMTPServer['connections'] extends Set<infer C> ? C : never;

const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3} /;

/**
 * smtp-server picks the enhanced status code from the reply code alone
 * (550 is always 5.1.1), which cannot say 5.2.1 (disabled) or 5.3.4 (too
 * big). Our reply texts carry their own code, so for those the library's
 * one is suppressed.
 */
class EiderSmtpServer extends SMTPServer {
  private readonly patched = new WeakSet<Connection>();

  override connect(...args: Parameters<SMTPServer['connect']>): void {
    const socket = args[0];
    // Replies are small separate writes; Nagle plus delayed ACKs would stall pipelined clients ~40 ms per reply.
    if ('setNoDelay' in socket) socket.setNoDelay(true);
    super.connect(...args);
    for (const conn of this.connections) {
      if (this.patched.has(conn)) continue;
      this.patched.add(conn);
      const send = conn.send.bind(conn);
      conn.send = (code, data, context) => {
        corkForTurn(socket);
        send(code, data, typeof data === 'string' && ENHANCED.test(data) ? false : context);
      };
    }
  }
}

const corked = new WeakSet<Duplex>();

/**
 * Holds a connection's replies until the end of this event-loop turn, so the
 * answers to a pipelined MAIL, RCPTs and DATA (RFC 2920) leave in one write
 * instead of one syscall and one segment each.
 */
function corkForTurn(socket: Duplex): void {
  if (corked.has(socket) || socket.destroyed) return;
  corked.add(socket);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork();
  });
}

export class LmtpService implements Service {
  readonly name = 'lmtp';
  private server: EiderSmtpServer | null = null;
  private readonly handlers: LmtpHandlers;
  private readonly worker: OutboxWorker;
  private readonly logger: Logger;
  private stopping = false;

  constructor(private readonly ctx: AppContext) {
    this.logger = ctx.logger.child({ module: 'lmtp' });
    this.worker = new OutboxWorker(ctx.store, ctx.config.relay, createSender(ctx.config.relay), ctx.logger.child({ module: 'outbox' }));
    const pipeline = new DeliveryPipeline({
      store: ctx.store,
      config: ctx.config,
      secret: ctx.secret,
      logger: ctx.logger.child({ module: 'delivery' }),
      spamRules: compileSpamRules(ctx.config.delivery),
      outboxChanged: () => this.worker.kick(),
    });
    this.handlers = new LmtpHandlers({
      store: ctx.store,
      pipeline,
      config: { lmtp: ctx.config.lmtp, delivery: ctx.config.delivery, hostname: ctx.config.server.hostname },
      logger: this.logger,
    });
  }

  /** The outbox worker (tests wait on it). */
  get outbox(): OutboxWorker {
    return this.worker;
  }

  async start(): Promise<ListenAddress[]> {
    const cfg = this.ctx.config.lmtp;
    const h = this.handlers;
    const server = new EiderSmtpServer({
      lmtp: true,
      name: this.ctx.config.server.hostname,
      banner: 'Eider ready',
      size: cfg.maxSize,
      hideENHANCEDSTATUSCODES: false,
      hide8BITMIME: false,
      hidePIPELINING: false,
      // No AUTH on LMTP (RFC 2033 §4.1 leaves it to the trusted path); STARTTLS only when configured.
      disabledCommands: cfg.starttls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(cfg.starttls ? { key: this.ctx.tls.key, cert: this.ctx.tls.cert } : {}),
      disableReverseLookup: true,
      logger: false,
      socketTimeout: 10 * 60 * 1000,
      onConnect: (session, cb) => h.onConnect(session, cb),
      onMailFrom: (address, session, cb) => h.onMailFrom(address, session, cb),
      onRcptTo: (address, session, cb) => h.onRcptTo(address, session, cb),
      onData: (stream, session, cb) => h.onData(stream, session, cb),
      onClose: (session) => h.onClose(session),
    });
    server.on('error', (err: Error) => this.logger.error('lmtp.server_error', { err }));
    this.server = server;
    let bound: ListenAddress;
    if (cfg.socket) {
      if (existsSync(cfg.socket)) unlinkSync(cfg.socket);
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(cfg.socket, () => resolve());
      });
      bound = { service: 'lmtp', address: 'unix', port: null, path: cfg.socket };
    } else {
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(cfg.port, cfg.host, () => resolve());
      });
      const info = server.server.address() as AddressInfo;
      bound = { service: 'lmtp', address: info.address, port: info.port };
    }
    this.worker.start();
    this.logger.info('lmtp.listening', { address: bound.path ?? `${bound.address}:${bound.port}`, maxSize: cfg.maxSize });
    return [bound];
  }

  async stop(deadline: number): Promise<void> {
    const server = this.server;
    if (!server || this.stopping) return;
    this.stopping = true;
    server.options.closeTimeout = Math.max(1, deadline - Date.now());
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle connections (an MTA's cached session) go now; one in DATA finishes its delivery first.
    const closeIdle = () => {
      for (const conn of server.connections) {
        if (!this.handlers.isBusy(conn.session.id)) {
          conn.send(SHUTTING_DOWN.code, SHUTTING_DOWN.text);
          conn.close();
        }
      }
    };
    closeIdle();
    const left = Math.max(0, deadline - Date.now());
    await Promise.race([this.handlers.settled(), new Promise((r) => setTimeout(r, left).unref())]);
    closeIdle();
    await Promise.race([closed, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
    await this.worker.stop();
    if (this.ctx.config.lmtp.socket && existsSync(this.ctx.config.lmtp.socket)) unlinkSync(this.ctx.config.lmtp.socket);
    this.logger.info('lmtp.stopped');
  }
}
