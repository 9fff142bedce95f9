/**
 * ENVELOPE rendering (RFC 3501 §7.4.2) from the MIME scanner's Envelope.
 * The scanner already applied the defaulting rules (sender/reply-to from
 * From), so this is a pure shape conversion.
 */
import type { Envelope, EnvelopeAddress } from '../../mime/types.js';
import { concat, type ImapValue } from './values.js';

/** `address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"`. */
export function addressValue(address: EnvelopeAddress): ImapValue {
  return [address.name, address.adl, address.mailbox, address.host];
}

/** `"(" 1*address ")" / nil`: addresses are adjacent, without SP; an empty list is NIL. */
export function addressListValue(list: readonly EnvelopeAddress[] | null): ImapValue {
  if (list === null || list.length === 0) return null;
  return [concat(list.map(addressValue))];
}

/** `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`. */
export function envelopeValue(envelope: Envelope): ImapValue {
  return [
    envelope.date,
    envelope.subject,
    addressListValue(envelope.from),
    addressListValue(envelope.sender),
    addressListValue(envelope.replyTo),
    addressListValue(envelope.to),
    addressListValue(envelope.cc),
    addressListValue(envelope.bcc),
    envelope.inReplyTo,
    envelope.messageId,
  ];
}

/** All-NIL envelope, for a message/rfc822 part whose embedded message the scanner did not provide. */
export const EMPTY_ENVELOPE: Envelope = {
  date: null,
  subject: null,
  from: null,
  sender: null,
  replyTo: null,
  to: null,
  cc: null,
  bcc: null,
  inReplyTo: null,
  messageId: null,
};
