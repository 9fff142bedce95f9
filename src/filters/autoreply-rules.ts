/**
 * When not to send a vacation reply: RFC 3834 §2 ("when not to send") and
 * common practice, as a pure function returning the reason, or null when a
 * reply may go (subject to the per-sender interval, which the pipeline
 * claims atomically in storage afterwards).
 */
import { firstValue, type HeaderField } from '../mime/headers.js';
import type { Autoreply } from './types.js';

export type AutoreplySuppression =
  | 'not-configured'
  | 'disabled'
  | 'not-started'
  | 'ended'
  | 'dropped'
  | 'null-sender'
  | 'system-sender'
  | 'own-address'
  | 'auto-submitted'
  | 'precedence'
  | 'mailing-list'
  | 'sender-suppressed'
  | 'spam'
  | 'not-addressed';

export interface AutoreplyCheck {
  autoreply: Autoreply | null;
  now: Date;
  /** Envelope sender (MAIL FROM); '' for the null sender. */
  sender: string;
  headers: readonly HeaderField[];
  /** Lowercased addresses from To and Cc. */
  visibleRecipients: readonly string[];
  /** Lowercased addresses of the user (main and aliases). */
  userAddresses: readonly string[];
  spam: boolean;
  /** The message was not stored (a filter deleted it). */
  dropped: boolean;
  /** Subaddress separator ('' when off): user+tag@ counts as user@. */
  plusSeparator: string;
}

/** Local parts of senders that are software, not people (RFC 3834 §2, "owner-", "-request"; common no-reply forms). */
const SYSTEM_LOCAL = /^(mailer-daemon|postmaster|listserv|majordomo|mailman|no-?reply|do-?not-?reply|bounces?)([-+.].*)?$|^owner-|-(request|owner|bounces?)$/i;

const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-post', 'list-help'];

export function withoutTag(address: string, separator: string): string {
  if (!separator) return address;
  const at = address.lastIndexOf('@');
  const plus = address.indexOf(separator);
  return plus > 0 && plus < at ? address.slice(0, plus) + address.slice(at) : address;
}

export function autoreplySuppression(c: AutoreplyCheck): AutoreplySuppression | null {
  const a = c.autoreply;
  if (!a) return 'not-configured';
  if (!a.status) return 'disabled';
  if (a.start && c.now.getTime() < a.start.getTime()) return 'not-started';
  if (a.end && c.now.getTime() > a.end.getTime()) return 'ended';
  if (c.dropped) return 'dropped';
  const sender = c.sender.trim().toLowerCase();
  // §2: replies go to the envelope sender; a null sender means a bounce or similar.
  if (!sender || !sender.includes('@')) return 'null-sender';
  if (SYSTEM_LOCAL.test(sender.slice(0, sender.lastIndexOf('@')))) return 'system-sender';
  const own = new Set(c.userAddresses.map((x) => x.toLowerCase()));
  if (own.has(withoutTag(sender, c.plusSeparator))) return 'own-address';
  // §5.1: anything but "no" is automatic.
  const auto = firstValue(c.headers, 'auto-submitted');
  if (auto !== null && auto.split(';')[0]!.trim().toLowerCase() !== 'no') return 'auto-submitted';
  const precedence = firstValue(c.headers, 'precedence');
  if (precedence !== null && /^(bulk|list|junk)$/i.test(precedence.trim())) return 'precedence';
  if (c.headers.some((h) => LIST_HEADERS.includes(h.key))) return 'mailing-list';
  // Microsoft's opt-out for auto responses.
  const xars = firstValue(c.headers, 'x-auto-response-suppress');
  if (xars !== null && /\b(all|oof|autoreply)\b/i.test(xars)) return 'sender-suppressed';
  if (c.spam) return 'spam';
  // §2: only reply when the user is visibly addressed (not Bcc, not a list expansion).
  const addressed = c.visibleRecipients.some((r) => own.has(withoutTag(r.toLowerCase(), c.plusSeparator)));
  if (!addressed) return 'not-addressed';
  return null;
}
