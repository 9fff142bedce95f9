/** Helpers shared by the route modules: lookups that 404, paging output, audit metadata. */
import type { AuditMeta } from '../../security/service.js';
import { InvalidError, NotFoundError } from '../../storage/errors.js';
import type { Id, Mailbox, Page, User } from '../../storage/types.js';
import { invalidField } from '../errors.js';
import type { ApiDeps, RequestMeta } from '../router.js';
import { objectId } from '../schemas.js';
import { z } from 'zod';

export const userParams = z.object({ user: objectId('user id') });
export const mailboxParams = z.object({ user: objectId('user id'), mailbox: objectId('mailbox id') });

export async function requireUser(deps: ApiDeps, id: Id): Promise<User> {
  const user = await deps.app.store.accounts.getUser(id);
  if (!user) throw new NotFoundError('user');
  return user;
}

export async function requireMailbox(deps: ApiDeps, userId: Id, mailboxId: Id): Promise<Mailbox> {
  await requireUser(deps, userId);
  const mailbox = await deps.app.store.mailboxes.getMailboxById(userId, mailboxId);
  if (!mailbox) throw new NotFoundError('mailbox');
  return mailbox;
}

export function audit(meta: RequestMeta, protocol = 'API'): AuditMeta {
  return { sess: meta.sess, ip: meta.ip, protocol };
}

export function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export interface PageArgs {
  limit: number;
  next?: string | undefined;
  previous?: string | undefined;
  page: number;
}

/** Runs a paged storage call, naming the right field when a cursor does not decode. */
export async function paged<T>(args: PageArgs, fn: (q: { limit: number; next?: string; previous?: string }) => Promise<Page<T>>): Promise<Page<T>> {
  const q: { limit: number; next?: string; previous?: string } = { limit: args.limit };
  if (args.next) q.next = args.next;
  else if (args.previous) q.previous = args.previous;
  try {
    return await fn(q);
  } catch (err) {
    if (err instanceof InvalidError && err.field === 'cursor') throw invalidField(args.next ? 'next' : 'previous', 'is not a valid cursor');
    throw err;
  }
}

/** WildDuck's paging envelope: cursors are false at the ends; page is informational. */
export function pageOut<T, R>(page: Page<T>, args: PageArgs, map: (item: T) => R) {
  return {
    success: true as const,
    total: page.total,
    page: page.previous ? args.page : 1,
    previousCursor: page.previous ?? (false as const),
    nextCursor: page.next ?? (false as const),
    results: page.results.map(map),
  };
}

export type MetaDataValue = Record<string, unknown>;

/** Splits "a@b" targets from URLs the way WildDuck's forwarding targets are typed. */
export function isForwardTarget(value: string): boolean {
  if (/^(smtps?|https?):\/\//i.test(value)) {
    try {
      new URL(value);
      return true;
    } catch {
      return false;
    }
  }
  return /^[^\s@<>()]+@[^\s@<>()]+$/.test(value);
}
