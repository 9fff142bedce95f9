import { MECHANISMS } from './sasl.js';

export interface CapabilityInput {
  secure: boolean;
  /** Plaintext passwords accepted on this connection (TLS, loopback, or allowed by config). */
  plaintext: boolean;
  hideVersion: boolean;
  version: string;
}

/**
 * The CAPA list (RFC 2449 §6). The same in both states (§5: capabilities of
 * the AUTHORIZATION state are announced in both); USER and SASL only where a
 * password may be sent (RFC 2595 §4), STLS until TLS is on.
 */
export function capabilities(input: CapabilityInput): string[] {
  const caps = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
  if (input.plaintext) caps.push('USER', `SASL ${MECHANISMS.join(' ')}`);
  if (!input.secure) caps.push('STLS');
  caps.push(input.hideVersion ? 'IMPLEMENTATION Eider' : `IMPLEMENTATION Eider ${input.version}`);
  return caps;
}
