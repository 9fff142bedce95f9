/**
 * APPEND (RFC 3501 §6.3.11) with MULTIAPPEND (RFC 3502), literal8
 * (RFC 3516 §4.4) and the UTF8 data form (RFC 6855 §4):
 *
 *   append = "APPEND" SP mailbox 1*append-message
 *   append-message = [SP flag-list] [SP date-time] SP append-data
 *   append-data = literal / literal8 / "UTF8" SP "(" literal8 ")"
 *
 * The message literal is returned as framed: buffered, or streamed to the
 * sink the owner's literal policy chose (then only its size is known here).
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readDateTime, type ImapDateTime } from '../proto/dates.js';
import type { RawLiteral } from '../proto/raw-command.js';
import { readFlagList, readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface AppendMessage {
  /** Flags to set; `\Recent` is refused (RFC 3501 §2.3.2). */
  readonly flags: readonly string[];
  /** Requested internal date, or null for "now". */
  readonly internalDate: ImapDateTime | null;
  readonly literal: RawLiteral;
  /** Sent with the RFC 6855 `UTF8 (...)` wrapper. */
  readonly utf8: boolean;
}

export interface AppendArgs {
  readonly mailbox: string;
  /** One message, or several with MULTIAPPEND. */
  readonly messages: readonly AppendMessage[];
}

function readAppendData(c: TokenCursor): { literal: RawLiteral; utf8: boolean } {
  if (c.skipWord('UTF8')) {
    c.expectSpace();
    c.expectChar(0x28, '(');
    const literal = c.readLiteral();
    if (!literal.binary) c.fail('UTF8 append data must be literal8');
    c.expectChar(0x29, ')');
    return { literal, utf8: true };
  }
  if (!c.atString() || c.peek() === 0x22) c.fail('Expected message literal');
  const literal = c.readLiteral();
  // RFC 3501 CHAR8 excludes NUL; only literal8 may carry it.
  if (literal.hasNul && !literal.binary) c.fail('NUL octet in message literal; use literal8');
  return { literal, utf8: false };
}

export function parse(cursor: TokenCursor, context: CommandContext): AppendArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  const messages: AppendMessage[] = [];
  do {
    cursor.expectSpace();
    let flags: string[] = [];
    let internalDate: ImapDateTime | null = null;
    if (cursor.peek() === 0x28) {
      flags = readFlagList(cursor);
      cursor.expectSpace();
    }
    if (cursor.peek() === 0x22) {
      internalDate = readDateTime(cursor);
      cursor.expectSpace();
    }
    messages.push({ flags, internalDate, ...readAppendData(cursor) });
  } while (!cursor.atEnd());
  return { mailbox, messages };
}
