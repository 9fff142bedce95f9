/**
 * The LMTP transaction hooks (RFC 2033) behind smtp-server: MAIL resets the
 * recipient list, RCPT resolves and accepts or refuses one recipient, DATA
 * spools the message once and runs the delivery pipeline per accepted
 * recipient, answering each in RCPT order (§4.2). Every hook logs a stable
 * event with the session id and elapsed ms.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { DeliveryConfig, LmtpConfig } from '../config/schema.js';
import type { DeliveryPipeline, DeliveryResult, InboundMessage } from '../filters/pipeline.js';
import { resolveRecipient } from '../filters/recipient.js';
import type { Logger } from '../log/logger.js';
import { parseHeaderBlock } from '../mime/headers.js';
import { BlobTooLargeError } from '../storage/blobs/fs-blobs.js';
import { spoolMessage, type Spooled } from '../storage/ingest.js';
import type { Store } from '../storage/interface.js';
import type { Address, User } from '../storage/types.js';
import { describeMalformed, isMalformed, MalformedDetector } from './malformed.js';
import { deliveryReply, MALFORMED, rcptReply, ReplyError, SRS_INVALID, TEMPORARY_FAILURE, TOO_BIG, type Reply } from './replies.js';
import { receivedHeader } from './trace.js';

type Accepted =
  | {
      kind: 'user';
      /** As given in RCPT TO. */
      address: string;
      user: User;
      matched: Address;
    }
  /** One of our SRS addresses (a bounce to a forward): relayed to `original`. */
  | { kind: 'srs'; address: string; original: string };

interface SessionState {
  rcpts: Accepted[];
  busy: boolean;
  started: number;
}

export interface LmtpDeps {
  store: Store;
  pipeline: DeliveryPipeline;
  config: { lmtp: LmtpConfig; delivery: DeliveryConfig; hostname: string };
  logger: Logger;
}

type Callback = (err?: Error | null) => void;
type DataCallback = (err?: Error | null, message?: Array<string | Error>) => void;

function sizeParam(session: SMTPServerSession): number {
  const args = session.envelope.mailFrom ? session.envelope.mailFrom.args : false;
  const size = args ? Number(args.SIZE) : NaN;
  return Number.isFinite(size) && size > 0 ? size : 0;
}

const toResult = (r: Reply): string | Error => (r.code < 300 ? r.text : new ReplyError(r));

/** Passes the DATA stream through, feeding the malformed-input detector; never destroys the source (it must drain). */
async function* inspected(stream: Readable, detector: MalformedDetector): AsyncGenerator<Buffer> {
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'latin1');
    detector.write(buf);
    yield buf;
  }
}

async function drain(stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return;
  const ended = once(stream, 'end');
  stream.resume();
  await ended.catch(() => undefined);
}

export class LmtpHandlers {
  private readonly sessions = new Map<string, SessionState>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly deps: LmtpDeps) {}

  private state(session: SMTPServerSession): SessionState {
    let s = this.sessions.get(session.id);
    if (!s) this.sessions.set(session.id, (s = { rcpts: [], busy: false, started: Date.now() }));
    return s;
  }

  isBusy(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.busy ?? false;
  }

  /** Resolves when every delivery in progress has answered. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  onConnect(session: SMTPServerSession, callback: Callback): void {
    this.state(session);
    this.deps.logger.debug('lmtp.connect', { session: session.id, remote: session.remoteAddress || 'socket' });
    callback();
  }

  onClose(session: SMTPServerSession): void {
    const s = this.sessions.get(session.id);
    this.sessions.delete(session.id);
    this.deps.logger.debug('lmtp.close', { session: session.id, ms: s ? Date.now() - s.started : 0 });
  }

  onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void {
    // A transaction starts at MAIL (RFC 5321 §3.3); whatever RSET/LHLO did before, the list starts empty.
    this.state(session).rcpts = [];
    this.deps.logger.debug('lmtp.mail', { session: session.id, from: address.address, size: sizeParam(session) });
    callback();
  }

  onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void {
    const started = Date.now();
    const state = this.state(session);
    const srs = this.deps.pipeline.srsRecipient(address.address);
    if (srs.status !== 'not-srs') {
      this.deps.logger.info('lmtp.rcpt', { session: session.id, rcpt: address.address, status: `srs-${srs.status}`, ms: Date.now() - started });
      if (srs.status === 'invalid') return callback(new ReplyError(SRS_INVALID(address.address)));
      state.rcpts.push({ kind: 'srs', address: address.address, original: srs.address });
      return callback();
    }
    resolveRecipient(this.deps.store.accounts, address.address, this.deps.config.delivery, sizeParam(session)).then(
      (resolution) => {
        const reply = rcptReply(address.address, resolution, this.deps.config.delivery.overQuota);
        // Refusals are worth an info line; each accepted recipient gets one from the pipeline later.
        this.deps.logger[reply ? 'info' : 'debug']('lmtp.rcpt', {
          session: session.id,
          rcpt: address.address,
          status: resolution.status,
          userId: resolution.status === 'ok' || resolution.status === 'disabled' || resolution.status === 'over-quota' ? resolution.user.id : undefined,
          ms: Date.now() - started,
        });
        if (reply) return callback(new ReplyError(reply));
        if (resolution.status === 'ok') state.rcpts.push({ kind: 'user', address: address.address, user: resolution.user, matched: resolution.address });
        callback();
      },
      (err: unknown) => {
        this.deps.logger.error('lmtp.rcpt_failed', { session: session.id, rcpt: address.address, err, ms: Date.now() - started });
        callback(new ReplyError(TEMPORARY_FAILURE));
      },
    );
  }

  onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: DataCallback): void {
    const state = this.state(session);
    state.busy = true;
    const work = this.data(stream, session, state.rcpts.slice()).then(
      (replies) => callback(null, replies.map(toResult)),
      (err: unknown) => {
        this.deps.logger.error('lmtp.data_failed', { session: session.id, err });
        callback(null, state.rcpts.map(() => toResult(TEMPORARY_FAILURE)));
      },
    );
    const tracked = work.finally(() => {
      state.busy = false;
      this.inflight.delete(tracked);
    });
    this.inflight.add(tracked);
  }

  private async data(stream: SMTPServerDataStream, session: SMTPServerSession, rcpts: Accepted[]): Promise<Reply[]> {
    const started = Date.now();
    const { store, config, logger } = this.deps;
    const log = logger.child({ session: session.id });
    const detector = new MalformedDetector();
    let spooled: Spooled;
    try {
      spooled = await spoolMessage(store.blobs, inspected(stream, detector), { maxSize: config.lmtp.maxSize, captureHeader: true });
    } catch (err) {
      await drain(stream);
      if (err instanceof BlobTooLargeError) {
        log.info('lmtp.data', { outcome: 'too-big', bytes: stream.byteLength, limit: config.lmtp.maxSize, ms: Date.now() - started });
        return rcpts.map(() => TOO_BIG(config.lmtp.maxSize));
      }
      throw err;
    }
    try {
      const malformed = detector.report();
      if (isMalformed(malformed)) {
        const refuse = config.delivery.malformed === 'reject';
        log.warn('lmtp.malformed', { ...malformed, action: refuse ? 'refused' : 'accepted', warnings: spooled.parsed.warnings.slice(0, 5).join('; ') });
        if (refuse) return rcpts.map(() => MALFORMED(describeMalformed(malformed)));
      }
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const received = new Date();
      const message: InboundMessage = {
        spooled,
        headers: parseHeaderBlock(spooled.header ?? Buffer.alloc(0)),
        sender,
        sessionId: session.id,
        trace: (rcpt) =>
          receivedHeader(
            { helo: session.hostNameAppearsAs || 'unknown', remoteAddress: session.remoteAddress || null, hostname: config.hostname, sessionId: session.id, received },
            rcpt,
          ),
      };
      // One copy per user: further RCPTs of the same user (an alias and the main address) share its outcome.
      // Users are delivered concurrently, so their appends share one commit (see group-commit.ts).
      const byUser = new Map<string, Promise<DeliveryResult>>();
      const results = rcpts.map((r) => {
        if (r.kind === 'srs') return this.deps.pipeline.relayBounce(message, r.address, r.original);
        let result = byUser.get(r.user.id);
        if (!result) {
          result = this.deps.pipeline.deliver(message, { address: r.address, user: r.user, matched: r.matched });
          byUser.set(r.user.id, result);
        }
        return result;
      });
      const replies: Reply[] = [];
      for (let i = 0; i < rcpts.length; i++) replies.push(deliveryReply(rcpts[i]!.address, await results[i]!, config.delivery.overQuota));
      log.info('lmtp.data', {
        outcome: 'done',
        bytes: spooled.blob.size,
        from: sender,
        rcpts: rcpts.length,
        replies: replies.map((r) => r.code).join(','),
        ms: Date.now() - started,
      });
      return replies;
    } finally {
      await store.blobs.release(spooled.blob);
    }
  }
}
