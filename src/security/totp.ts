/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) with node:crypto, plus the base32
 * alphabet of RFC 4648 §6 that authenticator apps use for seeds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 6238 §4.1 defaults that every authenticator app understands. */
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32, without padding (what otpauth:// URIs carry). */
export function base32Encode(data: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and padding. @throws Error on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error('invalid base32 character');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 §5.3: HMAC over the 8-byte counter, dynamic truncation, modulo 10^digits. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4.2: T = floor((now - T0) / X) with T0 = 0. */
export function timeStep(timeMs: number, period = TOTP_PERIOD): number {
  return Math.floor(timeMs / 1000 / period);
}

export function totp(key: Buffer, timeMs: number, options: { digits?: number; period?: number; algorithm?: TotpAlgorithm } = {}): string {
  return hotp(key, timeStep(timeMs, options.period), options.digits, options.algorithm);
}

function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a 6-digit code against the steps around `timeMs` (RFC 6238 §5.2
 * allows a window for clock drift; ±1 step here). Returns the matching
 * step, so the caller can refuse to accept that step again, or null.
 */
export function verifyTotp(key: Buffer, token: string, timeMs: number, window = 1): number | null {
  const code = token.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return null;
  const now = timeStep(timeMs);
  let found: number | null = null;
  // Compare against every candidate (no early exit), so timing does not say which step matched.
  for (let step = now - window; step <= now + window; step++) {
    if (step >= 0 && sameCode(hotp(key, step), code) && found === null) found = step;
  }
  return found;
}

/** The Key Uri Format authenticator apps scan (otpauth://totp/Issuer:label?secret=...). */
export function otpauthUri(seed: string, issuer: string, label: string): string {
  const params = new URLSearchParams({ secret: seed, issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_PERIOD) });
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(label)}?${params.toString()}`;
}
