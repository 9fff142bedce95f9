import { z } from 'zod';
import { seconds } from './common.js';

/** The delivery pipeline (src/filters): spam, autoreplies, forwarding, loops, what LMTP accepts. */
export const deliverySchema = z.strictObject({
  /**
   * Header rules that mark a message as spam, each "Name: value": the field
   * matches when its value starts with the given text (case-insensitive).
   */
  spamHeaders: z
    .array(z.string().regex(/^[!-9;-~]+:\s*\S/, 'expected "Header-Name: value"'))
    .default(['X-Spam-Flag: YES', 'X-Spam-Status: Yes', 'X-Rspamd-Action: reject', 'X-Rspamd-Action: add header', 'X-Rspamd-Action: rewrite subject']),
  /** Headers carrying a numeric spam score (the first number in the value). */
  spamScoreHeaders: z.array(z.string().min(1)).default(['X-Spam-Score', 'X-Rspamd-Score']),
  /** Score at or above which a message is spam for a user at the default spam level; scaled by spamLevel / 50. */
  spamScoreThreshold: z.number().min(0).default(5),
  /** Spam level of users that did not choose one: 0 (anything flagged or scored is spam) .. 100 (nothing is). */
  defaultSpamLevel: z.number().int().min(0).max(100).default(50),
  /** Minimum time between two autoreplies from one user to one sender, seconds (RFC 3834 §2; 4 days). */
  autoreplyInterval: seconds(4 * 24 * 3600),
  /** Forwarded messages per user per day when the user has no forwardLimit of its own. */
  forwardLimit: z.number().int().min(0).default(1000),
  /**
   * Sender Rewriting Scheme for forwards (src/filters/srs.ts): forwards leave
   * with an envelope sender in this domain, and bounces to it are relayed to
   * the original sender. Route the domain's mail to Eider's LMTP. Empty: off
   * (forwards keep the original envelope sender, which SPF checks may refuse).
   */
  srsDomain: z
    .string()
    .regex(/^$|^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/, 'expected a domain name')
    .default(''),
  /** Days a rewritten sender accepts bounces. */
  srsMaxAge: z.number().int().min(1).max(1000).default(21),
  /** A message with more Received headers than this is refused as a mail loop (554 5.4.6). */
  maxReceived: z.number().int().min(1).default(50),
  /** Bare LF, NUL bytes and lines over 998 octets: "accept" (logged) or "reject" (554 5.6.0). */
  malformed: z.enum(['accept', 'reject']).default('accept'),
  /** A recipient over quota: "temporary" (452 4.2.2, the MTA retries) or "permanent" (552 5.2.2, it bounces). */
  overQuota: z.enum(['temporary', 'permanent']).default('temporary'),
  /** Local parts of recipient addresses: "insensitive" (User@ = user@) or "sensitive" (exact match). */
  localPartCase: z.enum(['insensitive', 'sensitive']).default('insensitive'),
  /** Subaddress separator: user+tag@domain delivers to user@domain. Empty disables it. */
  plusSeparator: z.string().max(1).default('+'),
});
export type DeliveryConfig = z.infer<typeof deliverySchema>;
