/**
 * What the server advertises (RFC 3501 §6.1.1, §7.2.1). Only extensions that
 * are implemented appear; the list depends on the connection: STARTTLS until
 * TLS is on, LOGINDISABLED where plaintext passwords are refused
 * (RFC 3501 §6.2.3, RFC 2595 §3.1), AUTH= only before authentication.
 */
import type { ImapConfig } from '../config/schema.js';

export interface CapabilityContext {
  readonly authenticated: boolean;
  readonly secure: boolean;
  /** Plaintext passwords are acceptable on this connection. */
  readonly plaintextAllowed: boolean;
  readonly config: Pick<ImapConfig, 'maxMessageSize'>;
}

/** Extensions present in every state, after IMAP4rev1. */
const COMMON: readonly string[] = [
  'LITERAL+',
  'SASL-IR',
  'ID',
  'ENABLE',
  'IDLE',
  'NAMESPACE',
  'UNSELECT',
  'UIDPLUS',
  'MULTIAPPEND',
  'BINARY',
  'MOVE',
  'CHILDREN',
  'SPECIAL-USE',
  'CREATE-SPECIAL-USE',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'ESEARCH',
  'SEARCHRES',
  'WITHIN',
  'STATUS=SIZE',
  'CONDSTORE',
  'QRESYNC',
  'QUOTA',
  'QUOTA=RES-STORAGE',
  'SORT',
  'SORT=DISPLAY',
  'ESORT',
  'THREAD=REFERENCES',
  'THREAD=ORDEREDSUBJECT',
  'UTF8=ACCEPT',
  'COMPRESS=DEFLATE',
  'OBJECTID',
  'METADATA',
  'PREVIEW',
  'SAVEDATE',
];

export function capabilities(ctx: CapabilityContext): string[] {
  const caps = ['IMAP4rev1', ...COMMON, `APPENDLIMIT=${ctx.config.maxMessageSize}`];
  if (ctx.authenticated) return caps;
  if (!ctx.secure) caps.push('STARTTLS');
  if (ctx.plaintextAllowed) caps.push('AUTH=PLAIN', 'AUTH=LOGIN');
  else caps.push('LOGINDISABLED');
  return caps;
}

/** Extensions ENABLE can turn on (RFC 5161); QRESYNC implies CONDSTORE (RFC 7162 §3.2.3). */
export const ENABLEABLE: ReadonlySet<string> = new Set(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT']);
