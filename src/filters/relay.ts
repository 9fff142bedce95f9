/**
 * Sending outbox entries: SMTP through the configured relay (nodemailer), or
 * an HTTP POST of the raw message for URL targets. Errors say whether
 * retrying can help.
 */
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { RelayConfig } from '../config/schema.js';
import type { OutboxEntry } from '../storage/delivery-stores.js';

export class SendError extends Error {
  constructor(
    message: string,
    /** True when the other side refused for good (5xx SMTP, 4xx HTTP): retrying will not help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface OutboundSender {
  /** Whether SMTP entries can be sent at all (a relay is configured). */
  readonly smtp: boolean;
  send(entry: OutboxEntry, body: Readable): Promise<void>;
  close(): void;
}

function smtpFailure(err: unknown): SendError {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : 0;
  return new SendError(`${e.code ?? 'SMTP'} ${code || ''} ${e.message ?? String(err)}`.replace(/\s+/g, ' ').trim(), code >= 500 && code < 600);
}

export function createSender(relay: RelayConfig, options: { httpTimeoutMs?: number } = {}): OutboundSender {
  const transport = relay.host
    ? nodemailer.createTransport({
        host: relay.host,
        port: relay.port,
        secure: relay.secure,
        auth: relay.user ? { user: relay.user, pass: relay.pass } : undefined,
        tls: { rejectUnauthorized: relay.rejectUnauthorized },
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 120_000,
      })
    : null;
  const httpTimeout = options.httpTimeoutMs ?? 60_000;
  return {
    smtp: transport !== null,
    async send(entry, body) {
      if (entry.transport === 'http') {
        if (!entry.url) throw new SendError('http entry without url', true);
        const chunks: Buffer[] = [];
        for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
        let res: Response;
        try {
          res = await fetch(entry.url, {
            method: 'POST',
            headers: { 'content-type': 'message/rfc822' },
            body: Buffer.concat(chunks),
            signal: AbortSignal.timeout(httpTimeout),
            redirect: 'error',
          });
        } catch (err) {
          throw new SendError(`POST ${entry.url}: ${(err as Error).message}`, false);
        }
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) return;
        const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
        throw new SendError(`POST ${entry.url}: HTTP ${res.status}`, permanent);
      }
      if (!transport) throw new SendError('no relay configured', false);
      try {
        await transport.sendMail({ envelope: { from: entry.from, to: entry.to }, raw: body });
      } catch (err) {
        throw smtpFailure(err);
      }
    },
    close() {
      transport?.close();
    },
  };
}
