/**
 * Mail loop protection (RFC 5321 §6.3). A message this server forwards
 * carries a marker signed with the server secret (HMAC-SHA256) and bound to
 * the forwarding user and the Message-ID; when such a message comes back to
 * the same user it is a loop. Independently, too many Received headers mean
 * the message has been going round somewhere.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HeaderField } from '../mime/headers.js';

export const LOOP_HEADER = 'X-Eider-Loop';
const LOOP_KEY = LOOP_HEADER.toLowerCase();

function signature(secret: Buffer, userId: string, messageId: string | null): Buffer {
  return createHmac('sha256', secret).update(`eider-loop-v1\0${userId}\0${(messageId ?? '').trim().toLowerCase()}`).digest().subarray(0, 18);
}

/** The header value to put on a message forwarded for `userId`. */
export function loopMarker(secret: Buffer, userId: string, messageId: string | null): string {
  return `v=1; u=${userId}; s=${signature(secret, userId, messageId).toString('base64url')}`;
}

/** Whether a marker value is ours, valid, and was made for this user and message. */
export function isOwnMarker(value: string, secret: Buffer, userId: string, messageId: string | null): boolean {
  const m = /^\s*v=1;\s*u=([0-9a-f]{24});\s*s=([A-Za-z0-9_-]{24})\s*$/.exec(value);
  if (!m || m[1] !== userId) return false;
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = signature(secret, userId, messageId);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function receivedCount(headers: readonly HeaderField[]): number {
  let n = 0;
  for (const h of headers) if (h.key === 'received') n++;
  return n;
}

export type LoopVerdict = { loop: false } | { loop: true; reason: 'marker' | 'hops'; detail: string };

export function loopCheck(
  headers: readonly HeaderField[],
  options: { secret: Buffer; userId: string; messageId: string | null; maxReceived: number },
): LoopVerdict {
  const hops = receivedCount(headers);
  if (hops > options.maxReceived) return { loop: true, reason: 'hops', detail: `${hops} Received headers (limit ${options.maxReceived})` };
  for (const h of headers) {
    if (h.key === LOOP_KEY && isOwnMarker(h.value, options.secret, options.userId, options.messageId)) {
      return { loop: true, reason: 'marker', detail: 'message was already forwarded for this user' };
    }
  }
  return { loop: false };
}
