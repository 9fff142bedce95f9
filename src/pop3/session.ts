import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { plaintextAllowed } from '../auth/transport.js';
import type { Pop3Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { AppContext } from '../server/context.js';
import type { User } from '../storage/types.js';
import { capabilities } from './capabilities.js';
import type { SessionState } from './commands/types.js';
import { ConnectionGoneError, dispatch, type DispatchTarget } from './dispatcher.js';
import { Pop3Error } from './errors.js';
import { LineReader, type ReaderEvent } from './line-reader.js';
import { isLoginError, loginFailure } from './login-errors.js';
import type { DropEntry, Maildrop } from './maildrop.js';
import { MessageSender } from './retrieve.js';
import { acceptTls } from './tls.js';
import { Transaction } from './transaction.js';

/** Consecutive invalid commands before the connection is dropped (a client that is not speaking POP3). */
const MAX_BAD_COMMANDS = 20;

export interface SessionOptions {
  ctx: AppContext;
  config: Pop3Config;
  logger: Logger;
  idleTimeoutMs: number;
  version: string;
}

/**
 * One POP3 connection: the greeting, the command loop (one command at a
 * time, pipelined input queued in order), writes with backpressure, STLS,
 * login into a {@link Transaction}, autologout, and the end of the session.
 */
export class Pop3Session implements DispatchTarget {
  readonly id = randomBytes(6).toString('hex');
  readonly logger: Logger;
  readonly config: Pop3Config;
  state: SessionState = 'authorization';
  pendingUser: string | null = null;
  answered = false;

  private socket: Socket | TLSSocket;
  private readonly reader: LineReader;
  private txn: Transaction | null = null;
  private sender: MessageSender | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private badCommands = 0;
  /** Set when the loop must stop after the current command (QUIT, abort, failed TLS): why. */
  private endReason: string | null = null;
  /** The line to send when the server ends an idle session. */
  private farewell: string | null = null;
  private wakeLoop: (() => void) | null = null;
  private busy = false;
  private corked = false;
  private readonly started = Date.now();
  readonly remoteIp: string;

  constructor(
    socket: Socket | TLSSocket,
    public secure: boolean,
    private readonly options: SessionOptions,
  ) {
    this.socket = socket;
    this.config = options.config;
    this.remoteIp = socket.remoteAddress ?? '';
    this.logger = options.logger;
    this.reader = new LineReader(options.config.maxLineLength);
    this.attachSocket(socket);
  }

  private attachSocket(socket: Socket | TLSSocket): void {
    socket.on('error', this.onSocketError);
    socket.on('drain', this.touch);
    this.reader.attach(socket);
  }

  private readonly onSocketError = (err: Error): void => {
    this.logger.debug('pop3.socket_error', { session: this.id, err: err.message });
    this.socket.destroy();
  };

  private readonly touch = (): void => {
    this.idleTimer?.refresh();
  };

  get plaintextAllowed(): boolean {
    return plaintextAllowed(this.secure, this.remoteIp, this.options.ctx.config.auth);
  }

  /** Runs the session to its end; never throws. */
  async run(): Promise<void> {
    this.logger.info('pop3.connect', { session: this.id, ip: this.remoteIp, tls: this.secure });
    // RFC 1939 §3: autologout without a response and without the UPDATE state.
    this.idleTimer = setTimeout(() => {
      this.logger.info('pop3.autologout', { session: this.id });
      this.socket.destroy();
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
    let reason = 'client closed';
    try {
      this.writeLine(`+OK ${this.options.ctx.config.server.hostname} Eider POP3 server ready`);
      for (;;) {
        if (this.endReason !== null) {
          reason = this.endReason;
          break;
        }
        if (this.farewell !== null) {
          this.writeLine(this.farewell);
          reason = 'closed by the server';
          break;
        }
        if (this.corked && !this.reader.pending) this.uncork();
        const ev = await this.nextEvent();
        if (ev === null) continue;
        if (ev.kind === 'end') break;
        this.touch();
        if (!this.corked && this.reader.pending) {
          // Pipelined commands (RFC 2449 §6.6): answers leave together instead of one write each.
          this.socket.cork();
          this.corked = true;
        }
        if (ev.kind === 'overlong') {
          this.writeLine('-ERR Line too long');
          this.noteBadCommand(true);
        } else {
          this.busy = true;
          try {
            await dispatch(this, ev.line);
          } finally {
            this.busy = false;
          }
        }
        this.touch();
        if (this.badCommands >= MAX_BAD_COMMANDS) {
          this.writeLine('-ERR Too many invalid commands');
          reason = 'bad commands';
          break;
        }
      }
    } catch (err) {
      this.logger.error('pop3.session_failed', { session: this.id, err });
      reason = 'error';
    } finally {
      await this.finish(reason);
    }
  }

  /** The next reader event, or null when woken to end the session. */
  private nextEvent(): Promise<ReaderEvent | null> {
    return new Promise((resolve) => {
      this.wakeLoop = () => resolve(null);
      this.reader.next().then(
        (ev) => {
          this.wakeLoop = null;
          resolve(ev);
        },
        () => resolve({ kind: 'end' }),
      );
    });
  }

  private async finish(reason: string): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.corked) this.uncork();
    await this.closeTransaction();
    this.reader.detach();
    // Keep reading (into nothing) so the client's FIN arrives and the socket closes.
    this.socket.resume();
    if (!this.socket.destroyed) this.socket.end();
    // A client that never reads its last answer must not keep the socket open.
    setTimeout(() => this.socket.destroy(), 5000).unref();
    this.logger.info('pop3.close', { session: this.id, reason, seconds: Math.round((Date.now() - this.started) / 1000) });
  }

  private async closeTransaction(): Promise<void> {
    const txn = this.txn;
    this.txn = null;
    try {
      await txn?.close();
    } catch (err) {
      this.logger.warn('pop3.close_failed', { session: this.id, err });
    }
  }

  /**
   * Ends the session from outside (admin logout, shutdown, lock lost): at
   * once when it is waiting for a command, otherwise after the current one.
   * Nothing is removed: that only happens on QUIT (RFC 1939 §6).
   */
  terminate(line: string): void {
    if (this.farewell !== null) return;
    this.farewell = line;
    if (!this.busy) {
      const wake = this.wakeLoop;
      this.wakeLoop = null;
      wake?.();
    }
  }

  /** Drops the connection now (shutdown deadline passed). */
  destroy(): void {
    this.socket.destroy();
  }

  // ------------------------------------------------------------ DispatchTarget

  beginCommand(): void {
    this.answered = false;
  }

  writeLine(line: string): void {
    this.answered = true;
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  abort(reason: string): void {
    this.logger.warn('pop3.abort', { session: this.id, reason });
    this.end('aborted');
    this.socket.destroy();
  }

  noteBadCommand(bad: boolean): void {
    this.badCommands = bad ? this.badCommands + 1 : 0;
  }

  // ------------------------------------------------------------ SessionApi

  ok(text: string): void {
    this.writeLine(text ? `+OK ${text}` : '+OK');
  }

  multiline(first: string, lines: Iterable<string>): void {
    const out: string[] = [first ? `+OK ${first}` : '+OK'];
    for (const l of lines) out.push(l.startsWith('.') ? `.${l}` : l);
    out.push('.');
    this.writeLine(out.join('\r\n'));
  }

  async challenge(base64: string): Promise<string> {
    this.writeLine(base64 ? `+ ${base64}` : '+ ');
    if (this.corked) this.uncork();
    const ev = await this.reader.next();
    this.touch();
    // The challenge was a complete exchange step: the answer to AUTH (+OK or -ERR) is still to come.
    this.answered = false;
    if (ev.kind === 'end') throw new ConnectionGoneError('closed during AUTH');
    if (ev.kind === 'overlong') throw new Pop3Error('Line too long', { bad: true });
    const text = ev.line.toString('latin1');
    // RFC 5034 §4: "*" cancels the exchange.
    if (text === '*') throw new Pop3Error('Authentication cancelled');
    return text;
  }

  async login(username: string, password: string): Promise<void> {
    const started = Date.now();
    const { ctx } = this.options;
    let user: User;
    try {
      const result = await ctx.login.login({ username, password, scope: 'pop3', protocol: 'pop3', ip: this.remoteIp, session: this.id });
      user = result.user;
    } catch (err) {
      if (isLoginError(err)) throw loginFailure(err);
      throw err;
    }
    this.txn = await Transaction.open(
      { store: ctx.store, notifier: ctx.notifier, sessions: ctx.sessions, logger: this.logger, config: this.config },
      user,
      this.id,
      { terminate: (why) => this.terminateFor(why) },
    );
    this.state = 'transaction';
    const { count, octets } = this.txn.drop.stat();
    this.logger.info('pop3.login', { session: this.id, user: user.id, messages: count, ms: Date.now() - started });
    this.ok(`Maildrop has ${count} messages (${octets} octets)`);
  }

  private terminateFor(why: string): void {
    this.logger.info('pop3.terminate', { session: this.id, reason: why });
    this.terminate(why === 'lock lost' ? '-ERR [IN-USE] Mailbox lock lost' : '-ERR Session terminated by the server');
  }

  capabilities(): string[] {
    return capabilities({
      secure: this.secure,
      plaintext: this.plaintextAllowed,
      hideVersion: this.config.hideVersion,
      version: this.options.version,
    });
  }

  async startTls(): Promise<void> {
    const plain = this.socket;
    if (this.secure) throw new Pop3Error('Already using TLS', { bad: true });
    // Drop anything pipelined after STLS before the answer goes out (RFC 2595 §3).
    this.reader.detach();
    if (this.corked) this.uncork();
    this.answered = true;
    await new Promise<void>((resolve) => plain.write('+OK Begin TLS negotiation\r\n', () => resolve()));
    plain.off('error', this.onSocketError);
    plain.off('drain', this.touch);
    let secure: TLSSocket;
    try {
      secure = await acceptTls(plain, this.options.ctx.tls);
    } catch (err) {
      this.end('tls failed');
      throw new ConnectionGoneError(`TLS handshake failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.socket = secure;
    this.secure = true;
    this.attachSocket(secure);
    this.logger.debug('pop3.tls', { session: this.id, protocol: secure.getProtocol() });
  }

  maildrop(): Maildrop {
    if (!this.txn) throw new Pop3Error('Not logged in', { bad: true });
    return this.txn.drop;
  }

  markSeen(uid: number): void {
    this.txn?.seen.add(uid);
  }

  sendMessage(entry: DropEntry, lines: number | null): Promise<boolean> {
    this.sender ??= new MessageSender(this.options.ctx.store);
    return this.sender.send(this.maildrop(), entry, lines, {
      begin: () => {
        if (this.corked) this.uncork();
        this.answered = true;
      },
      write: (parts) => this.writeWithBackpressure(parts),
    });
  }

  /** One write; waits while the client is not reading. False when the connection is gone. */
  private async writeWithBackpressure(parts: Buffer[]): Promise<boolean> {
    const socket = this.socket;
    if (socket.destroyed) return false;
    let ok = true;
    if (parts.length === 1) ok = socket.write(parts[0]!);
    else {
      socket.cork();
      for (const p of parts) ok = socket.write(p) && ok;
      socket.uncork();
    }
    if (ok) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
    return !socket.destroyed;
  }

  async quit(): Promise<void> {
    const host = this.options.ctx.config.server.hostname;
    this.end('quit');
    const txn = this.txn;
    if (!txn) {
      this.ok(`${host} signing off`);
      return;
    }
    // RFC 1939 §6: the UPDATE state.
    let answer: string;
    try {
      const removed = await txn.update();
      this.logger.info('pop3.update', { session: this.id, removed });
      answer = `+OK ${host} signing off (${txn.drop.stat().count} messages left)`;
    } catch (err) {
      if (err instanceof Pop3Error) answer = err.line();
      else {
        this.logger.error('pop3.update_failed', { session: this.id, err });
        answer = '-ERR [SYS/TEMP] Some deleted messages were not removed';
      }
    }
    // Unlock before answering: a client that reconnects at once must not meet its own lock.
    await this.closeTransaction();
    this.writeLine(answer);
  }

  private end(reason: string): void {
    this.endReason ??= reason;
  }

  private uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }
}
