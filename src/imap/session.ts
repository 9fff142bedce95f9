/**
 * One IMAP connection: the RFC 3501 §3 state machine, the command loop
 * (read → parse → dispatch), autologout timers, STARTTLS, change
 * notifications for the selected mailbox, and orderly closing.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { plaintextAllowed } from '../auth/transport.js';
import type { ImapConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { AppContext } from '../server/context.js';
import type { Store } from '../storage/interface.js';
import type { ChangeEvent, User } from '../storage/types.js';
import { AppendSpools } from './append-spool.js';
import { capabilities } from './capabilities.js';
import { DeflateStream } from './compress.js';
import { Dispatcher } from './dispatcher.js';
import { ImapParseError } from './errors.js';
import type { SessionState } from './handler.js';
import { CommandReader, type RawLineEvent } from './proto/reader.js';
import { ResponseWriter } from './proto/writer.js';
import type { SelectedMailbox } from './selected.js';
import type { UidLists } from './uid-lists.js';

export interface SessionHooks {
  /** Called once when the session has ended. */
  onEnd(session: Session): void;
}

/** What the service's sessions share. */
export interface SessionShared {
  /** UID lists of recently selected mailboxes (SELECT's sequence map). */
  readonly uidLists: UidLists;
}

export class Session {
  readonly id = randomBytes(6).toString('hex');
  readonly config: ImapConfig;
  readonly store: Store;
  logger: Logger;
  state: SessionState = 'not-authenticated';
  user: User | null = null;
  selected: SelectedMailbox | null = null;
  secure: boolean;
  /** RFC 7162 §3.1: a CONDSTORE enabling command was seen. */
  condstore = false;
  /** RFC 7162 §3.2.3: ENABLE QRESYNC succeeded. */
  qresync = false;
  /** ENABLE UTF8=ACCEPT (RFC 6855 §3): UTF-8 mailbox names and quoted strings both ways. */
  utf8Accept = false;
  /** RFC 5182 SEARCHRES: the saved result, as UIDs. */
  savedSearch: number[] | null = null;
  reader: CommandReader;
  writer: ResponseWriter;
  readonly spools: AppendSpools;
  readonly remoteAddress: string;
  /** A command is being processed (shutdown waits for it)... */
  busy = false;
  /** ...unless it is only waiting for the client (IDLE, an AUTHENTICATE round), which a stop may cut short. */
  idling = false;
  private awaitingInput = false;
  private socket: Socket;
  private compression: DeflateStream | null = null;
  private readonly dispatcher: Dispatcher;
  private timer: NodeJS.Timeout | null = null;
  private closedFlag = false;
  private stopRequested = false;
  private unsubscribers: Array<() => void> = [];
  private changeWaiters: Array<() => void> = [];
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    readonly ctx: AppContext,
    socket: Socket,
    secure: boolean,
    private readonly hooks: SessionHooks,
    readonly shared: SessionShared,
  ) {
    this.config = ctx.config.imap;
    this.store = ctx.store;
    this.socket = socket;
    this.secure = secure;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.logger = ctx.logger.child({ module: 'imap', session: this.id });
    this.dispatcher = new Dispatcher(this);
    this.spools = new AppendSpools(
      ctx.store.blobs,
      { maxSize: this.config.maxMessageSize, textLimit: ctx.config.storage.textIndexLimit },
      {
        appendAllowed: () => this.dispatcher.allowed('APPEND'),
        authenticated: () => this.user !== null,
        precheck: (size) => this.appendPrecheck(size),
      },
    );
    this.watchSocket(socket);
    this.reader = this.makeReader(socket);
    this.writer = new ResponseWriter(socket);
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Resolves when the session has fully ended. */
  whenEnded(): Promise<void> {
    return this.ended;
  }

  capabilityList(): string[] {
    return capabilities({
      authenticated: this.user !== null,
      secure: this.secure,
      plaintextAllowed: this.plaintextAllowed(),
      config: this.config,
    });
  }

  plaintextAllowed(): boolean {
    return plaintextAllowed(this.secure, this.remoteAddress, this.ctx.config.auth);
  }

  /** The command loop; resolves when the connection is over. */
  async run(): Promise<void> {
    this.logger.info('imap.connect', { ip: this.remoteAddress, secure: this.secure });
    try {
      await this.writer.status(null, 'OK', 'Eider IMAP4rev1 server ready', { name: 'CAPABILITY', args: this.capabilityList() });
      while (!this.closedFlag) {
        this.armTimer();
        const event = await this.reader.readCommand();
        this.clearTimer();
        if (this.closedFlag || event.type === 'end') break;
        if (event.type === 'fatal') {
          this.close(event.error.clientText);
          break;
        }
        this.busy = true;
        try {
          if (event.type === 'error') {
            this.logger.info('imap.command_refused', { tag: event.tag, text: event.error.message });
            await this.writer.parseError(event.tag, event.error);
            await this.spools.releaseAll();
          } else {
            await this.dispatcher.run(event.command);
          }
        } finally {
          this.busy = false;
        }
        if (this.stopRequested) this.close('Server shutting down');
      }
    } catch (err) {
      if (!this.closedFlag) this.logger.warn('imap.session_failed', { err });
    } finally {
      await this.cleanup();
    }
  }

  /** The state change of a successful LOGIN/AUTHENTICATE (RFC 3501 §3.2). */
  authenticated(user: User): void {
    this.user = user;
    this.state = 'authenticated';
    this.logger = this.logger.child({ user: user.username });
    const { notifier, sessions } = this.ctx;
    this.unsubscribers.push(
      notifier.subscribe(user.id, (event) => this.onChange(event)),
      notifier.onResync(() => this.markDirty()),
      sessions.add({ id: this.id, protocol: 'imap', userId: user.id, close: (reason) => this.close(reason) }),
    );
  }

  /** Enters the selected state with a fresh mailbox state; RFC 3501 §6.3.1 leaves any previous one first. */
  select(selected: SelectedMailbox): void {
    this.selected = selected;
    this.savedSearch = null;
    this.state = 'selected';
  }

  deselect(): void {
    this.selected = null;
    this.savedSearch = null;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  /** RFC 7162 §3.1: the first CONDSTORE enabling command in the selected state reports HIGHESTMODSEQ. */
  async enableCondstore(): Promise<void> {
    if (this.condstore) return;
    this.condstore = true;
    const sel = this.selected;
    if (sel) await this.writer.status(null, 'OK', 'Highest', { name: 'HIGHESTMODSEQ', args: [sel.modseq] });
  }

  markDirty(): void {
    if (this.selected) this.selected.dirty = true;
    const waiters = this.changeWaiters;
    this.changeWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at the next change notification, close, or after `ms` (IDLE's wait). */
  waitForChange(ms: number): Promise<void> {
    if (this.closedFlag || this.selected?.dirty) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if (timer) clearTimeout(timer);
        const i = this.changeWaiters.indexOf(done);
        if (i >= 0) this.changeWaiters.splice(i, 1);
        resolve();
      };
      const timer = ms > 0 ? setTimeout(done, ms) : null;
      this.changeWaiters.push(done);
    });
  }

  /** A raw line during AUTHENTICATE or IDLE; the autologout timer runs meanwhile. */
  async readLine(): Promise<RawLineEvent> {
    this.armTimer();
    this.awaitingInput = true;
    try {
      return await this.reader.readLine();
    } finally {
      this.awaitingInput = false;
      this.clearTimer();
    }
  }

  /**
   * STARTTLS, step one (RFC 3501 §6.2.1, RFC 2595 §3.1): stop reading
   * plaintext before the tagged OK goes out, dropping anything the client
   * pipelined after the command. Step two, returned, wraps the socket once
   * the OK is written; nothing is awaited in between, so the client's
   * handshake cannot arrive before the TLS socket owns the connection.
   * A handshake that fails or never comes ends like any dead connection
   * (socket error/close, or the autologout timer).
   */
  beginTls(): () => Promise<void> {
    const plain = this.socket;
    this.reader.close();
    return async () => {
      const secure = new TLSSocket(plain, { isServer: true, secureContext: this.ctx.tls.context });
      this.socket = secure;
      this.watchSocket(secure);
      this.reader = this.makeReader(secure);
      this.writer = new ResponseWriter(secure);
      // Not awaited: the command loop goes back to reading (with the autologout timer armed),
      // and the TLS socket yields no data before the handshake is done; a failed one closes it.
      this.secure = true;
      secure.once('secure', () => this.logger.info('imap.starttls', { protocol: secure.getProtocol() }));
    };
  }

  /** COMPRESS=DEFLATE is on (RFC 4978). */
  get compressed(): boolean {
    return this.compression !== null;
  }

  /**
   * COMPRESS (RFC 4978 §3), like STARTTLS in two steps: stop reading now and
   * keep what the client already sent after the command (it is compressed);
   * once the uncompressed tagged OK is out, the returned step moves the
   * reader and writer onto the DEFLATE stream.
   */
  beginCompression(): () => Promise<void> {
    const received = this.reader.detach();
    return async () => {
      const stream = new DeflateStream(this.socket, received);
      stream.on('error', (err: Error) => this.logger.debug('imap.compress_error', { err: err.message }));
      this.compression = stream;
      this.reader = this.makeReader(stream);
      this.writer = new ResponseWriter(stream, { utf8: this.writer.utf8 });
      this.logger.info('imap.compress', { algorithm: 'DEFLATE' });
    };
  }

  /** Ends the outgoing side: through the compressor (which ends the socket after Z_FINISH) when it is on. */
  private endOutput(socket: Socket): void {
    if (this.compression) this.compression.end();
    else socket.end();
  }

  /** Ends the connection, with an untagged BYE when a reason is given (RFC 3501 §7.1.5). Idempotent. */
  close(reason?: string): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.clearTimer();
    this.markDirty();
    const socket = this.socket;
    const bye = reason === undefined ? Promise.resolve() : this.writer.status(null, 'BYE', reason);
    void bye
      .then(() => this.writer.flush())
      .catch(() => undefined)
      .finally(() => this.endOutput(socket));
    // A client that stops reading must not keep the socket (and its buffers) alive.
    setTimeout(() => socket.destroy(), 2000).unref();
    this.reader.close();
  }

  /** The stop deadline passed: BYE (best effort) and drop the connection now. */
  terminate(reason: string): void {
    const socket = this.socket;
    this.close(reason);
    setImmediate(() => socket.destroy());
  }

  /** Graceful stop: close now unless a command is running, in which case right after it. */
  requestStop(): void {
    this.stopRequested = true;
    if (!this.busy || this.idling || this.awaitingInput) this.close('Server shutting down');
  }

  private onChange(event: ChangeEvent): void {
    if (event.kind === 'logout') {
      this.close('Session terminated');
      return;
    }
    if (this.selected && event.mailboxId === this.selected.id) this.markDirty();
  }

  private async appendPrecheck(size: number): Promise<ImapParseError | null> {
    const user = this.user;
    if (!user) return null;
    // RFC 9208 §4.3.1: refusing before the upload saves the client sending it.
    const usage = await this.store.quota.usage(user.id).catch(() => null);
    if (usage && usage.quota > 0 && usage.used + size > usage.quota) {
      return new ImapParseError('Quota exceeded', { status: 'NO', code: 'OVERQUOTA' });
    }
    return null;
  }

  private makeReader(socket: Readable): CommandReader {
    return CommandReader.fromReadable(socket, {
      onContinuation: () => this.writer.continuation('Ready for literal data'),
      literalPolicy: (req) => this.spools.decide(req),
      maxLineLength: this.config.maxLineLength,
      maxLiteralSize: this.config.maxMessageSize,
      literalMode: 'plus',
      // RFC 3516 §4.4: APPEND data may be a literal8; the parsers refuse it everywhere else.
      allowLiteral8: true,
    });
  }

  private watchSocket(socket: Socket): void {
    socket.on('error', (err: Error) => this.logger.debug('imap.socket_error', { err: err.message }));
    socket.once('close', () => {
      if (!this.closedFlag) {
        this.closedFlag = true;
        this.clearTimer();
        this.markDirty();
        this.reader.close();
      }
    });
  }

  private armTimer(): void {
    this.clearTimer();
    const seconds = this.user ? this.config.idleTimeout : this.config.preauthTimeout;
    this.timer = setTimeout(() => {
      this.logger.info('imap.autologout', { seconds });
      this.close('Autologout; idle for too long');
    }, seconds * 1000);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async cleanup(): Promise<void> {
    this.close();
    this.state = 'logout';
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
    await this.spools.releaseAll();
    this.logger.info('imap.disconnect');
    this.hooks.onEnd(this);
    this.resolveEnded();
  }
}
