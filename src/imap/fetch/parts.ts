/**
 * Part numbers → MIME tree nodes (RFC 3501 §6.4.5 section-part).
 *
 * The rules, as RFC 3501 states them and Dovecot answers where the RFC is
 * silent (checked against the live server, see docs/IMAP-COMPAT.md):
 * - A multipart's parts are numbered from 1.
 * - A message whose body is not multipart has exactly one part, "1": its body
 *   (the root itself, whose MIME header is the message header).
 * - A message/rfc822 part "n" holds a message: "n.1", "n.2"... are the parts
 *   of that message by the same two rules ("n.1" is its body when that is not
 *   multipart).
 * - A leaf inside a multipart answers "n.1" with itself, once (Dovecot does
 *   so; RFC 3501 leaves it undefined and clients never rely on the opposite).
 * - Anything else does not exist: the section is then empty, as Dovecot answers.
 *
 * Only message/rfc822 opens an embedded message: IMAP4rev1 (RFC 3501 §9
 * `media-message`) knows no other, and BODYSTRUCTURE describes message/global
 * as a basic part, so its part numbers must not reach inside either.
 */
import type { EmbeddedMessage, MimePart } from '../../mime/types.js';

export function isMultipart(part: MimePart): boolean {
  return part.type.toLowerCase() === 'multipart';
}

/** The embedded message of a message/rfc822 part, when the scanner parsed one. */
export function embeddedMessage(part: MimePart): EmbeddedMessage | null {
  if (part.type.toLowerCase() !== 'message' || part.subtype.toLowerCase() !== 'rfc822') return null;
  return part.message ?? null;
}

/** A message/rfc822 part, parsed or not (unparsed ones, e.g. base64-encoded, behave as leaves). */
export function isMessageRfc822(part: MimePart): boolean {
  return part.type.toLowerCase() === 'message' && part.subtype.toLowerCase() === 'rfc822';
}

/**
 * Where `path` leads from the root of the message, or null when no such part
 * exists. An empty path is the root (the whole message).
 */
export function findPart(root: MimePart, path: readonly number[]): MimePart | null {
  let node = root;
  // The node is a message body (top level, or the root of an embedded message) whose parts the next number counts.
  let atMessage = true;
  // The node is a leaf reached as a multipart child: its ".1" is itself, once.
  let selfOnce = false;
  for (const n of path) {
    const embedded = atMessage ? null : embeddedMessage(node);
    const body = atMessage ? node : embedded?.root ?? null;
    if (body !== null) {
      atMessage = false;
      if (isMultipart(body)) {
        const child = body.children?.[n - 1];
        if (child === undefined) return null;
        node = child;
        selfOnce = !isMultipart(child) && embeddedMessage(child) === null;
      } else if (n === 1) {
        node = body;
        selfOnce = false;
      } else {
        return null;
      }
    } else if (isMultipart(node)) {
      const child = node.children?.[n - 1];
      if (child === undefined) return null;
      node = child;
      selfOnce = !isMultipart(child) && embeddedMessage(child) === null;
    } else if (selfOnce && n === 1) {
      selfOnce = false;
    } else {
      return null;
    }
  }
  return node;
}
