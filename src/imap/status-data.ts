/**
 * STATUS data (RFC 3501 §6.3.10, HIGHESTMODSEQ RFC 7162 §3.1.6, SIZE RFC
 * 8438, APPENDLIMIT RFC 7889), shared by STATUS and LIST-STATUS (RFC 5819).
 */
import type { Mailbox } from '../storage/types.js';
import type { StatusItem } from './parse/status.js';
import { atom, raw, type ImapValue } from './proto/values.js';
import { mailboxObjectId } from './objectid.js';
import type { Session } from './session.js';
import { wireName } from './mailboxes.js';

export async function statusResponse(session: Session, mailbox: Mailbox, items: readonly StatusItem[]): Promise<void> {
  const c = await session.store.mailboxes.counters(mailbox.id);
  const values: ImapValue[] = [];
  for (const item of items) {
    values.push(atom(item));
    switch (item) {
      case 'MESSAGES':
        values.push(c.messages);
        break;
      case 'RECENT':
        values.push(c.recent);
        break;
      case 'UIDNEXT':
        values.push(c.uidNext);
        break;
      case 'UIDVALIDITY':
        values.push(c.uidValidity);
        break;
      case 'UNSEEN':
        values.push(c.unseen);
        break;
      case 'HIGHESTMODSEQ':
        values.push(c.highestModseq);
        break;
      case 'SIZE':
        values.push(c.size);
        break;
      case 'APPENDLIMIT':
        values.push(session.config.maxMessageSize);
        break;
      case 'MAILBOXID':
        // RFC 8474 §4.3: `MAILBOXID (objectid)`.
        values.push([raw(mailboxObjectId(mailbox.id))]);
        break;
    }
  }
  await session.writer.untagged(atom('STATUS'), wireName(mailbox.path, session.utf8Accept), values);
}
