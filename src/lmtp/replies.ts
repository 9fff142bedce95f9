/**
 * Every LMTP reply Eider chooses, in one place: typed outcomes in, reply
 * code and text (starting with the RFC 3463 enhanced status code) out.
 * Client text stays generic; the details go to the log.
 */
import type { DeliveryConfig } from '../config/schema.js';
import type { DeliveryResult } from '../filters/pipeline.js';
import type { RecipientResolution } from '../filters/recipient.js';

export interface Reply {
  code: number;
  /** Begins with the enhanced status code, e.g. "5.1.1 ...". */
  text: string;
}

/** An Error as smtp-server wants it (responseCode), carrying our enhanced code in the text. */
export class ReplyError extends Error {
  readonly responseCode: number;
  constructor(reply: Reply) {
    super(reply.text);
    this.responseCode = reply.code;
  }
}

export const TEMPORARY_FAILURE: Reply = { code: 451, text: '4.3.0 Temporary failure, try again later' };
export const SHUTTING_DOWN: Reply = { code: 421, text: '4.3.2 Service shutting down' };
export const TOO_BIG = (max: number): Reply => ({ code: 552, text: `5.3.4 Message too big (limit ${max} bytes)` });
export const MALFORMED = (what: string): Reply => ({ code: 554, text: `5.6.0 Message refused: malformed content (${what})` });

function overQuota(address: string, policy: DeliveryConfig['overQuota']): Reply {
  return policy === 'permanent'
    ? { code: 552, text: `5.2.2 <${address}> Mailbox full` }
    : { code: 452, text: `4.2.2 <${address}> Mailbox full, try again later` };
}

/** RCPT TO of an SRS address that does not verify (forged, altered or older than srsMaxAge). */
export const SRS_INVALID = (address: string): Reply => ({ code: 550, text: `5.1.1 <${address}> Invalid or expired SRS address` });

/** RCPT TO refusals; null when the recipient is accepted. */
export function rcptReply(address: string, r: RecipientResolution, policy: DeliveryConfig['overQuota']): Reply | null {
  switch (r.status) {
    case 'ok':
      return null;
    case 'invalid':
      return { code: 553, text: `5.1.3 Bad recipient address syntax` };
    case 'unknown':
      return { code: 550, text: `5.1.1 <${address}> No such user here` };
    case 'disabled':
      return { code: 550, text: `5.2.1 <${address}> Mailbox disabled, not accepting messages` };
    case 'over-quota':
      return overQuota(address, policy);
  }
}

/** The per-recipient reply after DATA. */
export function deliveryReply(address: string, r: DeliveryResult, policy: DeliveryConfig['overQuota']): Reply {
  switch (r.status) {
    case 'stored':
    case 'dropped':
      return { code: 250, text: `2.0.0 <${address}> Delivered` };
    case 'relayed':
      return { code: 250, text: `2.0.0 <${address}> Relayed to the original sender` };
    case 'over-quota':
      return overQuota(address, policy);
    case 'loop':
      return { code: 554, text: `5.4.6 <${address}> Mail loop detected` };
    case 'failed':
      return TEMPORARY_FAILURE;
  }
}
