import { firstValue, type HeaderField } from '../mime/headers.js';
import { addressFacts } from '../mime/addresses.js';
import type { AddressFact, ParsedMessage } from '../mime/types.js';

/**
 * What filters look at, computed once per message and recipient from the
 * MIME scanner's facts and the raw header block.
 */
export interface DeliveryFacts {
  /** From, as "Name <address>" items joined with ", ". */
  from: string;
  /** To, Cc and Delivered-To (the header ones and this recipient), one item each. */
  to: string[];
  /** Decoded Subject. */
  subject: string;
  /** The List-Id id (inside the angle brackets), or null. */
  listId: string | null;
  /** Decoded body text (capped by the scanner). */
  text: string;
  hasAttachments: boolean;
  /** Message size in bytes, as delivered (no per-recipient prefix). */
  size: number;
}

export const formatAddress = (a: AddressFact): string => (a.name ? `${a.name} <${a.address}>` : a.address);

export function deliveryFacts(parsed: ParsedMessage, headers: readonly HeaderField[], recipient: string): DeliveryFacts {
  const facts = parsed.facts;
  const deliveredTo = headers.filter((h) => h.key === 'delivered-to').map((h) => h.value);
  return {
    from: facts.from.map(formatAddress).join(', '),
    to: [...facts.to.map(formatAddress), ...facts.cc.map(formatAddress), ...deliveredTo, recipient],
    subject: facts.subject,
    listId: facts.listId,
    text: facts.text,
    hasAttachments: facts.hasAttachments,
    size: parsed.size,
  };
}

/** Every address in To and Cc, lowercased; for the "addressed to me" test of autoreplies. */
export function visibleRecipients(parsed: ParsedMessage): string[] {
  return [...parsed.facts.to, ...parsed.facts.cc].map((a) => a.address.toLowerCase()).filter((a) => a.includes('@'));
}

/** The first address of a header such as Reply-To, lowercased, or null. */
export function headerAddress(headers: readonly HeaderField[], key: string): string | null {
  const list = addressFacts(firstValue(headers, key));
  return list[0]?.address ?? null;
}
