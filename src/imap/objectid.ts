/**
 * OBJECTID (RFC 8474) identifiers, derived from what storage already keeps
 * immutable: MAILBOXID from the mailbox id (kept across RENAME), EMAILID from
 * the body's content hash (kept across COPY and MOVE, shared by identical
 * bodies, as the RFC allows), THREADID from the thread id assigned at
 * delivery. A letter in front keeps the three kinds apart.
 */
export const mailboxObjectId = (mailboxId: string): string => `F${mailboxId}`;
export const emailObjectId = (blobHash: string): string => `M${blobHash}`;
export const threadObjectId = (threadId: string): string => `T${threadId}`;

/** The blob hash an EMAILID names, or null for one this server never gave out. */
export function emailIdHash(id: string): string | null {
  const m = /^M([0-9a-f]{64})$/.exec(id);
  return m ? m[1]! : null;
}

/** The thread id a THREADID names, or null. */
export function threadIdValue(id: string): string | null {
  return id.length > 1 && id.startsWith('T') ? id.slice(1) : null;
}
