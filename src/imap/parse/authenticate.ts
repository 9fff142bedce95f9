/**
 * AUTHENTICATE (RFC 3501 §6.2.2) with the SASL-IR initial response
 * (RFC 4959): `AUTHENTICATE mech [SP (base64 / "=")]`, `=` meaning an
 * empty initial response.
 */
import { ImapParseError } from '../errors.js';
import type { TokenCursor } from '../proto/cursor.js';

export interface AuthenticateArgs {
  /** Upper-cased SASL mechanism name, e.g. `PLAIN`. */
  readonly mechanism: string;
  /** Decoded initial response; empty for `=`; null when none was sent. */
  readonly initialResponse: Buffer | null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict RFC 4648 base64 (padding required, no whitespace); throws BAD otherwise. */
export function decodeBase64Strict(text: string): Buffer {
  if (text.length === 0 || !BASE64.test(text)) throw new ImapParseError('Invalid base64');
  return Buffer.from(text, 'base64');
}

function isBase64Char(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2f || b === 0x3d;
}

export function parse(cursor: TokenCursor): AuthenticateArgs {
  cursor.expectSpace();
  const mechanism = cursor.readAtom('mechanism').toUpperCase();
  let initialResponse: Buffer | null = null;
  if (cursor.skipSpace()) {
    const text = cursor.readWhile(isBase64Char);
    initialResponse = text === '=' ? Buffer.alloc(0) : decodeBase64Strict(text);
  }
  cursor.expectEnd();
  return { mechanism, initialResponse };
}

export type SaslResponse = { readonly cancel: true } | { readonly cancel: false; readonly data: Buffer };

/**
 * A client line sent in answer to a `+` challenge: `*` cancels (the command
 * then fails with BAD, RFC 3501 §6.2.2); an empty line is an empty response.
 */
export function parseSaslResponse(line: Buffer): SaslResponse {
  const text = line.toString('latin1');
  if (text === '*') return { cancel: true };
  if (text.length === 0) return { cancel: false, data: Buffer.alloc(0) };
  return { cancel: false, data: decodeBase64Strict(text) };
}
