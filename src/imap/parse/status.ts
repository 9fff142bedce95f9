/**
 * STATUS (RFC 3501 §6.3.10): `STATUS SP mailbox SP "(" status-att *(SP status-att) ")"`,
 * with HIGHESTMODSEQ (RFC 7162), SIZE (RFC 8438) and APPENDLIMIT (RFC 7889).
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readList, readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export type StatusItem =
  | 'MESSAGES'
  | 'RECENT'
  | 'UIDNEXT'
  | 'UIDVALIDITY'
  | 'UNSEEN'
  | 'HIGHESTMODSEQ'
  | 'SIZE'
  | 'APPENDLIMIT'
  | 'MAILBOXID';

export const STATUS_ITEMS: readonly StatusItem[] = [
  'MESSAGES',
  'RECENT',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'HIGHESTMODSEQ',
  'SIZE',
  'APPENDLIMIT',
  'MAILBOXID',
];

export interface StatusArgs {
  readonly mailbox: string;
  /** Requested items, in request order, without duplicates. */
  readonly items: readonly StatusItem[];
}

function readStatusItem(c: TokenCursor): StatusItem {
  const word = c.readKeyword('status item');
  const item = STATUS_ITEMS.find((i) => i === word);
  if (item === undefined) c.fail('Unknown status item');
  return item;
}

/** The parenthesised, non-empty status-att list; also used by LIST RETURN (STATUS (...)) (RFC 5819). */
export function readStatusItems(cursor: TokenCursor): StatusItem[] {
  return [...new Set(readList(cursor, readStatusItem, false, 'status item list'))];
}

export function parse(cursor: TokenCursor, context: CommandContext): StatusArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  cursor.expectSpace();
  const items = readStatusItems(cursor);
  cursor.expectEnd();
  return { mailbox, items };
}
