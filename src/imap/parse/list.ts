/**
 * LIST (RFC 3501 §6.3.8) with LIST-EXTENDED (RFC 5258 §3): selection
 * options, multiple patterns and RETURN options, plus SPECIAL-USE
 * (RFC 6154 §5.1) and LIST-STATUS (RFC 5819).
 *
 * `list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]`
 */
import type { TokenCursor } from '../proto/cursor.js';
import { decodeMailboxName, readList, readListPattern } from '../proto/tokens.js';
import type { CommandContext } from './context.js';
import { readStatusItems, type StatusItem } from './status.js';

export interface ListSelection {
  readonly subscribed: boolean;
  readonly remote: boolean;
  readonly recursiveMatch: boolean;
  readonly specialUse: boolean;
}

export interface ListReturn {
  readonly subscribed: boolean;
  readonly children: boolean;
  readonly specialUse: boolean;
  /** RETURN (STATUS (...)) items, or null. */
  readonly status: readonly StatusItem[] | null;
}

export interface ListArgs {
  /** Reference name, decoded; "" when empty. Not INBOX-normalised. */
  readonly reference: string;
  /** One or more patterns, decoded; "" asks for the hierarchy delimiter. */
  readonly patterns: readonly string[];
  readonly selection: ListSelection;
  readonly returnOptions: ListReturn;
  /** Any RFC 5258 syntax was used, so responses follow LIST-EXTENDED rules. */
  readonly extended: boolean;
}

function readSelection(c: TokenCursor): ListSelection {
  const seen = new Set<string>();
  readList(
    c,
    (cc: TokenCursor) => {
      const word = cc.readKeyword('selection option');
      if (!['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE'].includes(word)) cc.fail('Unknown LIST selection option');
      seen.add(word);
    },
    true,
    'selection options',
  );
  // RFC 5258 §3: RECURSIVEMATCH needs a base option to modify.
  if (seen.has('RECURSIVEMATCH') && !seen.has('SUBSCRIBED') && !seen.has('SPECIAL-USE')) {
    c.fail('RECURSIVEMATCH requires another selection option');
  }
  return {
    subscribed: seen.has('SUBSCRIBED'),
    remote: seen.has('REMOTE'),
    recursiveMatch: seen.has('RECURSIVEMATCH'),
    specialUse: seen.has('SPECIAL-USE'),
  };
}

function readReturn(c: TokenCursor): ListReturn {
  const seen = new Set<string>();
  let status: StatusItem[] | null = null;
  readList(
    c,
    (cc: TokenCursor) => {
      const word = cc.readKeyword('return option');
      if (word === 'STATUS' && status === null) {
        cc.expectSpace();
        status = readStatusItems(cc);
      } else if (['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE'].includes(word)) {
        seen.add(word);
      } else {
        cc.fail('Unknown LIST return option');
      }
    },
    true,
    'return options',
  );
  return {
    subscribed: seen.has('SUBSCRIBED'),
    children: seen.has('CHILDREN'),
    specialUse: seen.has('SPECIAL-USE'),
    status,
  };
}

const NO_SELECTION: ListSelection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
const NO_RETURN: ListReturn = { subscribed: false, children: false, specialUse: false, status: null };

export function parse(cursor: TokenCursor, context: CommandContext): ListArgs {
  let extended = false;
  cursor.expectSpace();
  let selection = NO_SELECTION;
  if (cursor.peek() === 0x28) {
    selection = readSelection(cursor);
    extended = true;
    cursor.expectSpace();
  }
  const reference = decodeMailboxName(cursor.readAstring('reference'), context);
  cursor.expectSpace();
  let patterns: string[];
  if (cursor.peek() === 0x28) {
    patterns = readList(cursor, (c) => readListPattern(c, context), false, 'pattern list');
    extended = true;
  } else {
    patterns = [readListPattern(cursor, context)];
  }
  let returnOptions = NO_RETURN;
  if (cursor.skipSpace()) {
    if (!cursor.skipWord('RETURN')) cursor.fail('Expected RETURN');
    cursor.expectSpace();
    returnOptions = readReturn(cursor);
    extended = true;
  }
  cursor.expectEnd();
  return { reference, patterns, selection, returnOptions, extended };
}
