/**
 * Sender Rewriting Scheme for forwards (the SRS0/SRS1 address forms of
 * Shevek's "Sender Rewriting Scheme" paper, as libsrs2 and postsrsd write
 * them). A forward leaves with an envelope sender in our own domain, so the
 * receiving server's SPF check (RFC 7208) looks at us, not at the original
 * sender's domain; a bounce to that address comes back to us, is verified
 * (keyed hash, age) and relayed to the original sender.
 *
 *   SRS0=HHHH=TT=example.org=alice@fwd.example     (alice@example.org)
 *   SRS1=HHHH=hop1.example==HHHH=TT=example.org=alice@fwd.example
 *                                                  (an SRS0 address of hop1, forwarded again)
 *
 * HHHH: the first 4 characters of the base64 HMAC-SHA1 of the fields after
 * it, lowercased, compared case-insensitively (local parts may be
 * case-folded on the way); TT: the day number modulo 1024, two base32 digits.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryConfig } from '../config/schema.js';

export interface SrsConfig {
  /** The domain the rewritten senders are in; mail to it must be routed to this server's LMTP. */
  domain: string;
  secret: Buffer | string;
  /** How long a rewritten address accepts bounces. */
  maxAgeDays: number;
}

/** The SRS settings from config, keyed by the server secret; null when SRS is off. */
export function srsConfig(delivery: Pick<DeliveryConfig, 'srsDomain' | 'srsMaxAge'>, serverSecret: Buffer): SrsConfig | null {
  if (!delivery.srsDomain) return null;
  // A key of its own, so an SRS hash never doubles as a loop marker or any other signature.
  const secret = createHmac('sha256', serverSecret).update('eider srs v1').digest();
  return { domain: delivery.srsDomain, secret, maxAgeDays: delivery.srsMaxAge };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DAY_MS = 24 * 60 * 60 * 1000;
/** The timestamp wraps every 1024 days (two base32 digits). */
const TIME_SLOTS = 1024;

function dayOf(now: number): number {
  return Math.floor(now / DAY_MS) % TIME_SLOTS;
}

function timestamp(now: number): string {
  const day = dayOf(now);
  return BASE32[day >> 5]! + BASE32[day & 31]!;
}

function hash(config: SrsConfig, ...fields: string[]): string {
  return createHmac('sha1', config.secret).update(fields.join('').toLowerCase()).digest('base64').slice(0, 4);
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

function split(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

const SRS0 = /^SRS0[=+-]/i;
const SRS1 = /^SRS1[=+-]/i;

/**
 * The envelope sender a forward leaves with. The null sender stays null (it
 * must never be bounced to), and senders already in our domain stay as they
 * are.
 */
export function srsForward(sender: string, config: SrsConfig, now = Date.now()): string {
  const parts = split(sender);
  if (!parts) return sender;
  const { local, domain } = parts;
  if (domain.toLowerCase() === config.domain.toLowerCase()) return sender;
  if (SRS0.test(local)) {
    // Another forwarder's address: point at that forwarder, keep its opaque part (starting with its separator).
    const rest = local.slice(4);
    return `SRS1=${hash(config, domain, rest)}=${domain}=${rest}@${config.domain}`;
  }
  if (SRS1.test(local)) {
    // Already SRS1: keep the first forwarder and its part, re-sign for ourselves.
    const m = /^SRS1[=+-][^=]*=([^=]+)=(.*)$/i.exec(local);
    if (m) return `SRS1=${hash(config, m[1]!, m[2]!)}=${m[1]}=${m[2]}@${config.domain}`;
  }
  const tt = timestamp(now);
  return `SRS0=${hash(config, tt, domain, local)}=${tt}=${domain}=${local}@${config.domain}`;
}

export type SrsReverse =
  | { status: 'not-srs' }
  | { status: 'invalid'; reason: 'hash' | 'expired' | 'syntax' }
  | { status: 'ok'; address: string };

/** Decodes a bounce's recipient in our SRS domain back to the address it stands for. */
export function srsReverse(address: string, config: SrsConfig, now = Date.now()): SrsReverse {
  const parts = split(address);
  if (!parts || parts.domain.toLowerCase() !== config.domain.toLowerCase()) return { status: 'not-srs' };
  const { local } = parts;
  if (SRS0.test(local)) {
    const m = /^SRS0[=+-]([^=]+)=([^=]{2})=([^=]+)=(.+)$/i.exec(local);
    const [hh, tt, domain, user] = [m?.[1], m?.[2], m?.[3], m?.[4]];
    if (hh === undefined || tt === undefined || domain === undefined || user === undefined) return { status: 'invalid', reason: 'syntax' };
    if (!sameHash(hh, hash(config, tt, domain, user))) return { status: 'invalid', reason: 'hash' };
    const a = BASE32.indexOf(tt[0]!.toUpperCase());
    const b = BASE32.indexOf(tt[1]!.toUpperCase());
    if (a < 0 || b < 0) return { status: 'invalid', reason: 'syntax' };
    const age = (dayOf(now) - ((a << 5) | b) + TIME_SLOTS) % TIME_SLOTS;
    if (age > config.maxAgeDays) return { status: 'invalid', reason: 'expired' };
    return { status: 'ok', address: `${user}@${domain}` };
  }
  if (SRS1.test(local)) {
    const m = /^SRS1[=+-]([^=]+)=([^=]+)=(.*)$/i.exec(local);
    const [hh, domain, rest] = [m?.[1], m?.[2], m?.[3]];
    if (hh === undefined || domain === undefined || rest === undefined) return { status: 'invalid', reason: 'syntax' };
    if (!sameHash(hh, hash(config, domain, rest))) return { status: 'invalid', reason: 'hash' };
    // Back to the previous forwarder's SRS0 address, which that forwarder verifies in turn.
    return { status: 'ok', address: `SRS0${rest}@${domain}` };
  }
  return { status: 'not-srs' };
}
