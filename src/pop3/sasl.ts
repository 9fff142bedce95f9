/**
 * The SASL pieces of RFC 5034 that POP3 offers: base64 framing, PLAIN
 * (RFC 4616) and LOGIN (draft-murchison-sasl-login). Pure functions; the AUTH
 * handler runs the exchange.
 */
import { Pop3Error, syntaxError } from './errors.js';

export const MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export function isMechanism(name: string): name is Mechanism {
  return (MECHANISMS as readonly string[]).includes(name);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (RFC 4648 §4): Node's decoder would silently skip garbage. */
export function decodeBase64(text: string): Buffer {
  const t = text.trim();
  if (!BASE64.test(t)) throw syntaxError('Invalid base64 data');
  return Buffer.from(t, 'base64');
}

/** An initial response (RFC 5034 §4): "=" stands for an empty one. */
export function decodeInitialResponse(text: string): Buffer {
  return text === '=' ? Buffer.alloc(0) : decodeBase64(text);
}

export interface Credentials {
  username: string;
  password: string;
}

function utf8(buf: Buffer, what: string): string {
  const s = buf.toString('utf8');
  if (Buffer.byteLength(s) !== buf.length || s.includes('\uFFFD')) throw new Pop3Error(`Invalid ${what} encoding`, { code: 'AUTH' });
  return s;
}

/** RFC 4616 §2: [authzid] NUL authcid NUL passwd. Acting as someone else is not supported, so authzid must be empty or the same user. */
export function parsePlain(message: Buffer): Credentials {
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  if (first < 0 || second < 0 || message.indexOf(0, second + 1) >= 0) throw new Pop3Error('Malformed PLAIN response', { code: 'AUTH' });
  const authzid = utf8(message.subarray(0, first), 'authorization identity');
  const username = utf8(message.subarray(first + 1, second), 'user name');
  const password = utf8(message.subarray(second + 1), 'password');
  if (username === '' || password === '') throw new Pop3Error('Malformed PLAIN response', { code: 'AUTH' });
  if (authzid !== '' && authzid.toLowerCase() !== username.toLowerCase()) {
    throw new Pop3Error('Authorization identity not permitted', { code: 'AUTH' });
  }
  return { username, password };
}

/** A LOGIN step's decoded text (user name or password). */
export function parseLoginField(message: Buffer, what: 'user name' | 'password'): string {
  const s = utf8(message, what);
  if (s === '' || s.includes('\0')) throw new Pop3Error(`Missing ${what}`, { code: 'AUTH' });
  return s;
}

/** LOGIN's challenges, base64 of "Username:" and "Password:" as every client expects. */
export const LOGIN_USER_PROMPT = Buffer.from('Username:').toString('base64');
export const LOGIN_PASS_PROMPT = Buffer.from('Password:').toString('base64');
