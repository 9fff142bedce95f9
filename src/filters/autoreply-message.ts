/**
 * The vacation reply itself (RFC 3834 §3): to the envelope sender, from the
 * user's address that the message was sent to, Auto-Submitted:
 * auto-replied, In-Reply-To and References pointing at the original, and
 * "Auto: <subject>" unless the user set a subject. Sent with the null
 * envelope sender so nothing bounces back to an autoresponder.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { MessageFacts } from '../mime/types.js';
import type { Autoreply } from './types.js';

export interface AutoreplyParams {
  autoreply: Autoreply;
  /** Display name when the autoreply has none. */
  userName: string;
  /** Our address the reply comes from. */
  from: string;
  /** Envelope sender of the original: where the reply goes. */
  to: string;
  original: Pick<MessageFacts, 'subject' | 'messageId' | 'references'>;
  hostname: string;
  now: Date;
}

/** RFC 3834 §3.1.5: a prefix marks the subject as automatic; do not stack prefixes. */
export function autoreplySubject(autoreply: Pick<Autoreply, 'subject'>, originalSubject: string): string {
  if (autoreply.subject.trim()) return autoreply.subject;
  const base = originalSubject.trim().replace(/^(auto:\s*)+/i, '');
  return `Auto: ${base}`;
}

export async function buildAutoreply(p: AutoreplyParams): Promise<Buffer> {
  const references = [...p.original.references];
  if (p.original.messageId && !references.includes(p.original.messageId)) references.push(p.original.messageId);
  const name = p.autoreply.name || p.userName;
  const composer = new MailComposer({
    from: name ? { name, address: p.from } : p.from,
    to: p.to,
    subject: autoreplySubject(p.autoreply, p.original.subject),
    text: p.autoreply.text || undefined,
    html: p.autoreply.html || undefined,
    inReplyTo: p.original.messageId ?? undefined,
    references: references.length > 0 ? references : undefined,
    date: p.now,
    headers: {
      'Auto-Submitted': 'auto-replied',
      // Keeps Exchange and similar from answering the answer.
      'X-Auto-Response-Suppress': 'All',
    },
    messageId: undefined,
  });
  const node = composer.compile();
  node.setHeader('Message-ID', `<auto-${p.now.getTime().toString(36)}-${randomBytes(6).toString('hex')}@${p.hostname}>`);
  return node.build();
}
