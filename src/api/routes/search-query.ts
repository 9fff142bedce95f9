/** WildDuck's search arguments → the storage MessageQuery (the one IMAP SEARCH also compiles to). */
import { z } from 'zod';
import type { MessageQuery, UidRanges } from '../../storage/query.js';
import { invalidField } from '../errors.js';
import { bool, date, int, objectId, text } from '../schemas.js';

const needle = () => text(255).transform((s) => s.trim());

export const searchFields = {
  mailbox: objectId('mailbox id').optional().meta({ description: 'Search only this mailbox' }),
  thread: objectId('thread id').optional(),
  query: needle().optional().meta({ description: 'Full-text search in headers and body' }),
  from: needle().optional(),
  to: needle().optional().meta({ description: 'Matches To or Cc' }),
  subject: needle().optional(),
  datestart: date().optional().meta({ description: 'Received at or after' }),
  dateend: date().optional().meta({ description: 'Received at or before' }),
  minSize: int(0, Number.MAX_SAFE_INTEGER).optional(),
  maxSize: int(0, Number.MAX_SAFE_INTEGER).optional(),
  attachments: bool().optional(),
  flagged: bool().optional(),
  unseen: bool().optional(),
  searchable: bool().optional().meta({ description: 'Accepted for compatibility (Junk and Trash are included)' }),
  or: z
    .object({ query: needle().optional(), from: needle().optional(), to: needle().optional(), subject: needle().optional() })
    .optional()
    .meta({ description: 'Terms of which at least one must match' }),
};

type Terms = { query?: string | undefined; from?: string | undefined; to?: string | undefined; subject?: string | undefined };

function termQueries(t: Terms): MessageQuery[] {
  const out: MessageQuery[] = [];
  if (t.query) out.push({ op: 'text', value: t.query });
  if (t.from) out.push({ op: 'header', field: 'from', value: t.from });
  if (t.to) out.push({ op: 'or', of: [{ op: 'header', field: 'to', value: t.to }, { op: 'header', field: 'cc', value: t.to }] });
  if (t.subject) out.push({ op: 'header', field: 'subject', value: t.subject });
  return out;
}

export interface SearchArgs extends Terms {
  thread?: string | undefined;
  datestart?: Date | undefined;
  dateend?: Date | undefined;
  minSize?: number | undefined;
  maxSize?: number | undefined;
  attachments?: boolean | undefined;
  flagged?: boolean | undefined;
  unseen?: boolean | undefined;
  or?: Terms | undefined;
}

export function buildSearch(a: SearchArgs): MessageQuery {
  const all = termQueries(a);
  if (a.thread) all.push({ op: 'thread', id: a.thread });
  if (a.datestart || a.dateend) {
    // dateend is inclusive, as in WildDuck
    all.push({ op: 'internalDate', gte: a.datestart?.getTime(), lt: a.dateend ? a.dateend.getTime() + 1 : undefined });
  }
  if (a.minSize !== undefined || a.maxSize !== undefined) {
    all.push({ op: 'size', gt: a.minSize !== undefined ? a.minSize - 1 : undefined, lt: a.maxSize !== undefined ? a.maxSize + 1 : undefined });
  }
  if (a.attachments !== undefined) all.push({ op: 'hasAttachments', value: a.attachments });
  if (a.flagged !== undefined) all.push({ op: 'flag', flag: '\\Flagged', present: a.flagged });
  if (a.unseen !== undefined) all.push({ op: 'flag', flag: '\\Seen', present: !a.unseen });
  if (a.or) {
    const any = termQueries(a.or);
    if (any.length) all.push({ op: 'or', of: any });
  }
  return all.length === 0 ? { op: 'all' } : { op: 'and', of: all };
}

/** "5", "1,3,5" or "2:9" (WildDuck's :message forms) → UID ranges. */
export const messageSpec = () =>
  z
    .string()
    .max(4096)
    .regex(/^\d{1,10}(,\d{1,10})*$|^\d{1,10}:\d{1,10}$/, { error: 'must be a message id, a comma-separated list, or a range a:b' })
    .meta({ description: 'Message id (UID), "1,3,5", or "2:9"' });

export function specRanges(spec: string): UidRanges {
  if (spec.includes(':')) {
    const [a, b] = spec.split(':').map(Number) as [number, number];
    return [[Math.min(a, b), Math.max(a, b)]];
  }
  const uids = spec.split(',').map(Number);
  if (uids.length > 1000) throw invalidField('message', 'must list at most 1000 messages');
  return uids.map((u) => [u, u] as const);
}
