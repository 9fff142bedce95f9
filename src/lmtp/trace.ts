/** Trace fields for delivered copies (RFC 5321 §4.4). */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** RFC 5322 §3.3 date-time, in UTC. */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000`;
}

/** Keeps client-controlled text from breaking the header. */
const clean = (s: string): string => s.replace(/[^\x21-\x7e\u00a0-\uffff]/g, '').slice(0, 255) || 'unknown';

export interface TraceInfo {
  /** LHLO argument. */
  helo: string;
  /** Peer address, or null on a Unix socket. */
  remoteAddress: string | null;
  hostname: string;
  sessionId: string;
  received: Date;
}

/** One Received field (folded), CRLF-terminated. */
export function receivedHeader(t: TraceInfo, recipient: string): string {
  const from = t.remoteAddress ? `${clean(t.helo)} ([${clean(t.remoteAddress)}])` : `${clean(t.helo)} (local socket)`;
  return `Received: from ${from}\r\n\tby ${clean(t.hostname)} (Eider) with LMTP id ${clean(t.sessionId)}\r\n\tfor <${clean(recipient)}>; ${rfc5322Date(t.received)}\r\n`;
}
