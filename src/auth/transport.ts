import { isIPv4 } from 'node:net';
import type { AuthConfig } from '../config/schema.js';

/** Loopback peers (127.0.0.0/8, ::1, IPv4-mapped loopback) are trusted not to be sniffed. */
export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return ip === '::1';
}

/**
 * Whether a plaintext password may be sent on this connection: always with
 * TLS, from loopback, or when the operator explicitly allowed it
 * (RFC 3501 §6.2.3 LOGINDISABLED, RFC 2595 §3.1).
 */
export function plaintextAllowed(secure: boolean, remoteIp: string | undefined, config: Pick<AuthConfig, 'allowInsecurePlaintext'>): boolean {
  return secure || isLoopback(remoteIp) || config.allowInsecurePlaintext;
}
