/**
 * The delivery transaction for one recipient (maddy's delivery_target
 * style): everything is decided first by pure functions (loop check, filters,
 * spam), then the copy is stored, then forwards and the autoreply are
 * queued in the durable outbox. The result is typed; the LMTP layer turns it
 * into a reply. A failure here never touches another recipient.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { HeaderField } from '../mime/headers.js';
import { addressKey, normalizeAddress } from '../storage/address.js';
import { NotFoundError, OverQuotaError } from '../storage/errors.js';
import { spoolBuffer, type Spooled } from '../storage/ingest.js';
import type { Store } from '../storage/interface.js';
import type { Address, Mailbox, User } from '../storage/types.js';
import { buildAutoreply } from './autoreply-message.js';
import { autoreplySuppression, withoutTag, type AutoreplySuppression } from './autoreply-rules.js';
import { encryptMessage, isEncrypted } from './encrypt.js';
import { evaluateFilters, type FilterDecision } from './evaluate.js';
import { deliveryFacts, visibleRecipients } from './facts.js';
import { LOOP_HEADER, loopCheck, loopMarker } from './loop.js';
import { spamVerdict, type SpamRules, type SpamVerdict } from './spam.js';
import { srsConfig, srsForward, srsReverse, type SrsConfig, type SrsReverse } from './srs.js';

const DAY_MS = 24 * 3600 * 1000;

export interface PipelineContext {
  store: Store;
  config: Pick<Config, 'delivery' | 'server'>;
  secret: Buffer;
  logger: Logger;
  spamRules: SpamRules;
  /** Called after something was queued in the outbox (wakes the worker). */
  outboxChanged: () => void;
}

/** The message as spooled once for all recipients. */
export interface InboundMessage {
  spooled: Spooled;
  /** Root header fields, parsed once. */
  headers: HeaderField[];
  /** Envelope sender; '' for the null sender. */
  sender: string;
  /** The trace header (Received) for one recipient, CRLF-terminated. */
  trace: (recipient: string) => string;
  sessionId: string;
}

export interface DeliveryTarget {
  /** The RCPT TO address as given. */
  address: string;
  user: User;
  /** The address record it resolved to. */
  matched: Address;
}

export type DeliveryResult =
  | { status: 'stored'; mailboxId: string; mailboxPath: string; uid: number; flags: string[]; spam: SpamVerdict; forwards: number; autoreply: string }
  | { status: 'dropped'; forwards: number }
  | { status: 'over-quota' }
  | { status: 'loop'; reason: 'marker' | 'hops'; detail: string }
  | { status: 'failed'; error: unknown }
  /** A bounce to one of our SRS addresses, queued to the original sender (srs.ts). */
  | { status: 'relayed'; to: string };

const header = (name: string, value: string): string => `${name}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`;

/** The per-copy bytes in front of the shared body (RFC 5321 §4.4 Return-Path; Delivered-To as Postfix and Dovecot write it). */
export function deliveryPrefix(sender: string, recipient: string, trace: string): Buffer {
  return Buffer.from(header('Return-Path', `<${sender}>`) + header('Delivered-To', recipient) + trace, 'utf8');
}

function keyOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

function safeKey(address: string): string {
  try {
    return addressKey(address);
  } catch {
    return address.trim().toLowerCase();
  }
}

async function targetMailbox(store: Store, user: User, decision: FilterDecision, spam: boolean): Promise<Mailbox> {
  if (decision.mailbox) {
    const chosen = await store.mailboxes.getMailboxById(user.id, decision.mailbox);
    if (chosen) return chosen;
  } else if (spam) {
    const junk = await store.mailboxes.getSpecialMailbox(user.id, '\\Junk');
    if (junk) return junk;
  }
  const inbox = await store.mailboxes.getMailbox(user.id, 'INBOX');
  if (!inbox) throw new NotFoundError('mailbox', 'INBOX missing');
  return inbox;
}

export class DeliveryPipeline {
  private readonly srs: SrsConfig | null;

  constructor(private readonly ctx: PipelineContext) {
    this.srs = srsConfig(ctx.config.delivery, ctx.secret);
  }

  /** What RCPT TO makes of an address in the SRS domain: not ours to decode, forged or stale, or whom it stands for. */
  srsRecipient(address: string): SrsReverse {
    return this.srs ? srsReverse(address, this.srs) : { status: 'not-srs' };
  }

  /**
   * A bounce (or any reply) to one of our rewritten senders: relayed, as it
   * came, to the address the SRS address stands for, through the outbox.
   */
  async relayBounce(message: InboundMessage, recipient: string, original: string): Promise<DeliveryResult> {
    const log = this.ctx.logger.child({ session: message.sessionId, rcpt: recipient });
    try {
      const prefix = Buffer.from(message.trace(recipient), 'utf8');
      await this.ctx.store.outbox.enqueue({
        kind: 'forward',
        userId: null,
        from: message.sender,
        to: [original],
        body: { blob: message.spooled.blob, parsed: message.spooled.parsed, prefix },
        key: keyOf('srs', message.spooled.blob.hash, safeKey(original)),
      });
      this.ctx.outboxChanged();
      log.info('delivery.srs_relayed', { to: original });
      return { status: 'relayed', to: original };
    } catch (err) {
      log.error('delivery.failed', { err });
      return { status: 'failed', error: err };
    }
  }

  async deliver(message: InboundMessage, target: DeliveryTarget): Promise<DeliveryResult> {
    const started = Date.now();
    const { store, logger } = this.ctx;
    const { user } = target;
    const log = logger.child({ session: message.sessionId, userId: user.id, rcpt: target.address });
    try {
      const parsed = message.spooled.parsed;
      const loop = loopCheck(message.headers, {
        secret: this.ctx.secret,
        userId: user.id,
        messageId: parsed.facts.messageId,
        maxReceived: this.ctx.config.delivery.maxReceived,
      });
      if (loop.loop) {
        log.warn('delivery.loop', { reason: loop.reason, detail: loop.detail, ms: Date.now() - started });
        return { status: 'loop', reason: loop.reason, detail: loop.detail };
      }
      const filters = await store.filters.list(user.id);
      const decision = evaluateFilters(filters, deliveryFacts(parsed, message.headers, target.address));
      const spam = spamVerdict(message.headers, this.ctx.spamRules, user.settings.spamLevel, decision.spam);
      const flags: string[] = [];
      if (decision.seen) flags.push('\\Seen');
      if (decision.flag) flags.push('\\Flagged');

      const encrypted = await this.encryptedCopy(message, user, log);
      let stored: { mailbox: Mailbox; uid: number } | null = null;
      let forwards: number;
      try {
        if (!decision.delete) {
          const copy = encrypted && user.settings.encryptMessages ? encrypted : message.spooled;
          const prefix = deliveryPrefix(message.sender, target.address, message.trace(target.address));
          let mailbox = await targetMailbox(store, user, decision, spam.spam);
          let result;
          try {
            result = await store.messages.append(mailbox.id, { blob: copy.blob, parsed: copy.parsed, prefix, flags, ...(copy.header ? { header: copy.header } : {}) });
          } catch (err) {
            // The chosen mailbox went away between lookup and append: INBOX still takes it.
            if (!(err instanceof NotFoundError) || mailbox.path === 'INBOX') throw err;
            mailbox = await targetMailbox(store, user, { targets: [], matched: [] }, false);
            result = await store.messages.append(mailbox.id, { blob: copy.blob, parsed: copy.parsed, prefix, flags });
          }
          stored = { mailbox, uid: result.uid };
        }
        const forwarded = encrypted && user.settings.encryptForwarded ? encrypted : message.spooled;
        forwards = await this.queueForwards(message, forwarded, target, decision, spam, log);
      } finally {
        if (encrypted) await store.blobs.release(encrypted.blob);
      }
      const autoreply = await this.maybeAutoreply(message, target, spam.spam, stored === null, log);
      const fields = {
        filters: decision.matched.length,
        spam: spam.spam,
        spamReason: spam.reason,
        forwards,
        autoreply,
        ms: Date.now() - started,
      };
      if (!stored) {
        log.info('delivery.dropped', fields);
        return { status: 'dropped', forwards };
      }
      log.info('delivery.stored', { ...fields, mailbox: stored.mailbox.path, uid: stored.uid, flags: flags.join(' ') });
      return { status: 'stored', mailboxId: stored.mailbox.id, mailboxPath: stored.mailbox.path, uid: stored.uid, flags, spam, forwards, autoreply };
    } catch (err) {
      if (err instanceof OverQuotaError) {
        log.info('delivery.over_quota', { used: err.used, quota: err.quota, needed: err.needed, ms: Date.now() - started });
        return { status: 'over-quota' };
      }
      log.error('delivery.failed', { err, ms: Date.now() - started });
      return { status: 'failed', error: err };
    }
  }

  /**
   * The message encrypted to the user's OpenPGP key when their settings ask
   * for encrypted storage or forwarding (encrypt.ts), spooled as a blob of its
   * own; null when not asked, or already encrypted. A key that fails here
   * (it was checked on upload) is logged and the message kept as it came:
   * an acknowledged delivery is never lost to it.
   */
  private async encryptedCopy(message: InboundMessage, user: User, log: Logger): Promise<Spooled | null> {
    const key = user.settings.pubKey;
    if (!key || !(user.settings.encryptMessages || user.settings.encryptForwarded)) return null;
    const { store } = this.ctx;
    const raw = await store.blobs.readStaged(message.spooled.blob);
    if (isEncrypted(message.spooled.parsed, raw)) return null;
    let encrypted: Buffer;
    try {
      encrypted = await encryptMessage(raw, message.spooled.parsed, key);
    } catch (err) {
      log.warn('delivery.encrypt_failed', { err });
      return null;
    }
    return spoolBuffer(store.blobs, encrypted);
  }

  /** Queues forwards (filter targets and the user's own forwards) within the daily limit; returns how many targets were queued. */
  private async queueForwards(
    message: InboundMessage,
    content: Spooled,
    target: DeliveryTarget,
    decision: FilterDecision,
    spam: SpamVerdict,
    log: Logger,
  ): Promise<number> {
    const { user } = target;
    const wanted = [...decision.targets, ...(Array.isArray(user.settings.forwards) ? user.settings.forwards : [])];
    if (wanted.length === 0) return 0;
    if (spam.spam) {
      log.info('delivery.forward_skipped', { reason: 'spam', targets: wanted.length });
      return 0;
    }
    const emails: string[] = [];
    const urls: string[] = [];
    const seen = new Set<string>();
    for (const raw of wanted) {
      const t = raw.trim();
      if (/^https?:\/\//i.test(t)) {
        let url: URL;
        try {
          url = new URL(t);
        } catch {
          log.warn('delivery.forward_invalid', { target: t });
          continue;
        }
        if (!seen.has(url.href)) urls.push(url.href);
        seen.add(url.href);
        continue;
      }
      let address: string;
      try {
        address = normalizeAddress(t);
      } catch {
        log.warn('delivery.forward_invalid', { target: t });
        continue;
      }
      const k = safeKey(address);
      // Forwarding to the recipient itself would only loop.
      if (seen.has(k) || k === safeKey(target.address) || k === safeKey(target.matched.address)) continue;
      seen.add(k);
      emails.push(address);
    }
    let all = [...emails.map((e) => ({ kind: 'smtp' as const, value: e })), ...urls.map((u) => ({ kind: 'http' as const, value: u }))];
    if (all.length === 0) return 0;
    const limit = typeof user.settings.forwardLimit === 'number' ? user.settings.forwardLimit : this.ctx.config.delivery.forwardLimit;
    const used = await this.ctx.store.coordination.increment(`forwards:${user.id}`, DAY_MS, all.length);
    const allowed = Math.max(0, all.length - Math.max(0, used - limit));
    if (allowed < all.length) {
      log.warn('delivery.forward_limit', { limit, refused: all.length - allowed });
      all = all.slice(0, allowed);
    }
    if (all.length === 0) return 0;
    const parsed = message.spooled.parsed;
    const prefix = Buffer.from(
      message.trace(target.address) +
        header('Delivered-To', target.address) +
        header(LOOP_HEADER, loopMarker(this.ctx.secret, user.id, parsed.facts.messageId)),
      'utf8',
    );
    const body = { blob: content.blob, parsed: content.parsed, prefix };
    const smtpTargets = all.filter((t) => t.kind === 'smtp').map((t) => t.value);
    if (smtpTargets.length > 0) {
      await this.ctx.store.outbox.enqueue({
        kind: 'forward',
        userId: user.id,
        // Without SRS the original sender is kept, and an SPF check at the target may refuse the forward.
        from: this.srs ? srsForward(message.sender, this.srs) : message.sender,
        to: smtpTargets,
        body,
        key: keyOf('forward', user.id, message.spooled.blob.hash, ...smtpTargets.map(safeKey).sort()),
      });
    }
    for (const t of all) {
      if (t.kind !== 'http') continue;
      await this.ctx.store.outbox.enqueue({
        kind: 'forward',
        userId: user.id,
        from: message.sender,
        to: [],
        url: t.value,
        body,
        key: keyOf('forward-url', user.id, message.spooled.blob.hash, t.value),
      });
    }
    this.ctx.outboxChanged();
    return all.length;
  }

  /** RFC 3834 vacation reply; returns what happened ("queued" or the suppression reason). Never fails the delivery. */
  private async maybeAutoreply(message: InboundMessage, target: DeliveryTarget, spam: boolean, dropped: boolean, log: Logger): Promise<string> {
    const { store, config } = this.ctx;
    const { user } = target;
    try {
      const autoreply = await store.autoreplies.get(user.id);
      if (!autoreply) return 'not-configured';
      const userAddresses = (await store.accounts.listAddresses(user.id)).map((a) => safeKey(a.address));
      const visible = visibleRecipients(message.spooled.parsed).map(safeKey);
      const reason: AutoreplySuppression | null = autoreplySuppression({
        autoreply,
        now: new Date(),
        sender: message.sender ? safeKey(message.sender) : '',
        headers: message.headers,
        visibleRecipients: visible,
        userAddresses,
        spam,
        dropped,
        plusSeparator: config.delivery.plusSeparator,
      });
      if (reason) {
        log.debug('delivery.autoreply_suppressed', { reason });
        return reason;
      }
      const sender = safeKey(message.sender);
      if (!(await store.autoreplies.claimReply(user.id, sender, config.delivery.autoreplyInterval * 1000))) {
        log.debug('delivery.autoreply_suppressed', { reason: 'interval' });
        return 'interval';
      }
      const own = new Set(userAddresses);
      const from =
        message.spooled.parsed.facts.to
          .concat(message.spooled.parsed.facts.cc)
          .map((a) => a.address)
          .find((a) => own.has(withoutTag(safeKey(a), config.delivery.plusSeparator))) ?? target.matched.address;
      const raw = await buildAutoreply({
        autoreply,
        userName: user.name,
        from,
        to: message.sender,
        original: message.spooled.parsed.facts,
        hostname: config.server.hostname,
        now: new Date(),
      });
      await store.outbox.enqueue({
        kind: 'autoreply',
        userId: user.id,
        from: '',
        to: [message.sender],
        raw,
        key: keyOf('autoreply', user.id, message.spooled.blob.hash, sender),
      });
      this.ctx.outboxChanged();
      log.info('delivery.autoreply_queued', { to: message.sender });
      return 'queued';
    } catch (err) {
      log.error('delivery.autoreply_failed', { err });
      return 'failed';
    }
  }
}
